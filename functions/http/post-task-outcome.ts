import type { CallbackTask } from '../../workflows/domain/types.js';
import { recordCallbackOutcome } from '../record-callback-outcome.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';
import { requireGroup } from './principal.js';
import { queueOf, TASK_QUEUES } from './task-queues.js';

/**
 * POST /api/tasks/{id}/outcome: records the call (the caller is the agent) and resumes the waiting loan.
 * Review tasks are the risk officers' to answer: the caller's groups are checked on the task the handler reads,
 * before anything is written or replayed.
 */
export function postTaskOutcome(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger' | 'policies'>): RouteHandler {
  return async ({ principal, params, body }) => {
    const input = bodyWith(body, { taskId: params.id, agentId: principal.username });
    const authorize = (task: CallbackTask) => requireGroup(principal, TASK_QUEUES[queueOf(task.purpose)].groups, `a ${task.purpose} task`);
    return { status: 200, body: await recordCallbackOutcome(ports, { authorize })(input) };
  };
}
