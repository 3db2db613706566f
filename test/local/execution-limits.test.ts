// The local runtime fails an execution where AWS would: past 25,000 history events, at 1 year of age, with a
// state output over 256 KB, and a Lambda task slower than its TimeoutSeconds. Each limit is broken here by the
// synthesized definition with handlers made to break it, or by a tiny definition.
import { describe, expect, it } from 'vitest';
import '../../local/node20-polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { synthesizeDefinition, type StateMachineDefinition as Asl } from '../../infra/asl.js';
import { forLocalEngine } from '../../local/local-definition.js';
import { EXECUTION_LIMITS, HISTORY_EVENTS, LocalStepFunctions, type LocalExecution } from '../../local/local-step-functions.js';
import { VirtualClocks } from '../../local/virtual-clocks.js';
import { nextExecutionInput, type AdvanceOutput, type ExecutionInput } from '../../workflows/execution-contract.js';
import { STATE } from '../../workflows/state-names.js';

const START = Date.parse('2026-02-02T09:00:00Z');
const DAY_MS = 86_400_000;
const definition = synthesizeDefinition();

type Advance = (input: ExecutionInput & Partial<AdvanceOutput>, now: number) => Partial<AdvanceOutput> | Promise<Partial<AdvanceOutput>>;

/** The synthesized definition on the local runtime, virtual clock, with AdvanceLoan played by `advance`. */
function runtimeWith(advance: Advance, asl: Asl = definition) {
  const clocks = new VirtualClocks(new Date(START));
  const calls = { advance: 0 };
  const flagged: unknown[] = [];
  const runtime = new LocalStepFunctions(
    asl as never,
    {
      advanceLoan: async (input: ExecutionInput & Partial<AdvanceOutput>) => {
        calls.advance += 1;
        return {
          loanId: input.loanId,
          generation: input.generation,
          iteration: input.iteration + 1,
          action: 'WAIT',
          wakeAt: null,
          waitSeconds: 60,
          next: nextExecutionInput(input),
          phase: 'Servicing',
          ...(await advance(input, clocks.now(input.loanId))),
        };
      },
      awaitEvent: async () => ({ parked: true }),
      flagForOperations: async (input) => {
        flagged.push(input);
        return {};
      },
    },
    { kind: 'virtual', clocks, until: new Date(START + 10 * 365 * DAY_MS) },
  );
  const start = async (loanId = 'L-1'): Promise<LocalExecution> => {
    await runtime.startExecution({ name: `${loanId}-g0`, input: { loanId, generation: 0, iteration: 0 } });
    const execution = runtime.executions.get(`${loanId}-g0`)!;
    await execution.done;
    return execution;
  };
  return { runtime, clocks, calls, flagged, start };
}

const waitFor = (ms: number) => (_input: unknown, now: number) => ({ wakeAt: new Date(now + ms).toISOString(), waitSeconds: Math.ceil(ms / 1000) });

describe('history events', () => {
  it('counts 13 events a step on the follow-up definition (AdvanceLoan 5, ChooseNextStep 2, the wait 6)', async () => {
    const steps = 3;
    const { start } = runtimeWith((input, now) => (input.iteration + 1 > steps ? { action: 'CLOSE', wakeAt: null } : waitFor(DAY_MS)(input, now)));
    const execution = await start();
    expect(execution.status).toBe('SUCCEEDED');
    const t = HISTORY_EVENTS.task;
    const step = t.entered + t.exited + 2 * HISTORY_EVENTS.flow.entered + (t.entered + t.waitForTaskToken + t.failed + t.exitedAfterCatch);
    expect(step).toBe(13);
    // Started; three steps; the closing AdvanceLoan, ChooseNextStep and LoanClosed; ExecutionSucceeded.
    expect(execution.historyEvents).toBe(1 + steps * 13 + 5 + 2 + 2 + 1);
  });

  it('fails an execution past 25,000 events with States.Runtime, which no Catch takes', async () => {
    const { start, calls, flagged } = runtimeWith(waitFor(60_000));
    const execution = await start();
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toMatch(/^States\.Runtime: The execution's history reached 25003 events, past Step Functions' limit of 25000/);
    // 1 + 13 × 1923 = 25,000 events: the next AdvanceLoan is refused as it is entered.
    expect(calls.advance).toBe(Math.floor((EXECUTION_LIMITS.historyEvents - 1) / 13));
    expect(flagged).toEqual([]);
  });
});

describe('execution age', () => {
  it("times an execution out at 1 year on its loan's clock, even in the middle of a wait", async () => {
    const { start, calls, clocks, flagged } = runtimeWith(waitFor(200 * DAY_MS));
    const execution = await start();
    expect(execution.status).toBe('TIMED_OUT');
    expect(execution.error).toMatch(/^States\.Timeout: .*365/);
    // Woke once at day 200; the second wait (to day 400) is cut at day 365, and no third step runs.
    expect(calls.advance).toBe(2);
    expect(clocks.now('L-1') - execution.startedAt).toBe(365 * DAY_MS);
    expect(flagged).toEqual([]);
  });

  it('lets an execution that hands over in time live on in the next generation', async () => {
    // Generation 0 waits 200 days and hands over; generation 1 waits 200 days more and closes: 400 days in all.
    const { start, runtime, clocks } = runtimeWith((input, now) => {
      if (input.iteration === 0) return waitFor(200 * DAY_MS)(input, now);
      return { action: input.generation === 0 ? 'CONTINUE' : 'CLOSE', wakeAt: null };
    });
    const first = await start();
    expect(first.status).toBe('SUCCEEDED');
    const next = runtime.executions.get('L-1-g1')!;
    expect(next.input).toEqual({ loanId: 'L-1', generation: 1, iteration: 0 });
    await next.done;
    expect(next.status).toBe('SUCCEEDED');
    expect(clocks.now('L-1') - first.startedAt).toBe(400 * DAY_MS);
  });
});

describe('payload size', () => {
  it('fails an execution whose state output is over 256 KB with States.DataLimitExceeded, which no Catch takes', async () => {
    const { start, flagged } = runtimeWith(
      () => ({ action: 'CLOSE', wakeAt: null, note: 'x'.repeat(EXECUTION_LIMITS.payloadBytes) }) as Partial<AdvanceOutput>,
    );
    const execution = await start();
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toMatch(/^States\.DataLimitExceeded: The output of AdvanceLoan is \d+ bytes, past Step Functions' limit of 262144 bytes/);
    expect(flagged).toEqual([]);
  });

  it('counts bytes, not characters', async () => {
    // 100,000 three-byte characters: 300,000 bytes in 100,000 UTF-16 code units.
    const { start } = runtimeWith(() => ({ action: 'CLOSE', wakeAt: null, note: '€'.repeat(100_000) }) as Partial<AdvanceOutput>);
    expect((await start()).error).toMatch(/^States\.DataLimitExceeded/);
  });

  it('passes an output just under the limit', async () => {
    const { start } = runtimeWith(() => ({ action: 'CLOSE', wakeAt: null, note: 'x'.repeat(EXECUTION_LIMITS.payloadBytes - 1_000) }) as Partial<AdvanceOutput>);
    expect((await start()).status).toBe('SUCCEEDED');
  });

  it('refuses to start an execution whose input is over 256 KB', async () => {
    const { runtime } = runtimeWith(() => ({ action: 'CLOSE' }));
    await expect(
      runtime.startExecution({ name: 'BIG-g0', input: { loanId: 'BIG', generation: 0, iteration: 0, pad: 'x'.repeat(EXECUTION_LIMITS.payloadBytes) } }),
    ).rejects.toThrow(/262144 bytes/);
    expect(runtime.executions.has('BIG-g0')).toBe(false);
  });
});

describe("a Lambda task's TimeoutSeconds", () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('reaches the engine as the definition sets it (the function timeout, AdvanceLoan and FlagForOperations)', () => {
    const local = forLocalEngine(definition as never, 'virtual') as unknown as Asl;
    for (const name of [STATE.AdvanceLoan, STATE.FlagForOperations]) {
      expect(local.States[name]!.TimeoutSeconds).toBeGreaterThan(0);
      expect(local.States[name]!.TimeoutSeconds).toBe(definition.States[name]!.TimeoutSeconds);
    }
  });

  it('fails a task whose handler is slower with States.Timeout (a tiny definition)', async () => {
    const tiny = {
      StartAt: 'Slow',
      States: { Slow: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:slow', TimeoutSeconds: 1, End: true } },
    } as unknown as StateMachineDefinition;
    const machine = new StateMachine(tiny, { validationOptions: { checkArn: false, checkPaths: false } });
    const run = machine.run({}, { overrides: { taskResourceLocalHandlers: { Slow: async () => (await sleep(1_500), {}) } as never } });
    const error = await run.result.then(
      () => undefined,
      (e: Error) => e,
    );
    expect((error?.cause as Error | undefined)?.name).toBe('States.Timeout');
  });

  it('times AdvanceLoan out on the follow-up definition: FlagForOperations gets States.Timeout', async () => {
    // TimeoutSeconds lowered to 1 s and the timeout's retries left out, so the test takes a second, not thirty.
    const asl = structuredClone(definition);
    const advance = asl.States[STATE.AdvanceLoan]!;
    advance.TimeoutSeconds = 1;
    advance.Retry = advance.Retry!.filter((r) => !r.ErrorEquals.includes('States.Timeout'));
    const { start, flagged } = runtimeWith(async () => (await sleep(1_500), { action: 'CLOSE' }), asl);
    const execution = await start();
    expect(execution.status).toBe('FAILED');
    expect(flagged).toMatchObject([{ loanId: 'L-1', failure: { Error: 'States.Timeout' } }]);
  });
});

describe('hand-over to a next generation that already exists', () => {
  it('starts the generation after one that has ended, so the loan is never left without a running execution', async () => {
    const { runtime, flagged, start } = runtimeWith((input) => {
      if (input.generation === 1) throw Object.assign(new Error('a failed generation'), { name: 'LoanNotFoundError' });
      return input.generation === 0 ? { action: 'CONTINUE' } : { action: 'CLOSE', wakeAt: null };
    });
    await runtime.startExecution({ name: 'L-1-g1', input: { loanId: 'L-1', generation: 1, iteration: 0 } });
    await runtime.executions.get('L-1-g1')!.done;
    expect(runtime.executions.get('L-1-g1')!.status).toBe('FAILED');
    expect(flagged).toHaveLength(1);

    const first = await start();
    expect(first.status).toBe('SUCCEEDED');
    const restarted = runtime.executions.get('L-1-g2')!;
    expect(restarted.input).toEqual({ loanId: 'L-1', generation: 2, iteration: 0 });
    await restarted.done;
    expect(restarted.status).toBe('SUCCEEDED');
    expect(restarted.output).toMatchObject({ action: 'CLOSE' });
  });

  it('takes a running next generation as handed over and starts nothing more', async () => {
    const { runtime, start } = runtimeWith((input, now) => (input.generation === 0 ? { action: 'CONTINUE' } : waitFor(30 * DAY_MS)(input, now)));
    await runtime.startExecution({ name: 'L-1-g1', input: { loanId: 'L-1', generation: 1, iteration: 0 } });
    const first = await start();
    expect(first.status).toBe('SUCCEEDED');
    expect(runtime.executions.get('L-1-g1')!.status).toBe('RUNNING');
    expect([...runtime.executions.keys()].sort()).toEqual(['L-1-g0', 'L-1-g1']);
    await runtime.stop();
  });
});
