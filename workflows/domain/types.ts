// Shared vocabulary of the follow-up domain. Pure data: no AWS SDK, no clock.

export const PRODUCTS = ['car', 'enterprise', 'consumer'] as const;
export type Product = (typeof PRODUCTS)[number];

export const RISK_RATINGS = ['low', 'medium', 'high'] as const;
export type RiskRating = (typeof RISK_RATINGS)[number];

export const BORROWER_TYPES = ['individual', 'self_employed', 'small_business'] as const;
export type BorrowerType = (typeof BORROWER_TYPES)[number];

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const WARNING_LEVELS = ['NONE', 'PRIMARY', 'INTERMEDIATE', 'ADVANCED'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

/** Five-category loan classification: 正常 / 关注 / 次级 / 可疑 / 损失. */
export const CLASSIFICATIONS = ['NORMAL', 'SPECIAL_MENTION', 'SUBSTANDARD', 'DOUBTFUL', 'LOSS'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const TASK_PURPOSES = [
  'FIRST_CONTACT',
  'DAY30_CHECK',
  'DAY60_CHECK',
  'PERIODIC',
  'COLLECTION',
  'FIELD_VISIT',
  'COLLATERAL_REVIEW',
  'RESTRUCTURE_REVIEW',
  'RECALL_REVIEW',
  'PRE_LEGAL_REVIEW',
  'LEGAL_FOLLOW_UP',
] as const;
export type TaskPurpose = (typeof TASK_PURPOSES)[number];

/** What staff may add to a loan by hand (POST /api/loans/{id}/tasks); reviews go to the review queue (risk). */
export const AD_HOC_PURPOSES = [
  'PERIODIC',
  'FIELD_VISIT',
  'RESTRUCTURE_REVIEW',
  'COLLATERAL_REVIEW',
  'RECALL_REVIEW',
] as const satisfies readonly TaskPurpose[];
export type AdHocPurpose = (typeof AD_HOC_PURPOSES)[number];

/** Why risk changed a loan's rating: a code, never free text (the timeline holds no free text about the borrower). */
export const RISK_RATING_REASONS = [
  'FINDINGS_CONFIRMED',
  'REPAYMENT_BEHAVIOUR',
  'FINANCIAL_REVIEW',
  'COLLATERAL_CHANGE',
  'INDUSTRY_OUTLOOK',
  'CORRECTION',
] as const;
export type RiskRatingReason = (typeof RISK_RATING_REASONS)[number];

export const MESSAGE_PURPOSES = [
  'WELCOME',
  'REMINDER',
  'OVERDUE_NOTICE',
  'PROMISE_REMINDER',
  'DEMAND_LETTER',
  'RECALL_NOTICE',
  'RESTRUCTURE_NOTICE',
  'CLOSING',
] as const;
export type MessagePurpose = (typeof MESSAGE_PURPOSES)[number];

export const CHANNELS = ['SMS', 'EMAIL'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Every message text the system can send; one template per key and locale. */
export const TEMPLATE_KEYS = [
  'welcome',
  'reminder_before_due',
  'reminder_due_today',
  'overdue_notice',
  'overdue_followup',
  'promise_reminder',
  'demand_letter',
  'recall_notice',
  'restructured',
  'closing',
] as const;
export type TemplateKey = (typeof TEMPLATE_KEYS)[number];

/** What a borrower may tell an agent or report on their own. */
export const FINDINGS = [
  'funds_received',
  'vehicle_delivered',
  'contact_details_confirmed',
  'repayment_normal',
  'vehicle_in_use',
  'income_decline',
  'hardship',
  'health',
  'management_change',
  'vehicle_damaged',
  'lost_ability',
  'evasion',
  'promise_to_pay',
  'funds_misused',
] as const;
export type Finding = (typeof FINDINGS)[number];

export const CALL_OUTCOMES = ['REACHED', 'NO_ANSWER', 'WRONG_NUMBER', 'REFUSED'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** What a risk officer decides on a RECALL_REVIEW or PRE_LEGAL_REVIEW. */
export const REVIEW_DECISIONS = ['refer', 'recall', 'restructure', 'continue'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
/** Review tasks that must be answered with a decision. */
export const DECISION_REVIEWS = ['RECALL_REVIEW', 'PRE_LEGAL_REVIEW'] as const satisfies readonly TaskPurpose[];

/** The course of a legal case, as the legal team records it. */
export const LEGAL_EVENTS = ['hearing_scheduled', 'judgment', 'settled', 'recovered', 'written_off'] as const;
export type LegalEventType = (typeof LEGAL_EVENTS)[number];
/** Legal events that carry an amount recovered from the borrower. */
export const LEGAL_EVENTS_WITH_AMOUNT = ['settled', 'recovered'] as const satisfies readonly LegalEventType[];

/** Where a loan is in its life; the wait state of its execution is named after it. */
export const PHASES = ['FirstContact', 'EarlyChecks', 'Servicing', 'Collections', 'Legal'] as const;
export type Phase = (typeof PHASES)[number];

/** Why a loan ended. */
export const CLOSE_REASONS = ['REPAID', 'PAID_OFF', 'LEGAL_RECOVERED', 'LEGAL_SETTLED', 'WRITTEN_OFF'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/**
 * The work queue a task sits in. Collection calls go by tier of days past due when created: early (agents),
 * middle (senior collectors), late (risk).
 */
export const TASK_QUEUE_IDS = ['callback', 'field', 'collection_early', 'collection_middle', 'collection_late', 'review', 'legal'] as const;
export type TaskQueueId = (typeof TASK_QUEUE_IDS)[number];

/** Amounts are integer minor units (fen / cents) to keep arithmetic exact. */

export type Minor = number;

/** What secures a loan: a car loan's vehicle, or a generic record for other products. */
export const COLLATERAL_TYPES = ['vehicle', 'property', 'equipment', 'deposit', 'receivables', 'other'] as const;
export type CollateralType = (typeof COLLATERAL_TYPES)[number];

/** The state a collateral inspection found it in. */
export const COLLATERAL_CONDITIONS = ['good', 'fair', 'poor', 'damaged', 'total_loss', 'missing'] as const;
export type CollateralCondition = (typeof COLLATERAL_CONDITIONS)[number];

/**
 * The loan's security as onboarded: what and how much. What identifies it (a vehicle's plate and VIN, a
 * property's description) is personal data and lives in the contact record.
 */
export interface Collateral {
  type: CollateralType;
  value: Minor;
  /** Local date of the valuation, YYYY-MM-DD. */
  valuedAt: string;
  make?: string;
  model?: string;
}

/** The latest valuation (COLLATERAL_REVALUED), and the loan-to-value it gave. */
export interface CollateralValuation {
  value: Minor;
  valuedAt: string;
  condition: CollateralCondition;
  /** Outstanding principal / value, 4 decimals; null when the value is 0. */
  ltv: number | null;
}

export interface Loan {
  loanId: string;
  product: Product;
  riskRating: RiskRating;
  borrowerType: BorrowerType;
  principal: Minor;
  /** Nominal annual rate as a fraction, e.g. 0.065. */
  annualRate: number;
  termMonths: number;
  /** ISO 8601 instant of disbursement. */
  disbursedAt: string;
  /** IANA time zone of the borrower, e.g. Asia/Shanghai. */
  timezone: string;
  locale: Locale;
  /** Who onboarded it (a user of the operations API, or `system`). */
  onboardedBy?: string;
  /** What secures it, if anything (periodic collateral reviews, loan-to-value). */
  collateral?: Collateral;
}

/** Personal data: kept in its own record, read only by the handlers that send and the staff's views. */
export interface Contact {
  phone: string;
  email: string;
  /** A car loan's vehicle: its plate and VIN identify its owner. */
  vehiclePlate?: string;
  vehicleVin?: string;
  /** Another product's collateral, as described at onboarding (an address, a registration number). */
  collateralDescription?: string;
}

export interface Instalment {
  seq: number;
  /** Local calendar date in the borrower's time zone, YYYY-MM-DD. */
  dueDate: string;
  principal: Minor;
  interest: Minor;
  amount: Minor;
  paidAmount: Minor;
  /** ISO instant when the instalment became fully paid. */
  paidAt?: string;
}

export type TaskStatus = 'OPEN' | 'DONE' | 'CANCELLED';

/** Task ids are `<loanId>.<occurrence>`; loan ids never contain a dot. */
export function taskIdOf(loanId: string, occurrence: string): string {
  return `${loanId}.${occurrence}`;
}

/** The loan a task belongs to (see taskIdOf). */
export function loanIdOfTask(taskId: string): string {
  return taskId.split('.')[0] ?? taskId;
}

export interface CallbackTask {
  taskId: string;
  loanId: string;
  purpose: TaskPurpose;
  /** Higher is more urgent. */
  priority: number;
  /** The work queue it belongs to (absent on tasks stored before queues were recorded: see queueOfTask). */
  queue?: TaskQueueId;
  status: TaskStatus;
  createdAt: string;
  /** When the task counts as overdue if still open. */
  dueBy: string;
  /** The compliance gate held the call back until then (e.g. a conversation about the same debt days ago). */
  heldUntil?: string;
  requeues: number;
  outcome?: CallOutcome;
  findings?: Finding[];
  completedAt?: string;
  /** Calls recorded on it (each NO_ANSWER, and the one that completed it). */
  attempts?: number;
  /** A risk officer's decision on a review (RECALL_REVIEW, PRE_LEGAL_REVIEW). */
  decision?: ReviewDecision;
  /** The clients' ids of those calls, so a retried request is recognised (record-callback-outcome). */
  requestIds?: string[];
  /** Added by hand (POST /api/loans/{id}/tasks), by whom, with the requester's plain-text note. */
  adHoc?: true;
  requestedBy?: string;
  note?: string;
}

/** What a plan does with overdue amounts: left due as they are, or folded into the new principal. */
export const ARREARS_TREATMENTS = ['keep_due', 'capitalise'] as const;
export type ArrearsTreatment = (typeof ARREARS_TREATMENTS)[number];

/** What a risk officer agrees with a borrower in hardship: any combination of the three, and what happens to arrears. */
export interface RestructurePlan {
  /** Months added to the remaining term. */
  extendMonths: number;
  /** The new nominal annual rate; null keeps the current one. */
  annualRate: number | null;
  /** Months at the start of the new schedule in which only interest is due. */
  graceMonths: number;
  /** Overdue amounts: folded into the principal of the new schedule, or left due as they are. */
  arrears: ArrearsTreatment;
}
