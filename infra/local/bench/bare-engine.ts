// The bare engine rate: state transitions per second of aws-local-stepfunctions running a trivial definition
// of the same shape as ours (Task → Choice → Task, looping), with handlers that return at once, its
// transitions counted the way LocalStepFunctions counts them (countTransitions), in as many threads as the
// simulation uses.
import { Worker } from 'node:worker_threads';
import '../node20-polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { countTransitions, withCounter, type TransitionCounter } from '../local-step-functions.js';
import { SIMULATION_WORKER_LIMITS } from '../simulate/worker-limits.js';

const TRIVIAL: StateMachineDefinition = {
  StartAt: 'Step',
  States: {
    Step: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:step', Next: 'Choose' },
    Choose: { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Done' }], Default: 'Wait' },
    Wait: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:wait', Next: 'Step' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** One thread's part: transitions counted and when they ran (epoch milliseconds, comparable across threads). */
export interface BareRun {
  transitions: number;
  startedAt: number;
  endedAt: number;
}

/** A machine ready to run `executions` executions of `steps` loops each, all at once, warmed up. */
export async function bareEngine(executions = 1000, steps = 100): Promise<{ run: () => Promise<BareRun> }> {
  const machine = new StateMachine(TRIVIAL, { validationOptions: { checkArn: false, checkPaths: false } });
  countTransitions(machine);
  const handlers = {
    Step: async (input: { i: number }) => ({ i: input.i + 1, done: input.i + 1 >= steps }),
    Wait: async (input: unknown) => input,
  };
  const one = (counter: TransitionCounter) => machine.run({ i: 0, done: false }, withCounter({ overrides: { taskResourceLocalHandlers: handlers as never } }, counter)).result;
  const warmUp: TransitionCounter = { transitions: 0 };
  await Promise.all(Array.from({ length: 20 }, () => one(warmUp)));
  return {
    run: async () => {
      const counter: TransitionCounter = { transitions: 0 };
      const startedAt = performance.timeOrigin + performance.now();
      await Promise.all(Array.from({ length: executions }, () => one(counter)));
      return { transitions: counter.transitions, startedAt, endedAt: performance.timeOrigin + performance.now() };
    },
  };
}

export interface BareRate {
  /** Transitions per second of all threads together, over the time from the first start to the last end. */
  rate: number;
  threads: number;
  perThread: BareRun[];
}

function rateOf(runs: BareRun[]): BareRate {
  const transitions = runs.reduce((n, r) => n + r.transitions, 0);
  const seconds = (Math.max(...runs.map((r) => r.endedAt)) - Math.min(...runs.map((r) => r.startedAt))) / 1000;
  return { rate: transitions / seconds, threads: runs.length, perThread: runs };
}

/**
 * The bare rate as the simulation is measured: in `threads` worker threads with the simulation's resource
 * limits (none: in this thread), all starting together once each is warmed up, and the transitions of all of
 * them over the time from the first start to the last end, as a simulation's transitions are counted over
 * its run.
 */
export async function bareEngineRate(threads: number): Promise<BareRate> {
  if (threads <= 0) return rateOf([await (await bareEngine()).run()]);
  const boot = new URL('../simulate/worker-boot.mjs', import.meta.url);
  const entry = new URL('./bare-engine-worker.ts', import.meta.url).href;
  const workers = Array.from({ length: threads }, () => new Worker(boot, { workerData: { entry }, resourceLimits: SIMULATION_WORKER_LIMITS }));
  try {
    const next = (worker: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    await Promise.all(workers.map(next)); // each says it is ready
    const runs = workers.map(next);
    for (const worker of workers) worker.postMessage('go');
    return rateOf((await Promise.all(runs)) as BareRun[]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
