// Runs a story on aws-local-stepfunctions, the engine of the local runtime, and records what it did.
import '../node20-polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { StateMachineDefinition as Asl } from '../../infra/asl.js';
import { forLocalEngine } from '../local-definition.js';
import type { Json, LocalRecording, RecordedCall, StateError } from './run-record.js';
import type { Story } from './stories.js';

/** $$.StateMachine.Id as the local runtime gives it (local/local-step-functions.ts). */
export const LOCAL_STATE_MACHINE_ARN = 'arn:aws:states:local:000000000000:stateMachine:loan-followup';
/** The engine never issues task tokens: $$.Task.Token is whatever the context says. */
const LOCAL_TASK_TOKEN = 'local-task-token';

type Handler = (input: Json) => Promise<Json>;

/** A machine for `definition` on the local engine; one serves every story (each run is independent). */
export function localMachine(definition: Asl): StateMachine {
  // 'wall': the engine reads TimeoutSecondsPath after Parameters (see forLocalEngine); the waits' handlers answer
  // at once, so the timeout itself never fires here: a scripted States.Timeout stands for it.
  return new StateMachine(forLocalEngine(definition as unknown as StateMachineDefinition, 'wall'), {
    validationOptions: { checkArn: false, checkPaths: false },
  });
}

const taskStatesOf = (definition: Asl): string[] => Object.keys(definition.States).filter((name) => definition.States[name]!.Type === 'Task');

export async function recordOnLocalEngine(story: Story, definition: Asl, machine = localMachine(definition)): Promise<LocalRecording> {
  const calls: RecordedCall[] = [];
  const overrun: string[] = [];
  const queues = new Map(Object.entries(story.script).map(([state, answers]) => [state, [...answers]]));
  const taskStates = taskStatesOf(definition);
  for (const state of queues.keys()) if (!taskStates.includes(state)) throw new Error(`story ${story.name}: ${state} is not a Task state`);

  // Every Task state has a handler, scripted or not, so no call can leave the process for AWS.
  const handlers: Record<string, Handler> = {};
  for (const state of taskStates) {
    handlers[state] = async (input) => {
      const snapshot = structuredClone(input);
      const answer = queues.get(state)?.shift();
      if (!answer) {
        overrun.push(state);
        throw new Error(`story ${story.name}: no scripted answer left for ${state}`);
      }
      const outcome = answer(snapshot);
      calls.push({ state, input: snapshot, outcome });
      if ('error' in outcome) throw Object.assign(new Error(outcome.cause), { name: outcome.error });
      return outcome.result;
    };
  }

  const run = machine.run(story.input as never, {
    overrides: {
      taskResourceLocalHandlers: handlers as never,
      retryIntervalOverrides: Object.fromEntries(taskStates.map((state) => [state, 0])),
    },
    context: { StateMachine: { Id: LOCAL_STATE_MACHINE_ARN, Name: 'loan-followup' }, Task: { Token: LOCAL_TASK_TOKEN } } as never,
  });
  const statesEntered: string[] = [];
  const errors: StateError[] = [];
  let failure: { error: string; cause: string } | undefined;
  const [settled] = await Promise.all([
    run.result.then(
      () => 'SUCCEEDED' as const,
      (error: Error) => {
        failure ??= { error: error.name, cause: error.message };
        return 'FAILED' as const;
      },
    ),
    (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') statesEntered.push(event.state.name);
        else if (event.type === 'StateFailed' && event.state.type !== 'Fail')
          errors.push({ state: event.state.name, error: event.Error, cause: String(event.Cause) });
        else if (event.type === 'ExecutionFailed') failure = { error: event.Error, cause: String(event.Cause) };
      }
    })(),
  ]);

  if (overrun.length > 0) throw new Error(`story ${story.name}: the local engine called ${overrun.join(', ')} past the script`);
  const unused = [...queues].filter(([, answers]) => answers.length > 0).map(([state, answers]) => `${state} (${answers.length})`);
  if (unused.length > 0) throw new Error(`story ${story.name}: the local engine never used the scripted answers of ${unused.join(', ')}`);

  return {
    story: story.name,
    input: story.input as unknown as Json,
    status: settled,
    ...(settled === 'FAILED' ? failure : {}),
    statesEntered,
    tasks: calls,
    errors,
  };
}
