import type { ChainHead } from '../workflows/audit/hash-chain.js';
import type { AnchorSignature, AuditHead, SignedAnchor } from '../workflows/audit/audit-head.js';
// What the handlers need from the outside world. AWS adapters live in ./adapters; the local runtime and the
// tests provide their own.
import type { FollowUpPolicy } from '../workflows/policy/policy-schema.js';
import type { AdvanceDecision, FollowUpSnapshot, FollowUpState, InboundEvent, TimelineEvent } from '../workflows/domain/follow-up-state.js';
import type { CallbackTask, CallOutcome, Contact, Finding, Instalment, Loan, Product, ReviewDecision, TaskQueueId } from '../workflows/domain/types.js';

/** The current time for a loan: wall clock in AWS, a per-loan virtual clock locally. */
export type Clock = (loanId: string) => Date;

/** What a borrower promised on a call: an amount (major units) by a local date. */
export interface PromiseToPay {
  date: string;
  amount: number;
}

export interface StoredLoan {
  loan: Loan;
  /** Where the follow-up stands (read with the loan: the compliance gate needs both). */
  state: FollowUpState;
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
  /** When the current attempt claimed the key: bounds the search for a receipt of an in-doubt send. */
  claimedAt: string;
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

/** What the work queue shows of a loan (LoanStore.getQueueView): no contact, case package or timeline. */
export type QueueView = Pick<FollowUpSnapshot, 'loan' | 'state' | 'instalments'>;

/** An inbox event a step consumed: its id and time name its item (table-keys `keys.inbox`). */
export type ConsumedEvent = Pick<InboundEvent, 'eventId' | 'at'>;

export type StoredSnapshot = FollowUpSnapshot & {
  version: number;
  inbox: InboundEvent[];
  /** Set by pinStep: the step at this version got as far as its sends, deciding at `at`. */
  pinnedStep?: PinnedStep;
};

/** The time a step decided at, kept until its commit so that a retry decides the same (see pinStep). */
export interface PinnedStep {
  version: number;
  at: string;
}

/** What record-callback-outcome writes for one call (see LoanStore.recordCallAttempt). */
export interface CallAttempt {
  taskId: string;
  /** The task's attempts when the caller read it: this attempt is number seenAttempts + 1. */
  seenAttempts: number;
  /** The client's id for this attempt: sent again with a retry, it is recognised and not counted twice. */
  requestId?: string;
  outcome: {
    outcome: CallOutcome;
    findings: Finding[];
    final: boolean;
    at: string;
    notes?: string;
    by: string;
    promise?: PromiseToPay;
    decision?: ReviewDecision;
  };
  /** The CALLBACK_OUTCOME event the loan's execution picks up from its inbox. */
  event: InboundEvent;
}

/** Records appended to a loan's audit chain outside a step, and the head they move it from and to. */
export interface ChainedAppend {
  records: TimelineEvent[];
  from: ChainHead | null;
  /** The new head, with its MAC. */
  to: AuditHead;
}

export interface LoanStore {
  /** Creates loan, contact, schedule and initial state atomically; false if the loan already exists. */
  createLoan(input: { loan: Loan; contact: Contact; instalments: Instalment[]; requestHash: string; now: string }): Promise<boolean>;
  getLoan(loanId: string): Promise<StoredLoan | undefined>;
  /** Every loan with where its follow-up stands (a full scan: operations and the local runtime only). */
  listLoans(): Promise<LoanSummary[]>;
  getContact(loanId: string): Promise<Contact | undefined>;
  updateContact(loanId: string, contact: Partial<Contact>): Promise<void>;
  /**
   * Loan, instalments, follow-up state, open tasks and the events waiting in the inbox (in listInbox's order),
   * with the version for optimistic locking: one Query.
   */
  getSnapshot(loanId: string): Promise<StoredSnapshot | undefined>;
  /**
   * Records, before a step's first send, the time it decided at, on the loan's record (the commit clears it):
   * a retry of the step after its sends decides at that time again, so it records the sends the first attempt
   * made even when the clock has since crossed a boundary (a reminder's cut-off). ConcurrentUpdateError if the
   * version moved.
   */
  pinStep(loanId: string, step: PinnedStep): Promise<void>;
  /**
   * Persists a step's outcome and deletes the inbox events it consumed (as getSnapshot returned them: each names
   * its own item, so nothing is kept between the two calls); throws ConcurrentUpdateError if the version moved.
   */
  commitDecision(loanId: string, version: number, decision: AdvanceDecision, consumed: ConsumedEvent[]): Promise<void>;
  appendTimeline(events: TimelineEvent[]): Promise<void>;
  listTimeline(loanId: string): Promise<TimelineEvent[]>;
  listTasks(loanId: string): Promise<CallbackTask[]>;
  getTask(taskId: string): Promise<CallbackTask | undefined>;
  /** A task and its loan's record, read together (one BatchGetItem): what recording a call needs to check. */
  getTaskAndLoan(taskId: string): Promise<{ task: CallbackTask | undefined; loan: StoredLoan | undefined }>;
  /**
   * One call attempt, all or nothing: the outcome on the open task and its event in the loan's inbox, in one
   * transaction. Throws TaskNotFoundError, TaskAlreadyAnsweredError, or ConcurrentUpdateError when another
   * attempt landed since `seenAttempts` was read; when `requestId` already recorded an attempt, writes nothing
   * and returns the task as that attempt left it (`replayed`).
   */
  recordCallAttempt(attempt: CallAttempt): Promise<{ replayed: false } | { replayed: true; task: CallbackTask }>;
  /** Puts an event in the loan's inbox once (the same event again is a no-op); LoanNotFoundError for no loan. */
  appendInbox(loanId: string, event: InboundEvent): Promise<void>;
  listInbox(loanId: string): Promise<InboundEvent[]>;
  /**
   * Stores the token of the execution's current wait, only for the live generation: STALE for an older one.
   * EVENTS_PENDING when events reached the inbox that no committed step has consumed yet (the loan's record
   * counts them: appends add one, commits take off what they consumed), so the waiting side need not read the
   * inbox after every step.
   */
  setWaitToken(loanId: string, generation: number, token: string): Promise<'STALE' | 'WAITING' | 'EVENTS_PENDING'>;
  getWaitToken(loanId: string): Promise<string | undefined>;
  /** Claims a send key; returns the existing record if it was claimed before. */
  claimSend(loanId: string, key: string, now: string): Promise<SendRecord | undefined>;
  /**
   * Takes over a claim the provider never accepted, for one more attempt: moves claimedAt from `claimedAt`
   * to `now` if the key is still CLAIMED at `claimedAt`; false if another attempt moved it first.
   */
  reclaimSend(loanId: string, key: string, claimedAt: string, now: string): Promise<boolean>;
  markSent(loanId: string, key: string, messageId: string): Promise<void>;
  putLegalCase(pkg: LegalCasePackage): Promise<void>;
  getLegalCase(loanId: string): Promise<LegalCasePackage | undefined>;
  /**
   * Flags the loan for operations. With `chained`, the same write appends the failure's record to the loan's audit
   * chain and moves the head from `from` to `to` (all or nothing): ConcurrentUpdateError if the head moved since
   * it was read (a step committed), so the caller links the record again.
   */
  markFlagged(loanId: string, reason: string, now: string, chained?: ChainedAppend): Promise<void>;
  /**
   * Retention: replaces the loan's contact record with an empty one (phone and email blank, no vehicle plate,
   * VIN or collateral description, `anonymisedAt` set), with the chained records (CONTACT_ANONYMISED) and the
   * head moved as in markFlagged, in one write. ConcurrentUpdateError if the head moved since it was read.
   */
  anonymiseContact(loanId: string, now: string, chained: ChainedAppend): Promise<void>;
  /**
   * Open tasks from the work-queue index (gsi1 `QUEUE#OPEN`), most urgent stored priority first, at most
   * `limit` (default 500) of those with one of `purposes` and in one of `queues` (queueOfTask). The index is
   * eventually consistent in DynamoDB.
   */
  listOpenTasks(options?: { purposes?: readonly string[]; queues?: readonly TaskQueueId[]; limit?: number }): Promise<CallbackTask[]>;
  /** Legal referrals from gsi1 `REFERRALS`, newest first. */
  listReferrals(): Promise<LegalReferral[]>;
  /** The loan page: loan, state, schedule, every task, timeline and contact; undefined for an unknown loan. */
  getLoanView(loanId: string): Promise<LoanView | undefined>;
  /** What the work queue shows of a loan (loan, state, schedule) and nothing else; undefined for an unknown loan. */
  getQueueView(loanId: string): Promise<QueueView | undefined>;
}

/** What a provider acknowledged for one send: the message id it gave, and when it took the message. */
export interface DeliveryReceipt {
  loanId: string;
  /** The send key (loan, purpose, occurrence, channel), e.g. `REMINDER:3:BEFORE:SMS` or `TEAM:...`. */
  key: string;
  messageId: string;
  acceptedAt: string;
}

/**
 * An SMS the provider took, known only by its destination: SNS's delivery logs carry no key of ours.
 * `destination` is a salted SHA-256 of the phone number, never the number itself.
 */
export interface DestinationReceipt {
  destination: string;
  messageId: string;
  acceptedAt: string;
  /** The send (`<loanId>/<key>`) an in-doubt lookup matched this receipt to; each receipt settles one send. */
  matchedTo?: string;
}

/** Where provider receipts are kept (the loan table in AWS and locally; see DynamoLoanStore). */
export interface ReceiptStore {
  /** Idempotent: the same receipt twice is one receipt. */
  putReceipt(receipt: DeliveryReceipt): Promise<void>;
  getReceipt(loanId: string, key: string): Promise<DeliveryReceipt | undefined>;
  putDestinationReceipt(receipt: DestinationReceipt): Promise<void>;
  /** Receipts to one destination accepted in [from, to], oldest first. */
  listDestinationReceipts(destination: string, from: string, to: string): Promise<DestinationReceipt[]>;
  /** Ties a destination receipt to one send; false if it is already tied to another. Repeating the same match is true. */
  matchDestinationReceipt(receipt: DestinationReceipt, matchedTo: string): Promise<boolean>;
  /** Message ids already on SENT markers of the loan (the receipts an in-doubt SMS cannot be). */
  listSentMessageIds(loanId: string): Promise<string[]>;
}

/** Whether the provider accepted the message of an in-doubt send. */
export type DeliveryLookup = { status: 'ACCEPTED'; messageId: string } | { status: 'NOT_ACCEPTED' } | { status: 'UNKNOWN' };

/**
 * Answers for a send whose attempt ended between claiming its key and recording the provider's answer (a
 * Lambda timeout after SNS or SES took the message, a crash): did the message go? UNKNOWN while receipts may
 * still be on their way (a window after claimedAt); the caller tries again later.
 */
export interface DeliveryReceipts {
  lookup(input: { loanId: string; key: string; channel: 'SMS' | 'EMAIL' | 'TEAM'; to: string; claimedAt: string; now: string }): Promise<DeliveryLookup>;
}

export interface SmsSender {
  /** Whether the number is on the provider's opt-out list (a borrower who replied STOP / T). */
  isOptedOut?(phone: string): Promise<boolean>;
  sendSms(input: { phone: string; body: string; loanId: string; purpose: string; key: string }): Promise<string>;
}

export interface EmailSender {
  /** `unsubscribeUrl` (also in the body) becomes the List-Unsubscribe header, for one-click unsubscribe (RFC 8058). */
  sendEmail(input: { to: string; subject: string; body: string; loanId: string; purpose: string; key: string; unsubscribeUrl?: string }): Promise<string>;
}

export interface TeamNotifier {
  notify(input: { team: 'supervisors' | 'legal'; subject: string; message: string; loanId: string; key: string }): Promise<string>;
}

export interface WorkflowControl {
  startExecution(input: { name: string; input: object }): Promise<{ executionArn: string; alreadyRunning: boolean }>;
  sendTaskSuccess(token: string, output: object): Promise<'DELIVERED' | 'STALE'>;
}

export type PolicySource = (product: Product) => FollowUpPolicy;

/**
 * Authenticates a loan's audit head: a MAC over (loan, seq, hash) with a key only the committing functions
 * (AdvanceLoan, FlagForOperations) may use to sign (KMS HMAC key in AWS, a local key otherwise).
 */
export interface AuditSigner {
  sign(loanId: string, head: ChainHead): Promise<string>;
  verify(loanId: string, head: ChainHead, mac: string): Promise<boolean>;
}

/** Every loan's audit head, as the anchor job reads them (loans without one yet are left out). */
export interface AuditHeadSource {
  listAuditHeads(): Promise<{ loanId: string; head: AuditHead }[]>;
}

/** Signs an anchor's bytes with a key only the anchor job may sign with (KMS asymmetric key in AWS). */
export interface AnchorSigner {
  sign(message: string): Promise<AnchorSignature>;
  verify(message: string, signature: AnchorSignature): Promise<boolean>;
}

/** Where anchors are kept outside the table (S3 with Object Lock in AWS, a folder locally). */
export interface AnchorStore {
  /** Writes one anchor; returns where it went. */
  put(anchor: SignedAnchor): Promise<string>;
  /** The newest anchors first, at most `limit`, each with where it is. */
  latest(limit: number): Promise<{ location: string; anchor: SignedAnchor }[]>;
}
