import { queueOfTask } from '../../workflows/domain/task-queue.js';
import type { CallbackTask } from '../../workflows/domain/types.js';
import { recordCallbackOutcome } from '../record-callback-outcome.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';
import { requireGroup } from './principal.js';
import { groupsOfQueue } from './task-queues.js';

/**
 * POST /api/tasks/{id}/outcome: records the call (the caller is the agent) and resumes the waiting loan.
 * The caller must work the task's queue (functions/http/task-queues.ts: reviews are risk's, the middle collection
 * tier the senior collectors', the late tier risk's, legal follow-ups the legal team's): the caller's groups are
 * checked on the task the handler reads, before anything is written or replayed.
 */
export function postTaskOutcome(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger' | 'policies'>): RouteHandler {
  return async ({ principal, params, body }) => {
    const input = bodyWith(body, { taskId: params.id, agentId: principal.username });
    const authorize = (task: CallbackTask) =>
      requireGroup(principal, groupsOfQueue(queueOfTask(task)), `a ${task.purpose} task in the ${queueOfTask(task)} queue`);
    return { status: 200, body: await recordCallbackOutcome(ports, { authorize })(input) };
  };
}
