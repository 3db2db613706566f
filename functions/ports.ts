// What the handlers need from the outside world. AWS adapters live in ./adapters; the local runtime and the
// tests provide their own.
import type { FollowUpPolicy } from '../workflows/policy/policy-schema.js';
import type { AdvanceDecision, FollowUpSnapshot, InboundEvent, TimelineEvent } from '../workflows/domain/follow-up-state.js';
import type { CallbackTask, CallOutcome, Contact, Finding, Instalment, Loan, Product } from '../workflows/domain/types.js';

/** The current time for a loan: wall clock in AWS, a per-loan virtual clock locally. */
export type Clock = (loanId: string) => Date;

/** What a borrower promised on a call: an amount (major units) by a local date. */
export interface PromiseToPay {
  date: string;
  amount: number;
}

export interface StoredLoan {
  loan: Loan;
  /** Hash of the onboarding request, to tell a repeat from a conflicting one. */
  requestHash: string;
}

export interface LoanSummary {
  loanId: string;
  status: string;
  generation: number;
  lastAdvancedAt: string;
}

export interface SendRecord {
  key: string;
  status: 'CLAIMED' | 'SENT';
  messageId?: string;
}

export interface LegalCasePackage {
  caseId: string;
  loanId: string;
  referredAt: string;
  reason: string;
  loan: Loan;
  instalments: Instalment[];
  tasks: CallbackTask[];
  timeline: TimelineEvent[];
  warningLevel: string;
  classification: string;
}

/** A legal referral as the legal team's list shows it (the full package is fetched on its own). */
export interface LegalReferral {
  caseId: string;
  loanId: string;
  referredAt: string;
  reason: string;
  warningLevel: string;
  classification: string;
  product: string;
  principal: number;
}

/** Everything the loan page shows, read in one go. */
export interface LoanView extends FollowUpSnapshot {
  version: number;
  contact: Contact | undefined;
  /** Every task of the loan, open or not, by taskId. */
  tasks: CallbackTask[];
  timeline: TimelineEvent[];
  flagged?: { reason: string; at: string };
  referral?: { caseId: string; referredAt: string; reason: string };
}

export interface LoanStore {
  /** Creates loan, contact, schedule and initial state atomically; false if the loan already exists. */
  createLoan(input: { loan: Loan; contact: Contact; instalments: Instalment[]; requestHash: string; now: string }): Promise<boolean>;
  getLoan(loanId: string): Promise<StoredLoan | undefined>;
  /** Every loan with where its follow-up stands (a full scan: operations and the local runtime only). */
  listLoans(): Promise<LoanSummary[]>;
  getContact(loanId: string): Promise<Contact | undefined>;
  updateContact(loanId: string, contact: Partial<Contact>): Promise<void>;
  /** Loan, instalments, follow-up state and open tasks, with the version for optimistic locking. */
  getSnapshot(loanId: string): Promise<(FollowUpSnapshot & { version: number }) | undefined>;
  /** Persists a step's outcome; throws ConcurrentUpdateError if the version moved. */
  commitDecision(loanId: string, version: number, decision: AdvanceDecision, consumedEventIds: string[]): Promise<void>;
  appendTimeline(events: TimelineEvent[]): Promise<void>;
  listTimeline(loanId: string): Promise<TimelineEvent[]>;
  listTasks(loanId: string): Promise<CallbackTask[]>;
  getTask(taskId: string): Promise<CallbackTask | undefined>;
  /** Records an outcome on an open task; throws TaskAlreadyAnsweredError if it is not open. */
  recordTaskOutcome(
    taskId: string,
    outcome: { outcome: CallOutcome; findings: Finding[]; final: boolean; at: string; notes?: string; by: string; promise?: PromiseToPay },
  ): Promise<CallbackTask>;
  appendInbox(loanId: string, event: InboundEvent): Promise<void>;
  listInbox(loanId: string): Promise<InboundEvent[]>;
  /** Stores the token of the execution's current wait, only for the live generation. */
  setWaitToken(loanId: string, generation: number, token: string): Promise<boolean>;
  getWaitToken(loanId: string): Promise<string | undefined>;
  /** Claims a send key; returns the existing record if it was claimed before. */
  claimSend(loanId: string, key: string, now: string): Promise<SendRecord | undefined>;
  markSent(loanId: string, key: string, messageId: string): Promise<void>;
  putLegalCase(pkg: LegalCasePackage): Promise<void>;
  getLegalCase(loanId: string): Promise<LegalCasePackage | undefined>;
  markFlagged(loanId: string, reason: string, now: string): Promise<void>;
  /**
   * Open tasks from the work-queue index (gsi1 `QUEUE#OPEN`), most urgent stored priority first, at most
   * `limit` (default 500) of those with one of `purposes`. The index is eventually consistent in DynamoDB.
   */
  listOpenTasks(options?: { purposes?: readonly string[]; limit?: number }): Promise<CallbackTask[]>;
  /** Legal referrals from gsi1 `REFERRALS`, newest first. */
  listReferrals(): Promise<LegalReferral[]>;
  /** The loan page: loan, state, schedule, every task, timeline and contact; undefined for an unknown loan. */
  getLoanView(loanId: string): Promise<LoanView | undefined>;
}

export interface SmsSender {
  sendSms(input: { phone: string; body: string; loanId: string; purpose: string; key: string }): Promise<string>;
}

export interface EmailSender {
  sendEmail(input: { to: string; subject: string; body: string; loanId: string; purpose: string; key: string }): Promise<string>;
}

export interface TeamNotifier {
  notify(input: { team: 'supervisors' | 'legal'; subject: string; message: string; loanId: string; key: string }): Promise<string>;
}

export interface WorkflowControl {
  startExecution(input: { name: string; input: object }): Promise<{ executionArn: string; alreadyRunning: boolean }>;
  sendTaskSuccess(token: string, output: object): Promise<'DELIVERED' | 'STALE'>;
}

export type PolicySource = (product: Product) => FollowUpPolicy;
