import type { LoanStore } from '../../functions/ports.js';
import { loanIdOfTask, type CallbackTask, type Instalment, type Loan } from '../../workflows/domain/types.js';
import type { LegalCase, WorldView } from '../world/simulated-world.js';

interface LoanFacts {
  loan: Loan;
  instalments: Instalment[];
  closed: boolean;
  open: Map<string, CallbackTask>;
  legal?: LegalCase;
  /** RESTRUCTURED and LOAN_RECALLED records so far: the world re-reads the schedule when this moves. */
  scheduleChanges: number;
}

export interface ObservedView extends WorldView {
  /** Called when a loan's follow-up closes it (repaid or paid off). */
  onClosed?: (loanId: string) => void;
}

/**
 * The simulated agents' view of the loans, kept from what the handlers write instead of read back from the
 * store: the loan and its schedule when it is created, the callback tasks each step creates, re-queues or
 * cancels, each outcome an agent records, and the legal case a step opens (with its referral's time). It answers exactly what `storeView` would (same tasks, same
 * order), but costs no reads, so the DynamoDB figures of a simulation are the product's own and a wait does
 * not query the table.
 *
 * It wraps three methods of this store instance (the handlers call them on the same object); every write
 * goes through them in a simulation, which starts from an empty table.
 */
export function observeStore(store: LoanStore): ObservedView {
  const loans = new Map<string, LoanFacts>();
  const view: ObservedView = {
    loan: async (loanId) => {
      const facts = loans.get(loanId);
      return (
        facts && {
          loan: facts.loan,
          instalments: facts.instalments,
          closed: facts.closed,
          scheduleChanges: facts.scheduleChanges,
          ...(facts.legal ? { legal: facts.legal } : {}),
        }
      );
    },
    openTasks: async (loanId) => {
      const open = loans.get(loanId)?.open;
      // The store lists tasks by sort key (TASK#<taskId>, ASCII): the same order here.
      return open ? [...open.values()].sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0)) : [];
    },
  };

  const createLoan = store.createLoan.bind(store);
  store.createLoan = async (input) => {
    const created = await createLoan(input);
    if (created) loans.set(input.loan.loanId, { loan: input.loan, instalments: input.instalments, closed: false, open: new Map(), scheduleChanges: 0 });
    return created;
  };

  const commitDecision = store.commitDecision.bind(store);
  store.commitDecision = async (loanId, version, decision, consumed) => {
    await commitDecision(loanId, version, decision, consumed);
    const facts = loans.get(loanId);
    if (!facts) return;
    facts.instalments = decision.instalments;
    for (const event of decision.timeline) if (event.type === 'RESTRUCTURED' || event.type === 'LOAN_RECALLED') facts.scheduleChanges += 1;
    const caseId = decision.state.legalCaseId;
    if (caseId && !facts.legal) {
      const referral = decision.timeline.find((e) => e.type === 'LEGAL_REFERRAL');
      facts.legal = { caseId, referredAt: referral?.at ?? decision.state.lastLegalEventAt ?? decision.state.lastAdvancedAt };
    }
    for (const effect of decision.effects) {
      if (effect.kind !== 'CREATE_TASK' && effect.kind !== 'UPDATE_TASK') continue;
      if (effect.task.status === 'OPEN') facts.open.set(effect.task.taskId, effect.task);
      else facts.open.delete(effect.task.taskId);
    }
    if (decision.state.status === 'CLOSED' && !facts.closed) {
      facts.closed = true;
      view.onClosed?.(loanId);
    }
  };

  const recordCallAttempt = store.recordCallAttempt.bind(store);
  store.recordCallAttempt = async (attempt) => {
    const result = await recordCallAttempt(attempt);
    const facts = loans.get(loanIdOfTask(attempt.taskId));
    if (facts && !result.replayed && attempt.outcome.final) facts.open.delete(attempt.taskId);
    return result;
  };

  return view;
}
