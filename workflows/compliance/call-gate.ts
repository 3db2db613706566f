// The gate for a call offered to an agent: the same pack as messages, asked about channel CALL.
import type { FollowUpState } from '../domain/follow-up-state.js';
import type { Loan, TaskPurpose } from '../domain/types.js';
import { evaluateContact, packFor } from './contact-gate.js';

/** Review tasks are between staff: they contact nobody, so no gate applies. */
const STAFF_PURPOSES: readonly TaskPurpose[] = ['RESTRUCTURE_REVIEW', 'COLLATERAL_REVIEW', 'RECALL_REVIEW', 'PRE_LEGAL_REVIEW', 'LEGAL_FOLLOW_UP'];

export interface CallVerdict {
  allowed: boolean;
  /** Rule codes, as CONTACT_SUPPRESSED records them (CONTACT_WINDOW, CALL_FREQUENCY, ...). */
  codes: string[];
  reasons: string[];
  /** When a call is allowed again; null when no moment is foreseeable (opt-out, legal referral). */
  retryAt: string | null;
  /** `cn@1` style: the pack and version that decided. */
  compliance: string;
}

export function contactsBorrower(purpose: TaskPurpose): boolean {
  return !STAFF_PURPOSES.includes(purpose);
}

/** Collection tasks are about one overdue instalment: `L-1.COLLECTION.4.DPD3` → 4. */
export function overdueSeqOf(taskId: string): number | undefined {
  const seq = /\.COLLECTION\.(\d+)\./.exec(taskId)?.[1];
  return seq ? Number(seq) : undefined;
}

/** Whether calling the borrower about `purpose` at `now` passes the compliance pack of their time zone. */
export function callVerdict(loan: Loan, state: FollowUpState, purpose: TaskPurpose | 'CALL', now: string, overdueSeq?: number): CallVerdict {
  const pack = packFor(loan.timezone);
  const decision = evaluateContact(
    pack,
    { loanId: loan.loanId, channel: 'CALL', purpose, at: now, timezone: loan.timezone, ...(overdueSeq !== undefined ? { overdueSeq } : {}) },
    { status: state.status, optedOut: state.optedOut, doNotContact: state.doNotContact ?? false, recent: state.recentContacts ?? [] },
  );
  return {
    allowed: decision.allowed,
    codes: decision.blockedBy.map((b) => b.code),
    reasons: decision.blockedBy.map((b) => b.reason),
    retryAt: decision.retryAt,
    compliance: `${pack.id}@${pack.version}`,
  };
}
