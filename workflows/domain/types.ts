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
] as const;
export type TaskPurpose = (typeof TASK_PURPOSES)[number];

export const MESSAGE_PURPOSES = ['WELCOME', 'REMINDER', 'OVERDUE_NOTICE', 'CLOSING'] as const;
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
] as const;
export type Finding = (typeof FINDINGS)[number];

export const CALL_OUTCOMES = ['REACHED', 'NO_ANSWER', 'WRONG_NUMBER', 'REFUSED'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Amounts are integer minor units (fen / cents) to keep arithmetic exact. */
export type Minor = number;

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
}

/** Personal data: kept in its own record, read only by the handlers that send. */
export interface Contact {
  phone: string;
  email: string;
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
  /** The clients' ids of those calls, so a retried request is recognised (record-callback-outcome). */
  requestIds?: string[];
}
