import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { STATE } from '../../workflows/state-names.js';

/** Far beyond any loan: the engine must never time the wait out on its own wall clock in virtual mode. */
const NEVER_SECONDS = 10 * 365 * 86_400;

/**
 * The synthesized definition, with the one field the local engine reads differently from AWS. AWS resolves
 * AwaitEvent's TimeoutSecondsPath against the state input; aws-local-stepfunctions resolves it against the
 * Parameters output ({ FunctionName, Payload }). On the wall clock the path is pointed into Payload; on a
 * virtual clock the override times the wait out itself, so the engine gets a timeout it never reaches.
 */
export function forLocalEngine(definition: StateMachineDefinition, time: 'virtual' | 'wall'): StateMachineDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as StateMachineDefinition;
  const awaitEvent = copy.States[STATE.AwaitEvent] as { TimeoutSecondsPath?: string; TimeoutSeconds?: number };
  if (!awaitEvent?.TimeoutSecondsPath) throw new Error(`${STATE.AwaitEvent} has no TimeoutSecondsPath: the definition changed`);
  const path = awaitEvent.TimeoutSecondsPath;
  if (time === 'wall') {
    awaitEvent.TimeoutSecondsPath = path.replace(/^\$\./, '$.Payload.');
  } else {
    delete awaitEvent.TimeoutSecondsPath;
    awaitEvent.TimeoutSeconds = NEVER_SECONDS;
  }
  return copy;
}
