// The bare engine rate: state transitions per second of aws-local-stepfunctions running a trivial definition
// of the same shape as ours (Task → Choice → Task, looping), with handlers that return at once, and its event
// log read the way LocalStepFunctions reads it. In as many threads as the simulation uses.
import { Worker } from 'node:worker_threads';
import '../node20-polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

const TRIVIAL: StateMachineDefinition = {
  StartAt: 'Step',
  States: {
    Step: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:step', Next: 'Choose' },
    Choose: { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Done' }], Default: 'Wait' },
    Wait: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:wait', Next: 'Step' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** Runs `executions` executions of `steps` loops each, all at once; returns transitions per second. */
export async function bareEngineRateHere(executions = 1000, steps = 100): Promise<{ transitions: number; seconds: number; rate: number }> {
  const machine = new StateMachine(TRIVIAL, { validationOptions: { checkArn: false, checkPaths: false } });
  const handlers = {
    Step: async (input: { i: number }) => ({ i: input.i + 1, done: input.i + 1 >= steps }),
    Wait: async (input: unknown) => input,
  };
  let transitions = 0;
  const run = async () => {
    const execution = machine.run({ i: 0, done: false }, { overrides: { taskResourceLocalHandlers: handlers as never } });
    const counting = (async () => {
      for await (const event of execution.eventLogs) if (event.type === 'StateEntered') transitions += 1;
    })();
    await execution.result;
    await counting;
  };
  await Promise.all(Array.from({ length: 20 }, run)); // warm-up
  transitions = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: executions }, run));
  const seconds = (performance.now() - started) / 1000;
  return { transitions, seconds, rate: transitions / seconds };
}

/** The same in `threads` worker threads side by side; the rates add up. */
export async function bareEngineRate(threads: number): Promise<{ rate: number; perThread: number[] }> {
  if (threads <= 0) {
    const { rate } = await bareEngineRateHere();
    return { rate, perThread: [rate] };
  }
  const boot = new URL('../simulate/worker-boot.mjs', import.meta.url);
  const entry = new URL('./bare-engine-worker.ts', import.meta.url).href;
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(boot, { workerData: { entry } });
          worker.once('message', (rate: number) => {
            resolve(rate);
            void worker.terminate();
          });
          worker.once('error', reject);
        }),
    ),
  );
  return { rate: rates.reduce((a, b) => a + b, 0), perThread: rates };
}
