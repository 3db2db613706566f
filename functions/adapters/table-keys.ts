import type { FollowUpState, TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import type { CallbackTask, Contact, Instalment, Loan } from '../../workflows/domain/types.js';
import type { LegalCasePackage, LegalReferral, LoanView, QueueView } from '../ports.js';

// Single-table layout: every record of a loan shares its partition, so one Query reads the whole loan.
const pk = (loanId: string) => `LOAN#${loanId}`;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const keys = {
  meta: (loanId: string) => ({ pk: pk(loanId), sk: 'META' }),
  contact: (loanId: string) => ({ pk: pk(loanId), sk: 'CONTACT' }),
  instalment: (loanId: string, seq: number) => ({ pk: pk(loanId), sk: `INST#${pad(seq, 4)}` }),
  task: (loanId: string, taskId: string) => ({ pk: pk(loanId), sk: `TASK#${taskId}` }),
  timeline: (loanId: string, at: string, key: string) => ({ pk: pk(loanId), sk: `EVT#${at}#${key}` }),
  inbox: (loanId: string, at: string, eventId: string) => ({ pk: pk(loanId), sk: `INBOX#${at}#${eventId}` }),
  send: (loanId: string, key: string) => ({ pk: pk(loanId), sk: `SEND#${key}` }),
  /**
   * Receipts live in partitions of their own (not the loan's), so the receipt recorder's role can be held to
   * them with a dynamodb:LeadingKeys condition (infra/constructs/table-conditions.ts).
   */
  receipt: (loanId: string, key: string) => ({ pk: `RECEIPT#${loanId}`, sk: key }),
  /** SMS receipts have no loan: one partition per (hashed) destination, in acceptance order. */
  destinationReceipt: (destination: string, acceptedAt: string, messageId: string) => ({ pk: `SMSDEST#${destination}`, sk: `${acceptedAt}#${messageId}` }),
  legalCase: (loanId: string) => ({ pk: pk(loanId), sk: 'CASE' }),
  /** The pacing counter of one minute of one origination identity (functions/pacing/send-pacer.ts). */
  paceCounter: (key: string, minuteStart: string) => ({ pk: `PACE#${key}`, sk: minuteStart }),
};

/**
 * Send markers and receipts expire after 30 days: well beyond Step Functions' 14-day redrive window (and the
 * dead-letter queue's 14 days), so a redriven or restarted step still finds every send it made.
 */
export const SEND_MARKER_TTL_DAYS = 30;

export function expiresAt(now: string, days = SEND_MARKER_TTL_DAYS): number {
  return Math.floor(Date.parse(now) / 1000) + days * 86_400;
}

/**
 * What a step reads of its loan: one Query over the sort keys from the inbox to the tasks (INBOX#, INST#,
 * META, SEND#, TASK#; `$` follows `#`, so every TASK# key sorts before TASK$). The timeline, the largest part
 * of a partition, lies before it; DynamoLoanStore filters out the send markers and finished tasks.
 */
export const SNAPSHOT_RANGE = { from: 'INBOX#', to: 'TASK$' } as const;

/** What the work queue reads of a loan: its instalments and its record (INST# < META, nothing between). */
export const QUEUE_VIEW_RANGE = { from: 'INST#', to: 'META' } as const;

/** The work queue's view of a loan from its instalment items and record; undefined without META. */
export function queueViewOf(items: Record<string, any>[]): QueueView | undefined {
  const meta = items.find((i) => i.sk === 'META');
  if (!meta) return undefined;
  const instalments = items
    .filter((i) => typeof i.sk === 'string' && i.sk.startsWith('INST#'))
    .map(({ pk: _pk, sk: _sk, ...instalment }) => instalment as Instalment);
  return { loan: meta.loan as Loan, state: meta.state as FollowUpState, instalments };
}

/** Open tasks sit in one queue index, most urgent first. */
export function queueKeys(task: CallbackTask): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: 'QUEUE#OPEN', gsi1sk: `${pad(Math.max(0, 999_999 - task.priority), 6)}#${task.dueBy}#${task.taskId}` };
}

// ---- Read models shared by both stores (work queue, referrals, loan page) ----

/** gsi1 partition of the open-work queue (see queueKeys) and of the legal referrals (see putLegalCase). */
export const OPEN_QUEUE = 'QUEUE#OPEN';
export const REFERRALS_QUEUE = 'REFERRALS';
export const DEFAULT_QUEUE_LIMIT = 500;

/** The fields of a case package the referral list shows (dotted paths into the package). */
export const REFERRAL_FIELDS = ['caseId', 'loanId', 'referredAt', 'reason', 'warningLevel', 'classification', 'loan.product', 'loan.principal'] as const;

export function referralOf(
  pkg: Pick<LegalCasePackage, 'caseId' | 'loanId' | 'referredAt' | 'reason' | 'warningLevel' | 'classification'> & {
    loan: Pick<Loan, 'product' | 'principal'>;
  },
): LegalReferral {
  return {
    caseId: pkg.caseId,
    loanId: pkg.loanId,
    referredAt: pkg.referredAt,
    reason: pkg.reason,
    warningLevel: pkg.warningLevel,
    classification: pkg.classification,
    product: pkg.loan.product,
    principal: pkg.loan.principal,
  };
}

/** The contact record as stored: phone and email, and the collateral's identity where the loan has one. */
export function contactOf(item: Record<string, any>): Contact {
  return {
    phone: item.phone as string,
    email: item.email as string,
    ...(typeof item.vehiclePlate === 'string' ? { vehiclePlate: item.vehiclePlate } : {}),
    ...(typeof item.vehicleVin === 'string' ? { vehicleVin: item.vehicleVin } : {}),
    ...(typeof item.collateralDescription === 'string' ? { collateralDescription: item.collateralDescription } : {}),
  };
}

/** The loan page from every item of the loan's partition (items in sort-key order); undefined without META. */
export function loanViewOf(items: Record<string, any>[]): LoanView | undefined {
  const meta = items.find((i) => i.sk === 'META');
  if (!meta) return undefined;
  const strip = <T>(item: Record<string, any>): T => {
    const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
    return rest as T;
  };
  const contact = items.find((i) => i.sk === 'CONTACT');
  const legalCase = items.find((i) => i.sk === 'CASE')?.casePackage as LegalCasePackage | undefined;
  const tasks = items.filter((i) => i.sk.startsWith('TASK#')).map((i) => strip<CallbackTask>(i));
  return {
    loan: meta.loan as Loan,
    state: meta.state as FollowUpState,
    version: meta.version as number,
    instalments: items.filter((i) => i.sk.startsWith('INST#')).map((i) => strip<Instalment>(i)),
    openTasks: tasks.filter((t) => t.status === 'OPEN'),
    tasks,
    timeline: items.filter((i) => i.sk.startsWith('EVT#')).map((i) => i.event as TimelineEvent),
    contact: contact ? contactOf(contact) : undefined,
    ...(meta.flagged ? { flagged: meta.flagged as { reason: string; at: string } } : {}),
    ...(legalCase ? { referral: { caseId: legalCase.caseId, referredAt: legalCase.referredAt, reason: legalCase.reason } } : {}),
  };
}
