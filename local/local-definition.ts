import type { StateMachineDefinition } from 'aws-local-stepfunctions';
import { WAIT_STATES } from '../workflows/state-names.js';

/** Far beyond any loan: the engine must never time the wait out on its own wall clock in virtual mode. */
const NEVER_SECONDS = 10 * 365 * 86_400;

/**
 * The synthesized definition, with the one field the local engine reads differently from AWS. AWS resolves
 * the wait states' TimeoutSecondsPath against the state input; aws-local-stepfunctions resolves it against the
 * Parameters output ({ FunctionName, Payload }). On the wall clock the path is pointed into Payload; on a
 * virtual clock the override times the wait out itself, so the engine gets a timeout it never reaches.
 */
export function forLocalEngine(definition: StateMachineDefinition, time: 'virtual' | 'wall'): StateMachineDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as StateMachineDefinition;
  for (const name of WAIT_STATES) {
    const wait = copy.States[name] as { TimeoutSecondsPath?: string; TimeoutSeconds?: number };
    if (!wait?.TimeoutSecondsPath) throw new Error(`${name} has no TimeoutSecondsPath: the definition changed`);
    const path = wait.TimeoutSecondsPath;
    if (time === 'wall') {
      wait.TimeoutSecondsPath = path.replace(/^\$\./, '$.Payload.');
    } else {
      delete wait.TimeoutSecondsPath;
      wait.TimeoutSeconds = NEVER_SECONDS;
    }
  }
  return copy;
}
