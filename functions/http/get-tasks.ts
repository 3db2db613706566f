import type { LoanStore } from '../ports.js';
import { localDate, toOffsetIso } from '../../workflows/domain/local-time.js';
import { riskRatingOf } from '../../workflows/domain/risk-rating.js';
import { daysPastDue } from '../../workflows/domain/schedule.js';
import { purposesOfQueue, queueOfTask } from '../../workflows/domain/task-queue.js';
import { DECISION_REVIEWS, WARNING_LEVELS, type TaskPurpose } from '../../workflows/domain/types.js';
import type { QueueView } from '../ports.js';
import type { ApiPorts } from './api-ports.js';
import { ForbiddenError } from './http-errors.js';
import type { RouteHandler } from './http-handler.js';
import { overdueSeqOf } from '../../workflows/compliance/call-gate.js';
import { contactNow, promiseLatestDate, recallDateBounds } from './loan-presenter.js';
import type { Principal } from './principal.js';
import { groupsOfQueue, isBorrowerContact, TASK_QUEUE_NAMES, type TaskQueue } from './task-queues.js';

/** Loans read at once while enriching a page of the queue. */
const LOAN_READS_IN_FLIGHT = 16;

/**
 * GET /api/tasks: the open tasks of the queues the caller works, filtered by queue (the one each task carries:
 * collection calls go by tier) and purpose, most urgent first (warning level, days past due, priority, due time:
 * a re-queued task, more urgent but due a week on, comes before new ones), each
 * with the borrower's local time, whether a call now is allowed and the latest date a promise may name.
 * The index is keyed by purpose: it is read for the purposes the queues can hold, then filtered by queue.
 */
export function getTasks(ports: Pick<ApiPorts, 'clock' | 'policies'> & { store: Pick<LoanStore, 'getQueueView' | 'listOpenTasks'> }): RouteHandler {
  return async ({ principal, query }) => {
    const { queue, purpose, limit } = query as { queue?: TaskQueue[]; purpose?: TaskPurpose[]; limit: number };
    const queues = queuesFor(principal, queue);
    const purposes = [...new Set(queues.flatMap((q) => purposesOfQueue(q)))].filter((p) => !purpose || purpose.includes(p));
    const tasks = purposes.length === 0 ? [] : await ports.store.listOpenTasks({ purposes, queues, limit });
    const views = await loadViews(ports.store, [...new Set(tasks.map((t) => t.loanId))]);
    const listed = tasks.flatMap((task) => {
      const view = views.get(task.loanId);
      if (!view) return [];
      const { loan, state } = view;
      const now = ports.clock(loan.loanId).toISOString();
      const extra = task as typeof task & { attempts?: number; lastAttemptAt?: string };
      return [
        {
          taskId: task.taskId,
          loanId: task.loanId,
          purpose: task.purpose,
          queue: queueOfTask(task),
          priority: task.priority,
          createdAt: task.createdAt,
          dueBy: task.dueBy,
          heldUntil: task.heldUntil ?? null,
          overdue: task.dueBy < now,
          requeues: task.requeues,
          attempts: extra.attempts ?? 0,
          lastAttemptAt: extra.lastAttemptAt ?? null,
          product: loan.product,
          riskRating: riskRatingOf(loan, state),
          warningLevel: state.warningLevel,
          classification: state.classification,
          adHoc: task.adHoc === true,
          note: task.note ?? null,
          dpd: daysPastDue(view.instalments, localDate(now, loan.timezone)),
          timezone: loan.timezone,
          locale: loan.locale,
          borrowerLocalTime: toOffsetIso(now, loan.timezone),
          contactNow: isBorrowerContact(task.purpose) ? contactNow(loan, state, task.purpose, now, overdueSeqOf(task.taskId)) : null,
          promiseLatestDate: isBorrowerContact(task.purpose) ? promiseLatestDate(loan, ports.policies(loan.product), now) : null,
          ...((DECISION_REVIEWS as readonly string[]).includes(task.purpose)
            ? recallDateBounds(loan, ports.policies(loan.product), now)
            : { recallEarliestDate: null, recallLatestDate: null }),
        },
      ];
    });
    listed.sort(
      (a, b) =>
        WARNING_LEVELS.indexOf(b.warningLevel) - WARNING_LEVELS.indexOf(a.warningLevel) ||
        b.dpd - a.dpd ||
        b.priority - a.priority ||
        a.dueBy.localeCompare(b.dueBy) ||
        a.taskId.localeCompare(b.taskId),
    );
    const now = listed[0] ? ports.clock(listed[0].loanId).toISOString() : ports.clock('').toISOString();
    return { status: 200, body: { now, queues: queuesFor(principal, undefined), tasks: listed } };
  };
}

function queuesFor(principal: Principal, asked: TaskQueue[] | undefined): TaskQueue[] {
  const allowed = TASK_QUEUE_NAMES.filter((q) => principal.groups.some((g) => groupsOfQueue(q).includes(g)));
  if (!asked) return allowed;
  const refused = asked.filter((q) => !allowed.includes(q));
  if (refused.length > 0) throw new ForbiddenError(`queue: the ${refused.join(', ')} queue is not open to ${principal.groups.join(', ')}`, 'queue');
  return asked;
}

/** The queue's view of each loan (loan, state, schedule): never its contact, case package or timeline. */
async function loadViews(store: Pick<LoanStore, 'getQueueView'>, loanIds: string[]): Promise<Map<string, QueueView>> {
  const views = new Map<string, QueueView>();
  for (let i = 0; i < loanIds.length; i += LOAN_READS_IN_FLIGHT) {
    const batch = loanIds.slice(i, i + LOAN_READS_IN_FLIGHT);
    const loaded = await Promise.all(batch.map((id) => store.getQueueView(id)));
    batch.forEach((id, j) => loaded[j] && views.set(id, loaded[j]!));
  }
  return views;
}
