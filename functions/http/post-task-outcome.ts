import { TaskNotFoundError } from '../errors.js';
import { recordCallbackOutcome } from '../record-callback-outcome.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';
import { requireGroup } from './principal.js';
import { queueOf, TASK_QUEUES } from './task-queues.js';

/**
 * POST /api/tasks/{id}/outcome: records the call (the caller is the agent) and resumes the waiting loan.
 * Review tasks are the risk officers' to answer.
 */
export function postTaskOutcome(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger'>): RouteHandler {
  const record = recordCallbackOutcome(ports);
  return async ({ principal, params, body }) => {
    const input = bodyWith(body, { taskId: params.id, agentId: principal.username });
    const task = await ports.store.getTask(params.id);
    if (!task) throw new TaskNotFoundError(params.id);
    const queue = queueOf(task.purpose);
    requireGroup(principal, TASK_QUEUES[queue].groups, `a ${task.purpose} task`);
    return { status: 200, body: await record(input) };
  };
}
