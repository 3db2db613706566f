// Counts taken from the exported timeline, per month of the borrower's calendar. A tally is plain JSON so a
// worker can send its share to the main thread, and tallies add up (`mergeTallies`).
import type { TimelineEvent } from '../../../workflows/domain/follow-up-state.js';
import { CLASSIFICATIONS, type Classification } from '../../../workflows/domain/types.js';
import { localDay } from './timeline-export.js';

/** Callbacks an agent makes by phone; FIELD_VISIT is a visit, the two reviews are risk officers' desk work. */
export const CALL_PURPOSES = ['FIRST_CONTACT', 'DAY30_CHECK', 'DAY60_CHECK', 'PERIODIC', 'COLLECTION'];
const REVIEW_PURPOSES = ['COLLATERAL_REVIEW', 'RESTRUCTURE_REVIEW'];

type Counts = Record<string, number>;

/** An average calendar month. */
export const MONTH_MS = (365.25 / 12) * 86_400_000;

export interface MonthTally {
  /** MESSAGE_SENT by channel, and by purpose then channel. */
  messages: Counts;
  messagesByPurpose: Record<string, Counts>;
  /** CALLBACK_CREATED, CALLBACK_COMPLETED and CALLBACK_OVERDUE by purpose; completions also by outcome. */
  callbacksCreated: Counts;
  callbacksCompleted: Counts;
  callbackOutcomes: Counts;
  callbacksOverdue: Counts;
  /** Phone calls agents made (answered or not), field visits, desk reviews done. */
  calls: number;
  fieldVisits: number;
  reviews: number;
  warnings: Counts;
  legalReferrals: number;
  payments: number;
  loansOnboarded: number;
  loansClosed: number;
  contactSuppressed: Counts;
  /** Open loans by classification at the month's end (or at the horizon, for the last month). */
  classification: Counts;
}

export interface Tally {
  loans: number;
  /** Months each loan was followed: from disbursement to its closing or the horizon. */
  loanMonthsActive: number;
  months: Record<string, MonthTally>;
  /** Calls per local date, for the busiest day. */
  callsByDay: Counts;
  /** Calls and messages per week, keyed by the week's Monday. */
  callsByWeek: Counts;
  messagesByWeek: Counts;
  events: number;
}

export function emptyTally(): Tally {
  return { loans: 0, loanMonthsActive: 0, months: {}, callsByDay: {}, callsByWeek: {}, messagesByWeek: {}, events: 0 };
}

function emptyMonth(): MonthTally {
  return {
    messages: {},
    messagesByPurpose: {},
    callbacksCreated: {},
    callbacksCompleted: {},
    callbackOutcomes: {},
    callbacksOverdue: {},
    calls: 0,
    fieldVisits: 0,
    reviews: 0,
    warnings: {},
    legalReferrals: 0,
    payments: 0,
    loansOnboarded: 0,
    loansClosed: 0,
    contactSuppressed: {},
    classification: {},
  };
}

const add = (counts: Counts, key: unknown, n = 1) => {
  const k = String(key);
  counts[k] = (counts[k] ?? 0) + n;
};

/** Monday of the week of a YYYY-MM-DD date. */
export function weekOf(day: string): string {
  const ms = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * 86_400_000).toISOString().slice(0, 10);
}

/** YYYY-MM keys from `from` to `to` inclusive. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/**
 * Adds one loan's timeline (in time order, as listTimeline returns it) to the tally. `horizonDay` is the
 * local date the simulation stopped at; the loan's classification is counted at each month's end up to it.
 */
export function tallyLoan(tally: Tally, events: TimelineEvent[], timezone: string, horizon: { day: string; ms: number }, disbursedAt: string): void {
  const horizonDay = horizon.day;
  tally.loans += 1;
  const closedAt = events.find((e) => e.type === 'LOAN_CLOSED')?.at;
  tally.loanMonthsActive += Math.max(0, Math.min(closedAt ? Date.parse(closedAt) : horizon.ms, horizon.ms) - Date.parse(disbursedAt)) / MONTH_MS;
  tally.events += events.length;
  const month = (key: string) => (tally.months[key] ??= emptyMonth());
  let classification: Classification = 'NORMAL';
  let firstMonth: string | undefined;
  let closedMonth: string | undefined;
  /** Classification in force at the end of each month in which it changed. */
  const classAtMonthEnd = new Map<string, Classification>();
  for (const event of events) {
    const day = localDay(Date.parse(event.at), timezone);
    const m = month(day.slice(0, 7));
    const purpose = String(event.purpose ?? '');
    switch (event.type) {
      case 'LOAN_ONBOARDED':
        m.loansOnboarded += 1;
        firstMonth ??= day.slice(0, 7);
        break;
      case 'MESSAGE_SENT':
        add(m.messages, event.channel);
        add((m.messagesByPurpose[purpose] ??= {}), event.channel);
        add(tally.messagesByWeek, weekOf(day));
        break;
      case 'CALLBACK_CREATED':
        add(m.callbacksCreated, purpose);
        break;
      case 'CALLBACK_OVERDUE':
        add(m.callbacksOverdue, purpose);
        break;
      case 'CALLBACK_COMPLETED':
      case 'CALLBACK_ATTEMPTED':
        if (event.type === 'CALLBACK_COMPLETED') {
          add(m.callbacksCompleted, purpose);
          add(m.callbackOutcomes, event.outcome);
        }
        if (CALL_PURPOSES.includes(purpose)) {
          m.calls += 1;
          add(tally.callsByDay, day);
          add(tally.callsByWeek, weekOf(day));
        } else if (purpose === 'FIELD_VISIT') m.fieldVisits += 1;
        else if (REVIEW_PURPOSES.includes(purpose) && event.type === 'CALLBACK_COMPLETED') m.reviews += 1;
        break;
      case 'WARNING_RAISED':
        add(m.warnings, event.level);
        break;
      case 'LEGAL_REFERRAL':
        m.legalReferrals += 1;
        break;
      case 'PAYMENT_RECEIVED':
        m.payments += 1;
        break;
      case 'CONTACT_SUPPRESSED':
        add(m.contactSuppressed, event.reason);
        break;
      case 'CLASSIFICATION_CHANGED':
        classification = event.to as Classification;
        classAtMonthEnd.set(day.slice(0, 7), classification);
        break;
      case 'LOAN_CLOSED':
        m.loansClosed += 1;
        closedMonth ??= day.slice(0, 7);
        break;
    }
  }
  if (!firstMonth) return;
  // Open loans by classification at each month's end; a loan closed in a month no longer counts from it.
  let current: Classification = 'NORMAL';
  for (const key of monthsBetween(firstMonth, horizonDay.slice(0, 7))) {
    if (closedMonth !== undefined && key >= closedMonth) break;
    current = classAtMonthEnd.get(key) ?? current;
    add(month(key).classification, current);
  }
}

export function mergeTallies(into: Tally, from: Tally): Tally {
  into.loans += from.loans;
  into.loanMonthsActive += from.loanMonthsActive;
  into.events += from.events;
  for (const [key, counts] of [
    [into.callsByDay, from.callsByDay],
    [into.callsByWeek, from.callsByWeek],
    [into.messagesByWeek, from.messagesByWeek],
  ] as const)
    for (const [k, n] of Object.entries(counts)) add(key, k, n);
  for (const [key, m] of Object.entries(from.months)) {
    const target = (into.months[key] ??= emptyMonth());
    for (const field of Object.keys(m) as (keyof MonthTally)[]) {
      const value = m[field];
      if (typeof value === 'number') (target[field] as number) += value;
      else if (field === 'messagesByPurpose') {
        for (const [purpose, byChannel] of Object.entries(value as Record<string, Counts>)) {
          const t = (target.messagesByPurpose[purpose] ??= {});
          for (const [channel, n] of Object.entries(byChannel)) add(t, channel, n);
        }
      } else for (const [k, n] of Object.entries(value as Counts)) add(target[field] as Counts, k, n);
    }
  }
  return into;
}

export const CLASSIFICATION_ORDER: readonly Classification[] = CLASSIFICATIONS;
