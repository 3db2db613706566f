import type { CallbackTask } from '../../workflows/domain/types.js';
import { ConcurrentUpdateError, TaskAlreadyAnsweredError, TaskNotFoundError } from '../errors.js';
import type { CallAttempt } from '../ports.js';

/**
 * Why a call attempt's transaction was refused, from the task as it is now: the client's retry of an attempt
 * already recorded (a replay, not an error), a task gone or answered, or another attempt recorded in between.
 */
export function refusedCallAttempt(attempt: CallAttempt, task: CallbackTask | undefined, codes: string): { replayed: true; task: CallbackTask } {
  if (!task) throw new TaskNotFoundError(attempt.taskId);
  if (attempt.requestId && task.requestIds?.includes(attempt.requestId)) return { replayed: true, task };
  if (task.status !== 'OPEN') throw new TaskAlreadyAnsweredError(attempt.taskId);
  throw new ConcurrentUpdateError(`another call on ${attempt.taskId} was recorded since attempt ${attempt.seenAttempts} was read (${codes})`);
}
