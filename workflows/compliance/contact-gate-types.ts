import type { Channel } from '../domain/types.js';

export type ContactChannel = Channel | 'CALL';

/** A contact about to happen: a message to send or a call offered to an agent. */
export interface ContactAttempt {
  loanId: string;
  channel: ContactChannel;
  purpose: string;
  at: string;
  timezone: string;
  /** The overdue instalment the contact is about, if any. */
  overdueSeq?: number;
}

/** A contact that already happened, as far as the gate needs to know. */
export interface PastContact {
  channel: ContactChannel;
  purpose: string;
  at: string;
  /** A call that reached the borrower and was a conversation. */
  conversation?: boolean;
  overdueSeq?: number;
}

export interface ContactStanding {
  status: 'ACTIVE' | 'LEGAL' | 'CLOSED';
  optedOut: ContactChannel[];
  doNotContact: boolean;
  /** Contacts of the last weeks; older ones may be left out. */
  recent: PastContact[];
}

/** `code` is what the timeline records (CONTACT_SUPPRESSED.reason); `reason` says it in words. */
export type RuleVerdict = { allowed: true } | { allowed: false; code: string; reason: string; retryAt: string | null };

export interface ContactRule<Config> {
  id: string;
  description: string;
  check(attempt: ContactAttempt, standing: ContactStanding, config: Config): RuleVerdict;
}

export interface GateDecision {
  allowed: boolean;
  pack: string;
  packVersion: string;
  blockedBy: { rule: string; code: string; reason: string }[];
  /** The first moment every blocking rule allows the contact again; null when never. */
  retryAt: string | null;
  /** True when a rule could not decide; nobody is contacted and the case is flagged. */
  undecided: boolean;
}

export const allowed: RuleVerdict = { allowed: true };
