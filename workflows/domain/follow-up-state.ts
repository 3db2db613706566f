import type { PastContact } from '../compliance/contact-gate-types.js';
import type {
  AdHocPurpose,
  CallbackTask,
  CallOutcome,
  Channel,
  Classification,
  CloseReason,
  CollateralCondition,
  CollateralValuation,
  Finding,
  Instalment,
  LegalEventType,
  Loan,
  MessagePurpose,
  Minor,
  Phase,
  RestructurePlan,
  ReviewDecision,
  RiskRating,
  RiskRatingReason,
  TaskPurpose,
  TemplateKey,
  WarningLevel,
} from './types.js';

export type LoanStatus = 'ACTIVE' | 'LEGAL' | 'CLOSED';

/** The follow-up's own memory, persisted with the loan between steps. */
export interface DeferredSend {
  key: string;
  channel: Channel;
  purpose: MessagePurpose;
  template: TemplateKey;
  params: Record<string, string | number>;
  retryAt: string;
  /** Held back by the pacer (MESSAGE_DEFERRED): the slot it was given, so its release does not queue again. */
  pacedFor?: string;
}

export interface FollowUpState {
  status: LoanStatus;
  warningLevel: WarningLevel;
  classification: Classification;
  /** Occurrence keys already carried out; makes every step idempotent. */
  done: string[];
  nextPeriodicAt: string | null;
  anomalyUntil: string | null;
  optedOut: Channel[];
  /** Nobody contacts the borrower by any channel (set by a DO_NOT_CONTACT event). */
  doNotContact?: boolean;
  generation: number;
  generationStartedAt: string;
  legalCaseId: string | null;
  closedAt: string | null;
  lastAdvancedAt: string;
  /** Contacts of the last weeks, for the compliance gate's frequency rules. */
  recentContacts?: PastContact[];
  /** Messages the compliance gate held back, with the moment they may go. */
  deferred?: DeferredSend[];
  /** Where the loan is in its life (PHASE_CHANGED records each change); absent before the first step. */
  phase?: Phase;
  /** The collection episode under way: from the first day past due until the loan is current again. */
  episode?: CollectionEpisode | null;
  /** When each collection episode of the last 12 months began (repeated default). */
  episodeStarts?: string[];
  /** The borrower's promise to pay still waiting for its check. */
  promise?: OpenPromise | null;
  /** Why the loan closed. */
  closedReason?: CloseReason;
  /** The last legal event recorded on the case (or the referral): a case quiet too long gets a LEGAL_FOLLOW_UP. */
  lastLegalEventAt?: string;
  /** Restructures agreed so far: how many, the schedule version, the rate now, the end of the observation period. */
  restructuring?: { count: number; version: number; annualRate: number; observationUntil: string };
  /** The loan's risk rating now, once risk changed it (RISK_RATING_CHANGED); absent: the rating it was onboarded with. */
  riskRating?: RiskRating;
  /** The next field visit (self-employed and small-business borrowers of the policy's ratings), on top of the periodic callbacks. */
  nextFieldVisitAt?: string | null;
  /** The collateral's latest valuation (COLLATERAL_REVALUED); absent: the onboarding valuation stands. */
  collateral?: CollateralValuation;
  /** The next periodic collateral review of a secured loan (policy collateral.reviewEveryMonths). */
  nextCollateralReviewAt?: string | null;
  /**
   * Last link of the loan's audit hash chain (kept by the handler that commits each step), with its MAC over
   * (loan, seq, hash) from the audit key (workflows/audit/audit-head.ts).
   */
  auditHead?: { seq: number; hash: string; mac?: string };
}

export interface CollectionEpisode {
  /** 1, 2, ... over the loan's life; ladder steps are keyed by it so one episode runs one ladder. */
  number: number;
  startedAt: string;
  /** Promises broken in this episode (repeated default). */
  brokenPromises: number;
}

export interface OpenPromise {
  /** Local date by which the borrower promised to pay. */
  date: string;
  amount: Minor;
  madeAt: string;
  /** What the borrower had paid in total when promising: the check compares what was paid since. */
  paidBefore: Minor;
  /** The event that made it (PROMISE_MADE's key). */
  eventId: string;
  /** The collection episode it was made in; the loan current again then keeps it. */
  episode: number | null;
}

/** Why an opt-out was recorded for the borrower: the mail provider reported the address dead, or a complaint. */
export type OptOutReason = 'HARD_BOUNCE' | 'COMPLAINT';

/** Something that happened outside the execution and reached it through the loan's inbox. */
export type InboundEvent = (
  | { type: 'PAYMENT_RECEIVED'; eventId: string; at: string; amount: Minor }
  | { type: 'PAYOFF'; eventId: string; at: string }
  | {
      type: 'CALLBACK_OUTCOME';
      eventId: string;
      at: string;
      taskId: string;
      purpose: TaskPurpose;
      outcome: CallOutcome;
      findings: Finding[];
      final: boolean;
      /** A risk officer's decision, on review tasks that take one. */
      decision?: ReviewDecision;
      /** With `recall`: the local date the whole balance falls due (policy bounds); the policy's default if absent. */
      recallDueDate?: string;
      /** SHA-256 of the agent's notes, which stay on the task: the chained record proves what they said. */
      notesSha256?: string;
      /** On a COLLATERAL_REVIEW of a secured loan: what the inspection found it worth, and in what state. */
      valuation?: { value: Minor; condition: CollateralCondition };
    }
  | { type: 'HARDSHIP_REPORTED'; eventId: string; at: string; findings: Finding[] }
  | { type: 'CONTACT_CHANGED'; eventId: string; at: string; fields: string[] }
  | {
      type: 'OPTED_OUT';
      eventId: string;
      at: string;
      channels: Channel[];
      /** Why, when the opt-out was not the borrower's own request: SES reported a permanent bounce or a complaint. */
      reason?: OptOutReason;
    }
  | { type: 'DO_NOT_CONTACT'; eventId: string; at: string; reason: string }
  | { type: 'RESTRUCTURE_AGREED'; eventId: string; at: string; plan: RestructurePlan }
  /** Staff asked for a task by hand: created at the next step like any other (queue, compliance gate, outcomes). */
  | { type: 'TASK_REQUESTED'; eventId: string; at: string; purpose: AdHocPurpose; dueBy: string; note?: string }
  | { type: 'RISK_RATING_CHANGED'; eventId: string; at: string; riskRating: RiskRating; reason: RiskRatingReason }
  | {
      type: 'LEGAL_EVENT';
      eventId: string;
      at: string;
      caseId: string;
      event: LegalEventType;
      /** Recovered or settled amount (minor units), for settled and recovered. */
      amount?: Minor;
      /** The date the event concerns (a hearing's date), YYYY-MM-DD. */
      date?: string;
    }
) & {
  /** Who reported it (a user of the operations API, or `system`); recorded on the timeline. */
  by?: string;
  /** A borrower's promise to pay, told on a call. */
  promise?: { date: string; amount: number };
};

export interface TimelineEvent {
  loanId: string;
  at: string;
  type: string;
  /** Unique per loan; re-recording the same key is a no-op. */
  key: string;
  [detail: string]: unknown;
}

export type Effect =
  | {
      kind: 'SEND_MESSAGE';
      key: string;
      channel: Channel;
      purpose: MessagePurpose;
      template: TemplateKey;
      params: Record<string, string | number>;
      /** The compliance pack and version that let it through, e.g. cn@2026-11-01. */
      compliance: string;
      /** The pacer's slot this message was held back for: it goes when released, without queuing again. */
      pacedFor?: string;
    }
  | { kind: 'NOTIFY_TEAM'; key: string; team: 'supervisors' | 'legal'; subject: string; message: string; reason: string }
  | { kind: 'CREATE_TASK'; task: CallbackTask }
  | { kind: 'UPDATE_TASK'; task: CallbackTask }
  | { kind: 'LEGAL_REFERRAL'; caseId: string; reason: string };

export interface FollowUpSnapshot {
  loan: Loan;
  instalments: Instalment[];
  state: FollowUpState;
  /** Tasks still open, as stored. */
  openTasks: CallbackTask[];
}

export interface AdvanceRequest {
  snapshot: FollowUpSnapshot;
  events: InboundEvent[];
  now: string;
  generation: number;
  iteration: number;
}

export interface AdvanceDecision {
  state: FollowUpState;
  instalments: Instalment[];
  /** Instalment seqs whose record changed. */
  changedInstalments: number[];
  /** Instalment seqs a restructure took out of the schedule (their records are deleted). */
  removedInstalments?: number[];
  effects: Effect[];
  timeline: TimelineEvent[];
  action: 'WAIT' | 'CONTINUE' | 'CLOSE';
  wakeAt: string | null;
  /** The phase the loan waits in (names the execution's wait state); advanceFollowUp always sets it. */
  phase?: Phase;
}

export function initialState(now: string): FollowUpState {
  return {
    status: 'ACTIVE',
    warningLevel: 'NONE',
    classification: 'NORMAL',
    done: [],
    nextPeriodicAt: null,
    anomalyUntil: null,
    optedOut: [],
    generation: 0,
    generationStartedAt: now,
    legalCaseId: null,
    closedAt: null,
    lastAdvancedAt: now,
  };
}
