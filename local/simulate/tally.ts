// Counts taken from the exported timeline, per month of the borrower's calendar. A tally is plain JSON so a
// worker can send its share to the main thread, and tallies add up (`mergeTallies`).
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { daysBetween } from '../../workflows/domain/local-time.js';
import { CLASSIFICATIONS, type Classification } from '../../workflows/domain/types.js';
import { localDay } from './timeline-export.js';

/** Callbacks an agent makes by phone; FIELD_VISIT is a visit, the reviews are risk officers' desk work. */
export const CALL_PURPOSES = ['FIRST_CONTACT', 'DAY30_CHECK', 'DAY60_CHECK', 'PERIODIC', 'COLLECTION'];
const REVIEW_PURPOSES = ['COLLATERAL_REVIEW', 'RESTRUCTURE_REVIEW', 'RECALL_REVIEW', 'PRE_LEGAL_REVIEW'];

/** The collection tiers (the queues of collection calls), early to late. */
export const COLLECTION_TIERS = ['collection_early', 'collection_middle', 'collection_late'] as const;
export type CollectionTier = (typeof COLLECTION_TIERS)[number];
/** Messages of the collection ladder: overdue notices and follow-ups, the written demand, promise reminders. */
const COLLECTION_MESSAGE_PURPOSES = ['OVERDUE_NOTICE', 'DEMAND_LETTER', 'PROMISE_REMINDER'];
/** Where the policy's tiers begin (days past due); the shipped policies' values unless told. */
export interface TierBounds {
  middleFromDpd: number;
  lateFromDpd: number;
}
const DEFAULT_TIERS: TierBounds = { middleFromDpd: 31, lateFromDpd: 61 };

/** The delinquency buckets roll rates are taken between: an episode is in the bucket of its days past due. */
export const DPD_BUCKETS = [
  { name: '1-30', from: 1 },
  { name: '31-60', from: 31 },
  { name: '61-90', from: 61 },
  { name: '91+', from: 91 },
] as const;

/**
 * Per bucket but the last: collection episodes that reached it, those that went on to the next bucket, and those
 * still in it at the horizon (censored: their outcome is not known yet, so roll rates leave them out).
 */
export type RollCounts = Record<string, { reached: number; rolled: number; censored: number }>;

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
  /** PROMISE_MADE, PROMISE_KEPT and PROMISE_BROKEN. */
  promisesMade: number;
  promisesKept: number;
  promisesBroken: number;
  /** Collection calls created (CALLBACK_CREATED COLLECTION) by queue: collection_early, _middle, _late. */
  collectionCalls: Counts;
  /** Messages of the collection ladder by tier, then channel (the tier of the episode's days past due when sent). */
  collectionMessages: Record<string, Counts>;
  /** COLLECTION_STARTED; COLLECTION_ENDED by how (CURED, or the reason it ended uncured, e.g. LEGAL_REFERRAL). */
  episodesStarted: number;
  episodesEnded: Counts;
  /** LEGAL_CASE_CLOSED by outcome; LOAN_CLOSED by reason. */
  legalCasesClosed: Counts;
  loansClosedByReason: Counts;
  /** RESTRUCTURED (schedules replaced by an agreed plan) and LOAN_RECALLED (balances called in early). */
  restructures: number;
  recalls: number;
  /** COLLATERAL_REVALUED, and those that were a shortfall (loan-to-value above the policy's threshold). */
  revaluations: number;
  collateralShortfalls: number;
  /** RISK_RATING_CHANGED (risk re-rated the loan). */
  reRatings: number;
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
  /** Collection episodes through the DPD buckets (see tallyLoan). */
  rolls: RollCounts;
}

export function emptyTally(): Tally {
  return { loans: 0, loanMonthsActive: 0, months: {}, callsByDay: {}, callsByWeek: {}, messagesByWeek: {}, events: 0, rolls: emptyRolls() };
}

function emptyRolls(): RollCounts {
  return Object.fromEntries(DPD_BUCKETS.slice(0, -1).map((b) => [b.name, { reached: 0, rolled: 0, censored: 0 }]));
}

export function emptyMonth(): MonthTally {
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
    promisesMade: 0,
    promisesKept: 0,
    promisesBroken: 0,
    collectionCalls: {},
    collectionMessages: {},
    episodesStarted: 0,
    episodesEnded: {},
    legalCasesClosed: {},
    loansClosedByReason: {},
    restructures: 0,
    recalls: 0,
    revaluations: 0,
    collateralShortfalls: 0,
    reRatings: 0,
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

function tierOf(dpd: number, tiers: TierBounds): CollectionTier {
  return dpd >= tiers.lateFromDpd ? 'collection_late' : dpd >= tiers.middleFromDpd ? 'collection_middle' : 'collection_early';
}

/**
 * Adds one loan's timeline (in time order, as listTimeline returns it) to the tally. `horizonDay` is the
 * local date the simulation stopped at; the loan's classification is counted at each month's end up to it.
 *
 * A collection episode's days past due are counted on its own clock: the DPD it started at (COLLECTION_STARTED)
 * plus the days since. The clock stops when the episode ends cured (COLLECTION_ENDED cured), when the loan
 * closes, or at the horizon; a referral to the legal team does not stop it (the debt stays overdue). The
 * episode reached every DPD bucket its clock reached; one stopped by the horizon is censored in its last bucket.
 * A collection message is counted in the tier (`tiers`, the policy's) of its episode's days past due then.
 */
export function tallyLoan(
  tally: Tally,
  events: TimelineEvent[],
  timezone: string,
  horizon: { day: string; ms: number },
  disbursedAt: string,
  tiers: TierBounds = DEFAULT_TIERS,
): void {
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
  /** The collection episode whose ladder is running (for message tiers), and the one whose DPD clock runs. */
  let ladder: { day: string; dpd: number } | undefined;
  let clock: { day: string; dpd: number } | undefined;
  const stopClock = (day: string, censored: boolean) => {
    if (!clock) return;
    const reached = clock.dpd + Math.max(0, daysBetween(clock.day, day));
    DPD_BUCKETS.slice(0, -1).forEach((bucket, i) => {
      if (reached < bucket.from) return;
      const counts = (tally.rolls[bucket.name] ??= { reached: 0, rolled: 0, censored: 0 });
      counts.reached += 1;
      if (reached >= DPD_BUCKETS[i + 1]!.from) counts.rolled += 1;
      else if (censored) counts.censored += 1;
    });
    clock = undefined;
  };
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
        if (ladder && COLLECTION_MESSAGE_PURPOSES.includes(purpose))
          add((m.collectionMessages[tierOf(ladder.dpd + daysBetween(ladder.day, day), tiers)] ??= {}), event.channel);
        break;
      case 'CALLBACK_CREATED':
        add(m.callbacksCreated, purpose);
        if (purpose === 'COLLECTION') add(m.collectionCalls, event.queue ?? 'collection_early');
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
        add(m.loansClosedByReason, event.reason ?? 'UNSPECIFIED');
        closedMonth ??= day.slice(0, 7);
        stopClock(day, false);
        break;
      case 'PROMISE_MADE':
        m.promisesMade += 1;
        break;
      case 'PROMISE_KEPT':
        m.promisesKept += 1;
        break;
      case 'PROMISE_BROKEN':
        m.promisesBroken += 1;
        break;
      case 'COLLECTION_STARTED': {
        m.episodesStarted += 1;
        const dpd = typeof event.dpd === 'number' && event.dpd > 0 ? event.dpd : 1;
        stopClock(day, false);
        ladder = clock = { day, dpd };
        break;
      }
      case 'COLLECTION_ENDED':
        add(m.episodesEnded, event.cured ? 'CURED' : (event.reason ?? 'NOT_CURED'));
        ladder = undefined;
        if (event.cured) stopClock(day, false);
        break;
      case 'LEGAL_CASE_CLOSED':
        add(m.legalCasesClosed, event.outcome);
        break;
      case 'RESTRUCTURED':
        m.restructures += 1;
        break;
      case 'LOAN_RECALLED':
        m.recalls += 1;
        break;
      case 'COLLATERAL_REVALUED':
        m.revaluations += 1;
        if (event.shortfall) m.collateralShortfalls += 1;
        break;
      case 'RISK_RATING_CHANGED':
        m.reRatings += 1;
        break;
    }
  }
  stopClock(horizonDay, true);
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
  for (const [bucket, counts] of Object.entries(from.rolls ?? {})) {
    const target = (into.rolls[bucket] ??= { reached: 0, rolled: 0, censored: 0 });
    target.reached += counts.reached;
    target.rolled += counts.rolled;
    target.censored += counts.censored;
  }
  for (const [key, m] of Object.entries(from.months)) {
    const target = (into.months[key] ??= emptyMonth());
    for (const field of Object.keys(m) as (keyof MonthTally)[]) {
      const value = m[field];
      if (typeof value === 'number') (target[field] as number) += value;
      else if (field === 'messagesByPurpose' || field === 'collectionMessages') {
        for (const [outer, byChannel] of Object.entries(value as Record<string, Counts>)) {
          const t = ((target[field] as Record<string, Counts>)[outer] ??= {});
          for (const [channel, n] of Object.entries(byChannel)) add(t, channel, n);
        }
      } else for (const [k, n] of Object.entries(value as Counts)) add(target[field] as Counts, k, n);
    }
  }
  return into;
}

export const CLASSIFICATION_ORDER: readonly Classification[] = CLASSIFICATIONS;
