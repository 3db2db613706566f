import type { CallbackTask } from '../workflows/domain/types.js';
import { ConcurrentUpdateError, TaskAlreadyAnsweredError, TaskNotFoundError } from './errors.js';
import type { CallAttempt } from './ports.js';

/**
 * Whether a call can be recorded on the task as it is now: not when it is gone or answered (thrown), and not
 * again when this request's `requestId` recorded it already (a client's retry: a replay, not an error).
 */
export function taskForCall(taskId: string, task: CallbackTask | undefined, requestId: string | undefined): { replayed: boolean; task: CallbackTask } {
  if (!task) throw new TaskNotFoundError(taskId);
  if (requestId && task.requestIds?.includes(requestId)) return { replayed: true, task };
  if (task.status !== 'OPEN') throw new TaskAlreadyAnsweredError(taskId);
  return { replayed: false, task };
}

/**
 * Why a call attempt's transaction was refused, from the task as it is now: the client's retry of an attempt
 * already recorded (a replay, not an error), a task gone or answered, or another attempt recorded in between.
 */
export function refusedCallAttempt(attempt: CallAttempt, task: CallbackTask | undefined, codes: string): { replayed: true; task: CallbackTask } {
  const now = taskForCall(attempt.taskId, task, attempt.requestId);
  if (now.replayed) return { replayed: true, task: now.task };
  throw new ConcurrentUpdateError(`another call on ${attempt.taskId} was recorded since attempt ${attempt.seenAttempts} was read (${codes})`);
}
