import type { InboundEvent } from '../workflows/domain/follow-up-state.js';
import type { LoanStore, WorkflowControl } from './ports.js';

/**
 * Puts the event in the loan's inbox first, then wakes the waiting execution. If the execution is busy, it
 * finds the event in the inbox when it next waits, so nothing is lost either way.
 */
export async function deliverEvent(ports: { store: LoanStore; workflow: WorkflowControl }, loanId: string, event: InboundEvent): Promise<'WOKEN' | 'QUEUED'> {
  await ports.store.appendInbox(loanId, event);
  const token = await ports.store.getWaitToken(loanId);
  if (!token) return 'QUEUED';
  return (await ports.workflow.sendTaskSuccess(token, { reason: 'EVENT' })) === 'DELIVERED' ? 'WOKEN' : 'QUEUED';
}
