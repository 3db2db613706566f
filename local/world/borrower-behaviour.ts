import type { RestructurePlan } from '../../workflows/domain/restructure.js';
import {
  DECISION_REVIEWS,
  FINDINGS,
  LEGAL_EVENTS,
  REVIEW_DECISIONS,
  type Finding,
  type LegalEventType,
  type ReviewDecision,
} from '../../workflows/domain/types.js';

/** What a scripted borrower does with one instalment. */
export type PaymentToken = { kind: 'P' } | { kind: 'L'; days: number } | { kind: 'M' } | { kind: 'X' };

/**
 * What a scripted borrower says on each answered collection call: `K` promises the day of their next scripted
 * payment (kept, if within the policy's bound), `B` promises three days ahead and breaks it, `N` promises nothing.
 */
export type PromiseToken = 'K' | 'B' | 'N';

/** Review purposes that take a decision, which the simulated risk officer decides as scripted. */
export type DecisionReview = (typeof DECISION_REVIEWS)[number];

/** The review purposes the `reviews` column scripts: the decision reviews and RESTRUCTURE_REVIEW. */
export const SCRIPTED_REVIEWS = [...DECISION_REVIEWS, 'RESTRUCTURE_REVIEW'] as const;
export type ScriptedReviewPurpose = (typeof SCRIPTED_REVIEWS)[number];

/**
 * One scripted review: a decision on a RECALL_REVIEW or PRE_LEGAL_REVIEW; on a RESTRUCTURE_REVIEW either
 * `decline` (the task answered without a plan) or a plan risk agrees through the restructure entry point.
 * `text` is the entry's outcome as written (`extend6+grace2`), to name it when the plan is refused.
 */
export type ScriptedReview =
  | { purpose: DecisionReview; decision: ReviewDecision }
  | { purpose: 'RESTRUCTURE_REVIEW'; decision: 'decline'; text: string }
  | { purpose: 'RESTRUCTURE_REVIEW'; decision: 'restructure'; plan: RestructurePlan; text: string };

export interface BorrowerBehaviour {
  payments: PaymentToken[];
  /** Findings the borrower tells the first callback answered in (or after) each month; month 1 follows disbursement. */
  reports: { month: number; finding: Finding }[];
  /** Chance that a callback attempt reaches the borrower. */
  answerRate: number;
  /** One token per answered collection call, in order; calls past the end behave as `K`. Absent: all `K`. */
  promises?: PromiseToken[];
  /**
   * What risk decides on each review of a purpose, in order; unscripted decision reviews are answered
   * `continue`, unscripted restructure reviews without a plan.
   */
  reviews?: ScriptedReview[];
  /** Legal events the legal team records, each so many months after the loan's referral. */
  legal?: { event: LegalEventType; months: number }[];
  /**
   * What happens to the collateral, by month after disbursement: `damaged` (the borrower tells vehicle_damaged on
   * the first call answered from that month, and the next inspection finds it damaged at half its value) or
   * `value` (inspections from that month find it worth so much, major units). In month order.
   */
  collateralEvents?: CollateralEvent[];
}

export type CollateralEvent = { month: number; kind: 'damaged' } | { month: number; kind: 'value'; value: number };

export class BehaviourError extends Error {
  override name = 'BehaviourError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/** `P` on time, `L<n>` n days late, `M` never, `X` paid off on that due date; separated by spaces. */
export function parsePayments(text: string): PaymentToken[] {
  const tokens = text.trim() === '' ? [] : text.trim().split(/\s+/);
  return tokens.map((token, index) => {
    if (token === 'P' || token === 'M' || token === 'X') return { kind: token };
    const late = /^L(\d{1,3})$/.exec(token);
    if (late && Number(late[1]) >= 1) return { kind: 'L', days: Number(late[1]) };
    throw new BehaviourError('payments', `token ${index + 1} "${token}" must be P, L<days>, M or X`);
  });
}

/** `<month>:<finding>` pairs separated by `;`, e.g. `8:income_decline;14:lost_ability`. */
export function parseReports(text: string): BorrowerBehaviour['reports'] {
  if (text.trim() === '') return [];
  return text.split(';').map((part, index) => {
    const match = /^\s*(\d{1,3})\s*:\s*([a-z_]+)\s*$/.exec(part);
    if (!match) throw new BehaviourError('reports', `entry ${index + 1} "${part}" must look like 8:income_decline`);
    const finding = match[2] as Finding;
    if (!FINDINGS.includes(finding)) throw new BehaviourError('reports', `entry ${index + 1}: unknown finding "${match[2]}"`);
    const month = Number(match[1]);
    if (month < 1) throw new BehaviourError('reports', `entry ${index + 1}: month must be at least 1`);
    return { month, finding };
  });
}

export function parseAnswerRate(value: string | number | undefined): number {
  if (value === undefined || value === '') return 1;
  const rate = Number(value);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new BehaviourError('answerRate', `"${value}" must be a number from 0 to 1`);
  return rate;
}

/** `K`, `B` or `N` per answered collection call, e.g. `BK` or `B K N` (spaces are optional). */
export function parsePromises(text: string): PromiseToken[] {
  return [...text.replace(/\s+/g, '')].map((token, index) => {
    if (token === 'K' || token === 'B' || token === 'N') return token;
    throw new BehaviourError('promises', `token ${index + 1} "${token}" must be K (kept), B (broken) or N (no promise)`);
  });
}

/**
 * `<purpose>:<outcome>` pairs separated by `;`, e.g. `RECALL_REVIEW:continue;PRE_LEGAL_REVIEW:refer`. A
 * RESTRUCTURE_REVIEW's outcome is `decline` or a plan: `extend<months>`, `rate<annual rate>`, `grace<months>`
 * joined by `+`, optionally `+capitalise` (the arrears join the new principal; kept due otherwise), e.g.
 * `RESTRUCTURE_REVIEW:extend6+grace2`.
 */
export function parseReviews(text: string): NonNullable<BorrowerBehaviour['reviews']> {
  if (text.trim() === '') return [];
  return text.split(';').map((part, index): ScriptedReview => {
    const match = /^\s*([A-Za-z_]+)\s*:\s*([A-Za-z0-9_.+ ]*[A-Za-z0-9_.])\s*$/.exec(part);
    if (!match) throw new BehaviourError('reviews', `entry ${index + 1} "${part}" must look like PRE_LEGAL_REVIEW:refer`);
    const purpose = match[1] as ScriptedReviewPurpose;
    if (!SCRIPTED_REVIEWS.includes(purpose))
      throw new BehaviourError(
        'reviews',
        `entry ${index + 1} "${part.trim()}": the purpose must be ${SCRIPTED_REVIEWS.slice(0, -1).join(', ')} or ${SCRIPTED_REVIEWS.at(-1)}`,
      );
    if (purpose === 'RESTRUCTURE_REVIEW') return parseRestructureOutcome(match[2]!.replace(/\s+/g, ''), `entry ${index + 1} "${part.trim()}"`);
    const decision = match[2] as ReviewDecision;
    if (!REVIEW_DECISIONS.includes(decision))
      throw new BehaviourError('reviews', `entry ${index + 1} "${part.trim()}": the decision must be ${REVIEW_DECISIONS.join(', ')}`);
    return { purpose, decision };
  });
}

const PLAN_TOKENS = 'decline, or a plan of extend<months>, rate<annual rate>, grace<months> joined by + (e.g. extend6+grace2), optionally +capitalise';

/** `decline`, or the plan of `extend6+rate0.05+grace3+capitalise` (any of them, each at most once). */
function parseRestructureOutcome(text: string, entry: string): ScriptedReview {
  if (text === 'decline') return { purpose: 'RESTRUCTURE_REVIEW', decision: 'decline', text };
  const plan: RestructurePlan = { extendMonths: 0, annualRate: null, graceMonths: 0, arrears: 'keep_due' };
  const seen = new Set<string>();
  for (const token of text.split('+')) {
    const match = /^(extend|grace)(\d{1,3})$|^(rate)(\d+(?:\.\d+)?)$|^(capitalise|decline)$/.exec(token);
    const kind = match?.[1] ?? match?.[3] ?? match?.[5];
    if (!match || !kind) throw new BehaviourError('reviews', `${entry}: token "${token}" must be ${PLAN_TOKENS}`);
    if (kind === 'decline') throw new BehaviourError('reviews', `${entry}: token "decline" stands alone: a declined review has no plan`);
    if (seen.has(kind)) throw new BehaviourError('reviews', `${entry}: token "${token}": ${kind} is given twice`);
    seen.add(kind);
    if (kind === 'capitalise') plan.arrears = 'capitalise';
    else if (kind === 'rate') {
      const rate = Number(match[4]);
      if (!(rate < 1)) throw new BehaviourError('reviews', `${entry}: token "${token}": the rate is a yearly fraction below 1, e.g. rate0.05 for 5%`);
      plan.annualRate = rate;
    } else {
      const months = Number(match[2]);
      if (months < 1) throw new BehaviourError('reviews', `${entry}: token "${token}": ${kind} takes at least 1 month`);
      if (kind === 'extend') plan.extendMonths = months;
      else plan.graceMonths = months;
    }
  }
  return { purpose: 'RESTRUCTURE_REVIEW', decision: 'restructure', plan, text };
}

/** Events that end a legal case (settled and recovered pay the whole balance in a simulation). */
const CLOSING_LEGAL_EVENTS: readonly LegalEventType[] = ['settled', 'recovered', 'written_off'];

/** `<event>@<months after referral>` separated by `;`, e.g. `hearing_scheduled@2;written_off@9`, in time order. */
export function parseLegal(text: string): NonNullable<BorrowerBehaviour['legal']> {
  if (text.trim() === '') return [];
  const entries = text.split(';').map((part, index) => {
    const match = /^\s*([a-z_]+)\s*@\s*(\d{1,3})\s*$/.exec(part);
    if (!match) throw new BehaviourError('legal', `entry ${index + 1} "${part}" must look like hearing_scheduled@2 (event @ whole months after the referral)`);
    const event = match[1] as LegalEventType;
    if (!LEGAL_EVENTS.includes(event)) throw new BehaviourError('legal', `entry ${index + 1} "${part.trim()}": the event must be ${LEGAL_EVENTS.join(', ')}`);
    return { event, months: Number(match[2]) };
  });
  entries.forEach((entry, index) => {
    const previous = entries[index - 1];
    if (previous && entry.months < previous.months)
      throw new BehaviourError(
        'legal',
        `entry ${index + 1} "${entry.event}@${entry.months}": months must not go back (${previous.event}@${previous.months} is before it)`,
      );
    if (previous && CLOSING_LEGAL_EVENTS.includes(previous.event))
      throw new BehaviourError('legal', `entry ${index + 1} "${entry.event}@${entry.months}": nothing follows ${previous.event}, which closes the case`);
  });
  return entries;
}

/** `<month>:damaged` or `<month>:value=<n>` separated by `;`, e.g. `8:damaged;14:value=42000`, in month order. */
export function parseCollateralEvents(text: string): CollateralEvent[] {
  if (text.trim() === '') return [];
  const events = text.split(';').map((part, index): CollateralEvent => {
    const match = /^\s*(\d{1,3})\s*:\s*(damaged|value\s*=\s*(\d+(?:\.\d{1,2})?))\s*$/.exec(part);
    if (!match) throw new BehaviourError('collateralEvents', `entry ${index + 1} "${part}" must look like 8:damaged or 14:value=42000 (month : event)`);
    const month = Number(match[1]);
    if (month < 1) throw new BehaviourError('collateralEvents', `entry ${index + 1}: month must be at least 1`);
    return match[3] === undefined ? { month, kind: 'damaged' } : { month, kind: 'value', value: Number(match[3]) };
  });
  events.forEach((event, index) => {
    const previous = events[index - 1];
    if (previous && event.month < previous.month)
      throw new BehaviourError('collateralEvents', `entry ${index + 1}: months must not go back (month ${previous.month} is before it)`);
  });
  return events;
}

/**
 * What an inspection in `month` finds the collateral worth (major units) and in what state: the latest `value`
 * up to then (else `base`), halved by a `damaged` after it.
 */
export function inspectedCollateral(events: readonly CollateralEvent[], month: number, base: number): { value: number; condition: 'good' | 'damaged' } {
  let value = base;
  let damaged = false;
  for (const event of events) {
    if (event.month > month) break;
    if (event.kind === 'value') {
      value = event.value;
      damaged = false;
    } else damaged = true;
  }
  return damaged ? { value: Math.round(value * 50) / 100, condition: 'damaged' } : { value, condition: 'good' };
}

export interface BehaviourColumns {
  payments?: string;
  reports?: string;
  answerRate?: string | number;
  promises?: string;
  reviews?: string;
  legal?: string;
  collateralEvents?: string;
}

export function behaviour(input: BehaviourColumns): BorrowerBehaviour {
  const out: BorrowerBehaviour = {
    payments: parsePayments(input.payments ?? ''),
    reports: parseReports(input.reports ?? ''),
    answerRate: parseAnswerRate(input.answerRate),
  };
  const promises = parsePromises(input.promises ?? '');
  const reviews = parseReviews(input.reviews ?? '');
  const legal = parseLegal(input.legal ?? '');
  const collateralEvents = parseCollateralEvents(input.collateralEvents ?? '');
  // A damaged vehicle is something the borrower tells, like any report.
  for (const event of collateralEvents) if (event.kind === 'damaged') out.reports.push({ month: event.month, finding: 'vehicle_damaged' });
  out.reports.sort((a, b) => a.month - b.month);
  if (collateralEvents.length > 0) out.collateralEvents = collateralEvents;
  if (promises.length > 0) out.promises = promises;
  if (reviews.length > 0) out.reviews = reviews;
  if (legal.length > 0) out.legal = legal;
  return out;
}
