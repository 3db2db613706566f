// Our driver without our handlers: the synthesized definition on LocalStepFunctions (task tokens, per-loan
// virtual clocks, the AwaitEvent time-out) with handlers that decide nothing, so the rate it reaches is what
// the engine and the driver cost together. Beside the bare engine's rate it shows whether the driver, rather
// than the engine, would set the pace.
import { synthesizeDefinition } from '../../infra/asl.js';
import { nextExecutionInput, type AdvanceOutput, type ExecutionInput } from '../../workflows/execution-contract.js';
import { LocalStepFunctions } from '../local-step-functions.js';
import { VirtualClocks } from '../virtual-clocks.js';
import type { ThreadRun } from './thread-run.js';

const START = Date.parse('2026-01-05T02:00:00Z');
// Every three days: 100 steps stay inside an execution's 1-year limit, which the runtime enforces.
const STEP_SECONDS = 3 * 86_400;

/** `executions` loans of `steps` steps each (three days apart), all at once; a first, smaller run warms up. */
export async function driverOnly(executions = 1000, steps = 100): Promise<{ run: () => Promise<ThreadRun> }> {
  const definition = synthesizeDefinition();
  const once = async (loans: number): Promise<ThreadRun> => {
    const clocks = new VirtualClocks(new Date(START));
    const advanceLoan = async (input: ExecutionInput): Promise<AdvanceOutput> => {
      const iteration = input.iteration + 1;
      return {
        ...input,
        iteration,
        action: iteration >= steps ? 'CLOSE' : 'WAIT',
        wakeAt: new Date(clocks.now(input.loanId) + STEP_SECONDS * 1000).toISOString(),
        waitSeconds: STEP_SECONDS,
        next: nextExecutionInput(input),
      };
    };
    const runtime = new LocalStepFunctions(
      definition as never,
      {
        advanceLoan: advanceLoan as never,
        awaitEvent: async () => ({ parked: true }),
        flagForOperations: async () => {
          throw new Error('the driver-only run never fails a step');
        },
      },
      { kind: 'virtual', clocks, until: new Date(START + 10 * 365 * 86_400_000) },
    );
    const startedAt = performance.timeOrigin + performance.now();
    for (let i = 0; i < loans; i++) await runtime.startExecution({ name: `D${i}-g0`, input: { loanId: `D${i}`, generation: 0, iteration: 0 } });
    await Promise.all([...runtime.executions.values()].map((e) => e.done));
    const failed = [...runtime.executions.values()].filter((e) => e.status !== 'SUCCEEDED');
    if (failed.length > 0) throw new Error(`driver-only run: ${failed.length} executions did not succeed (${failed[0]!.error})`);
    return { transitions: runtime.totalTransitions, startedAt, endedAt: performance.timeOrigin + performance.now() };
  };
  await once(20);
  return { run: () => once(executions) };
}
