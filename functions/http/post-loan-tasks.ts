import { defaultQueueOf } from '../../workflows/domain/task-queue.js';
import { createLoanTask } from '../create-loan-task.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';
import { requireGroup } from './principal.js';
import { groupsOfQueue } from './task-queues.js';

/**
 * POST /api/loans/{id}/tasks: a task added by hand. The caller must work the queue the task goes to (reviews are
 * risk's: 403 for an agent), checked before anything is read or written.
 */
export function postLoanTasks(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger' | 'policies'>): RouteHandler {
  return async ({ principal, params, body }) => {
    const authorize = (purpose: Parameters<typeof defaultQueueOf>[0]) =>
      requireGroup(principal, groupsOfQueue(defaultQueueOf(purpose)), `a ${purpose} task in the ${defaultQueueOf(purpose)} queue`);
    const create = createLoanTask(ports, { authorize });
    return { status: 202, body: await create(bodyWith(body, { loanId: params.id, by: principal.username })) };
  };
}
