import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesizeDefinition } from '../../infra/asl.js';
import { nextExecutionInput } from '../../workflows/execution-contract.js';
import { STATE, WAIT_STATES } from '../../workflows/state-names.js';

// aws-local-stepfunctions needs Node 22's Promise.withResolvers.
beforeAll(() => {
  (Promise as unknown as { withResolvers?: unknown }).withResolvers ??= function withResolvers<T>() {
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((a, b) => {
      resolve = a;
      reject = b;
    });
    return { promise, resolve, reject };
  };
});

// aws-local-stepfunctions resolves TimeoutSecondsPath against the input after Parameters ({FunctionName,
// Payload}), AWS against the state input; point it at the same number for this engine.
function forLocalEngine(): StateMachineDefinition {
  const definition = structuredClone(synthesizeDefinition());
  for (const name of WAIT_STATES) {
    expect(definition.States[name]!.TimeoutSecondsPath).toBe('$.waitSeconds');
    definition.States[name]!.TimeoutSecondsPath = '$.Payload.waitSeconds';
  }
  return definition as unknown as StateMachineDefinition;
}

const machine = new StateMachine(forLocalEngine(), { validationOptions: { checkArn: false, checkPaths: false } });
const context = { StateMachine: { Id: 'arn:aws:states:local:000000000000:stateMachine:loan-followup', Name: 'loan-followup' }, Task: { Token: 'token-1' } };

const named = (name: string, message = name): Error => Object.assign(new Error(message), { name });
const advance = (input: { loanId: string; generation: number; iteration: number }, action: 'WAIT' | 'CONTINUE' | 'CLOSE', phase?: string) => ({
  ...(phase ? { phase } : {}),
  loanId: input.loanId,
  generation: input.generation,
  iteration: input.iteration + 1,
  action,
  wakeAt: action === 'WAIT' ? '2026-01-02T00:00:00.000Z' : null,
  waitSeconds: 60,
  next: { loanId: input.loanId, generation: input.generation + 1, iteration: 0 },
});

function run(handlers: Record<string, (input: any) => unknown>) {
  const overrides = { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: { [STATE.AdvanceLoan]: 0, [STATE.ContinueAsNew]: 0 } };
  return machine.run({ loanId: 'L-1', generation: 0, iteration: 0 }, { overrides, context: context as never }).result;
}

describe('the synthesized definition on the local engine', () => {
  it('waits, wakes on timeout and on an event, then hands over to the next generation', async () => {
    const advanceInputs: any[] = [];
    const awaitInputs: any[] = [];
    let handover: any;
    const actions: ('WAIT' | 'CONTINUE')[] = ['WAIT', 'WAIT', 'CONTINUE'];
    const phases = ['Collections', 'Legal'];
    const waitedIn: string[] = [];
    const wait = (name: string) => (input: any) => {
      waitedIn.push(name);
      awaitInputs.push(input.Payload);
      if (awaitInputs.length === 1) throw named('States.Timeout');
      return { reason: 'EVENT' };
    };
    await run({
      [STATE.AdvanceLoan]: (input) => {
        advanceInputs.push(input);
        return advance(input, actions.shift()!, phases.shift());
      },
      ...Object.fromEntries(WAIT_STATES.map((name) => [name, wait(name)])),
      [STATE.ContinueAsNew]: (input) => {
        handover = input;
        return {};
      },
    });
    expect(awaitInputs[0]).toEqual({ loanId: 'L-1', generation: 0, wakeAt: '2026-01-02T00:00:00.000Z', waitSeconds: 60, taskToken: 'token-1' });
    expect(advanceInputs[1]).not.toHaveProperty('event');
    expect(advanceInputs[2].event).toEqual({ reason: 'EVENT' });
    // Each wait happened in the state of the phase AdvanceLoan said the loan is in.
    expect(waitedIn).toEqual(['Collections', 'Legal']);
    expect(handover.Name).toBe('L-1-g1');
    expect(JSON.parse(handover.Input)).toEqual({ loanId: 'L-1', generation: 1, iteration: 0 });
    expect(handover.StateMachineArn).toBe(context.StateMachine.Id);
  });

  it('ends at LoanClosed when AdvanceLoan closes the loan', async () => {
    const output = await run({ [STATE.AdvanceLoan]: (input) => advance(input, 'CLOSE') });
    expect(output).toMatchObject({ action: 'CLOSE' });
  });

  it.each(['RUNNING', 'SUCCEEDED'])('takes an existing next generation that is %s as handed over, without starting another', async (status) => {
    const started: string[] = [];
    const described: string[] = [];
    const output = await run({
      [STATE.AdvanceLoan]: (input) => advance(input, 'CONTINUE'),
      [STATE.ContinueAsNew]: (input) => {
        started.push(input.Name);
        throw named('Sfn.ExecutionAlreadyExistsException');
      },
      [STATE.CheckNextGeneration]: (input) => {
        described.push(input.ExecutionArn);
        return { ExecutionArn: input.ExecutionArn, Status: status };
      },
    });
    expect(started).toEqual(['L-1-g1']);
    expect(described).toEqual(['arn:aws:states:local:000000000000:execution:loan-followup:L-1-g1']);
    expect(output).toMatchObject({ nextExecution: { status } });
  });

  it.each(['FAILED', 'TIMED_OUT', 'ABORTED'])('starts the generation after an existing next generation that %s, from its first step', async (status) => {
    const started: { name: string; input: unknown }[] = [];
    await run({
      [STATE.AdvanceLoan]: (input) => advance(input, 'CONTINUE'),
      [STATE.ContinueAsNew]: (input) => {
        started.push({ name: input.Name, input: JSON.parse(input.Input) });
        if (started.length === 1) throw named('Sfn.ExecutionAlreadyExistsException');
        return {};
      },
      [STATE.CheckNextGeneration]: (input) => ({ ExecutionArn: input.ExecutionArn, Status: status }),
    });
    expect(started).toEqual([
      { name: 'L-1-g1', input: { loanId: 'L-1', generation: 1, iteration: 0 } },
      { name: 'L-1-g2', input: nextExecutionInput({ loanId: 'L-1', generation: 1 }) },
    ]);
  });

  it('retries a concurrent update, then flags a permanent failure for operations and fails', async () => {
    let attempts = 0;
    let flagged: any;
    const result = run({
      [STATE.AdvanceLoan]: () => {
        attempts += 1;
        throw attempts === 1 ? named('ConcurrentUpdateError') : named('LoanNotFoundError', 'loanId: no loan L-1');
      },
      [STATE.FlagForOperations]: (input) => {
        flagged = input;
        return { flagged: true };
      },
    });
    const error = await result.then(
      () => undefined,
      (e: unknown) => e as { cause?: { name?: string } },
    );
    expect(error?.cause?.name).toBe('FollowUpFailed');
    expect(attempts).toBe(2);
    expect(flagged).toMatchObject({ loanId: 'L-1', failure: { Error: 'LoanNotFoundError' } });
  });
});
