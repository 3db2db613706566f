// The bare engine rate: state transitions per second of aws-local-stepfunctions running a trivial definition
// of the same shape as ours (Task → Choice → Task, looping), with handlers that return at once, its
// transitions counted the way LocalStepFunctions counts them (countTransitions); threaded-rate.ts runs it in
// as many threads as the simulation uses.
import '../node20-polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { countTransitions, withCounter, type TransitionCounter } from '../local-step-functions.js';
import type { ThreadRun } from './thread-run.js';

const TRIVIAL: StateMachineDefinition = {
  StartAt: 'Step',
  States: {
    Step: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:step', Next: 'Choose' },
    Choose: { Type: 'Choice', Choices: [{ Variable: '$.done', BooleanEquals: true, Next: 'Done' }], Default: 'Wait' },
    Wait: { Type: 'Task', Resource: 'arn:aws:lambda:local:000000000000:function:wait', Next: 'Step' },
    Done: { Type: 'Succeed' },
  },
} as unknown as StateMachineDefinition;

/** A machine ready to run `executions` executions of `steps` loops each, all at once, warmed up. */
export async function bareEngine(executions = 1000, steps = 100): Promise<{ run: () => Promise<ThreadRun> }> {
  const machine = new StateMachine(TRIVIAL, { validationOptions: { checkArn: false, checkPaths: false } });
  countTransitions(machine);
  const handlers = {
    Step: async (input: { i: number }) => ({ i: input.i + 1, done: input.i + 1 >= steps }),
    Wait: async (input: unknown) => input,
  };
  const one = (counter: TransitionCounter) =>
    machine.run({ i: 0, done: false }, withCounter({ overrides: { taskResourceLocalHandlers: handlers as never } }, counter)).result;
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
