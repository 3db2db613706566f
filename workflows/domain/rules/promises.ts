import { addLocalDays, atLocalTime, localDate } from '../local-time.js';
import { daysPastDue, oldestUnpaid } from '../schedule.js';
import type { StepContext } from '../step-context.js';
import type { Instalment } from '../types.js';
import { createReview, referToLegal } from './escalation.js';
import { createCollectionCall, ladderSteps } from './overdue-ladder.js';
import { messageParams } from './message-params.js';

/** What the borrower has paid on the loan so far. */
export function totalPaid(instalments: readonly Instalment[]): number {
  return instalments.reduce((sum, i) => sum + i.paidAmount, 0);
}

export function promiseOpen(ctx: StepContext): boolean {
  return Boolean(ctx.state.promise);
}

/** Major units as told on a call (5372.9) to minor units. */
const toMinor = (amount: number) => Math.round(amount * 100);

/**
 * The latest date a borrower may promise, and the earliest: today in their time zone up to the policy's bound.
 * Returns why a promise is refused, or null.
 */
export function promiseDateProblem(date: string, nowIso: string, timezone: string, maxDaysAhead: number): string | null {
  const today = localDate(nowIso, timezone);
  if (date < today) return `must not be in the past (today is ${today} in the borrower's time zone)`;
  const latest = addLocalDays(today, maxDaysAhead);
  if (date > latest) return `must be at most ${maxDaysAhead} days ahead (${latest} at the latest)`;
  return null;
}

/** A promise told on a call: PROMISE_MADE, and the ladder's calls pause until it is checked. */
export function recordPromise(ctx: StepContext, eventId: string, at: string, promise: { date: string; amount: number }): void {
  if (ctx.state.status !== 'ACTIVE') return;
  const amount = toMinor(promise.amount);
  ctx.state.promise = { date: promise.date, amount, madeAt: at, paidBefore: totalPaid(ctx.instalments), eventId, episode: ctx.state.episode?.number ?? null };
  ctx.record('PROMISE_MADE', at, eventId, { date: promise.date, amount, episode: ctx.state.episode?.number ?? null });
}

export function promiseReminderAt(ctx: StepContext): string | null {
  const promise = ctx.state.promise;
  if (!promise) return null;
  const at = atLocalTime(addLocalDays(promise.date, -ctx.policy.promises.reminderDaysBefore), ctx.policy.reminders.localTime, ctx.loan.timezone);
  return at > promise.madeAt ? at : null;
}

export function promiseCheckAt(ctx: StepContext): string | null {
  const promise = ctx.state.promise;
  if (!promise) return null;
  return atLocalTime(addLocalDays(promise.date, ctx.policy.promises.checkDaysAfter), ctx.policy.reminders.localTime, ctx.loan.timezone);
}

/**
 * The open promise: a reminder the day before, kept as soon as the promised amount is paid, and checked the
 * day after the date. A broken promise brings the next collection call forward, more urgent, and counts
 * towards repeated default.
 */
export function runPromises(ctx: StepContext): void {
  const promise = ctx.state.promise;
  if (!promise) return;
  if (ctx.state.status !== 'ACTIVE') {
    ctx.state.promise = null;
    return;
  }
  const paidSince = totalPaid(ctx.instalments) - promise.paidBefore;
  // Kept: the promised amount paid, or the episode it was made in over (the loan is current again).
  const cured = promise.episode !== null && ctx.state.episode?.number !== promise.episode;
  if (paidSince >= promise.amount || cured) {
    ctx.state.promise = null;
    ctx.record('PROMISE_KEPT', ctx.now, promise.eventId, { date: promise.date, amount: promise.amount, paid: paidSince });
    return;
  }
  const reminderAt = promiseReminderAt(ctx);
  if (reminderAt && reminderAt <= ctx.now) {
    const params = { ...messageParams(ctx, oldestUnpaid(ctx.instalments)), amountMinor: promise.amount - paidSince, dueDate: promise.date };
    if (!ctx.isDone(`PROMISE:${promise.eventId}:REMINDER`)) {
      ctx.markDone(`PROMISE:${promise.eventId}:REMINDER`);
      ctx.send(`PROMISE:${promise.eventId}:REMINDER`, 'PROMISE_REMINDER', 'promise_reminder', ['SMS'], params);
    }
  }
  if (promiseCheckAt(ctx)! > ctx.now) return;
  ctx.state.promise = null;
  if (!ctx.state.episode) {
    // Made while nothing was overdue and not paid: broken, but there is no collection to bring forward.
    ctx.record('PROMISE_BROKEN', ctx.now, promise.eventId, { date: promise.date, amount: promise.amount, paid: paidSince, episode: null });
    return;
  }
  // A new object: the snapshot's is shared with other runs of this step (catch-up bisects by re-running it).
  const episode = { ...ctx.state.episode, brokenPromises: ctx.state.episode.brokenPromises + 1 };
  ctx.state.episode = episode;
  ctx.record('PROMISE_BROKEN', ctx.now, promise.eventId, {
    date: promise.date,
    amount: promise.amount,
    paid: paidSince,
    episode: episode.number,
    brokenInEpisode: episode.brokenPromises,
  });
  bringNextCallForward(ctx, episode.number, episode.brokenPromises);
  checkRepeatedDefault(ctx, `broken promise ${episode.brokenPromises} in collection episode ${episode.number}`);
}

/** The next call of the ladder happens now instead of on its day, with a higher priority. */
function bringNextCallForward(ctx: StepContext, episode: number, broken: number): void {
  const overdue = oldestUnpaid(ctx.instalments);
  if (!overdue) return;
  const dpd = daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone));
  const next = ladderSteps(ctx).find((s) => s.kind === 'COLLECTION' && s.dpd >= dpd && !ctx.isDone(`LADDER:E${episode}:COLLECTION:${s.dpd}`));
  if (next) ctx.markDone(`LADDER:E${episode}:COLLECTION:${next.dpd}`);
  createCollectionCall(ctx, `COLLECTION.${overdue.seq}.E${episode}P${broken}`, dpd, ctx.policy.promises.brokenPriorityBoost);
}

/**
 * Repeated default (broken promises in an episode, or episodes in 12 months, over the policy's bounds) goes to
 * risk as a PRE_LEGAL_REVIEW, or straight to the legal team if the policy says so.
 */
export function checkRepeatedDefault(ctx: StepContext, trigger: string): void {
  const episode = ctx.state.episode;
  if (!episode || ctx.state.status !== 'ACTIVE') return;
  const { brokenPromisesPerEpisode, episodesIn12Months, action } = ctx.policy.repeatedDefault;
  const episodes = (ctx.state.episodeStarts ?? []).length;
  if (episode.brokenPromises < brokenPromisesPerEpisode && episodes < episodesIn12Months) return;
  if (!ctx.once(`REPEATED_DEFAULT:E${episode.number}`, () => undefined)) return;
  const reason = `repeated default: ${trigger} (${episode.brokenPromises} broken promises this episode, ${episodes} episodes in 12 months)`;
  ctx.record('REPEATED_DEFAULT', ctx.now, `E${episode.number}`, { episode: episode.number, brokenPromises: episode.brokenPromises, episodes, action });
  if (action === 'REFER') referToLegal(ctx, reason);
  else createReview(ctx, 'PRE_LEGAL_REVIEW', `E${episode.number}.REPEATED`, 30);
}
