import type { InboundEvent } from '../workflows/domain/follow-up-state.js';
import { LoanClosedError, LoanNotFoundError } from './errors.js';
import type { LoanStore, WorkflowControl } from './ports.js';

/** What delivering an event takes: the inbox, and the wait token of the execution to wake. */
export type DeliveryStore = Pick<LoanStore, 'appendInbox' | 'getWaitToken'>;

/**
 * Events are taken for loans that exist and are not closed. The inbox itself refuses others (appendInbox); this
 * check, one GetItem of the loan's record, is for a caller that writes something else first.
 */
export async function requireOpenLoan(store: Pick<LoanStore, 'getLoan'>, loanId: string): Promise<void> {
  const stored = await store.getLoan(loanId);
  if (!stored) throw new LoanNotFoundError(loanId);
  if (stored.state.status === 'CLOSED') throw new LoanClosedError(loanId);
}

/**
 * Puts the event in the loan's inbox first (LoanNotFoundError or LoanClosedError, with nothing written, if the
 * loan is not open), then wakes the waiting execution. If the execution is busy, it
 * finds the event in the inbox when it next waits, so nothing is lost either way.
 */
export async function deliverEvent(
  ports: { store: DeliveryStore; workflow: WorkflowControl },
  loanId: string,
  event: InboundEvent,
): Promise<'WOKEN' | 'QUEUED'> {
  await ports.store.appendInbox(loanId, event);
  return wakeLoan(ports, loanId);
}

/** Wakes the loan's execution if it is waiting, to read an event already in its inbox. */
export async function wakeLoan(ports: { store: Pick<LoanStore, 'getWaitToken'>; workflow: WorkflowControl }, loanId: string): Promise<'WOKEN' | 'QUEUED'> {
  const token = await ports.store.getWaitToken(loanId);
  if (!token) return 'QUEUED';
  return (await ports.workflow.sendTaskSuccess(token, { reason: 'EVENT' })) === 'DELIVERED' ? 'WOKEN' : 'QUEUED';
}
