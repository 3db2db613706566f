import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { addDaysIso, addLocalDays, atLocalTime, localDate } from '../workflows/domain/local-time.js';
import type { AdHocPurpose } from '../workflows/domain/types.js';
import { deliverEvent, type DeliveryStore } from './deliver-event.js';
import { LoanClosedError, LoanNotFoundError, ValidationError } from './errors.js';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, PolicySource, WorkflowControl } from './ports.js';
import { loanTaskSchema } from './schemas.js';

type Ports = { store: DeliveryStore & Pick<LoanStore, 'getLoan'>; workflow: WorkflowControl; clock: Clock; logger: Logger; policies: PolicySource };

/** Who may ask for which task: the operations API checks the caller works the purpose's queue. */
export type AuthorizePurpose = (purpose: AdHocPurpose) => void;

/**
 * Staff add a task to a loan by hand (a callback, a field visit, a review) with a due date and a note: it goes to
 * the loan's inbox as TASK_REQUESTED and the loan's next step creates it like any other task (the same queue,
 * compliance gate, re-queues and outcomes; CALLBACK_CREATED with adHoc and by). The note stays in the table (the
 * inbox, the task), never in the execution's input. An unknown loan is a 404, a closed one a 409; a due date
 * in the past or beyond the policy's `tasks.adHocMaxDaysAhead` a 400 on dueBy; nothing is written then.
 */
export function createLoanTask(ports: Ports, options: { authorize?: AuthorizePurpose } = {}) {
  return async (event: unknown) => {
    const input = parseInput(loanTaskSchema, event);
    options.authorize?.(input.purpose);
    const stored = await ports.store.getLoan(input.loanId);
    if (!stored) throw new LoanNotFoundError(input.loanId);
    if (stored.state.status === 'CLOSED') throw new LoanClosedError(input.loanId);
    const { loan } = stored;
    const policy = ports.policies(loan.product);
    const at = ports.clock(loan.loanId).toISOString();
    // A local date is due by the end of that day where the borrower lives.
    const dueBy = input.dueBy.length === 10 ? atLocalTime(addLocalDays(input.dueBy, 1), '00:00', loan.timezone) : new Date(input.dueBy).toISOString();
    const latest = addDaysIso(at, policy.tasks.adHocMaxDaysAhead);
    if (dueBy <= at)
      throw new ValidationError([{ field: 'dueBy', reason: `must not be in the past (today is ${localDate(at, loan.timezone)} in the borrower’s time zone)` }]);
    if (dueBy > latest) throw new ValidationError([{ field: 'dueBy', reason: `must be at most ${policy.tasks.adHocMaxDaysAhead} days ahead (by ${latest})` }]);
    const eventId = `TASK-${
      input.requestId ??
      createHash('sha256')
        .update(`${loan.loanId}|${input.purpose}|${dueBy}|${input.note ?? ''}|${input.by}|${at}`)
        .digest('hex')
        .slice(0, 16)
    }`;
    const delivery = await deliverEvent(ports, loan.loanId, {
      type: 'TASK_REQUESTED',
      eventId,
      at,
      purpose: input.purpose,
      dueBy,
      ...(input.note ? { note: input.note } : {}),
      by: input.by,
    });
    return { loanId: loan.loanId, eventId, taskId: `${loan.loanId}.ADHOC.${eventId}`, purpose: input.purpose, dueBy, delivery };
  };
}
