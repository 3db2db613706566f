import { addDaysIso, addLocalDays, localDate } from './local-time.js';
import { oldestUnpaid } from './schedule.js';
import type { StepContext } from './step-context.js';
import { ladderSteps, ladderStepTime } from './rules/overdue-ladder.js';
import { instalmentReminderSlots } from './rules/repayment-reminders.js';
import { plannedContactTimes } from './rules/scheduled-contacts.js';
import { legalFollowUpAt } from './rules/legal-phase.js';
import { promiseCheckAt, promiseReminderAt } from './rules/promises.js';

/** Without anything planned, a loan still wakes now and then so nothing can be forgotten. */
const IDLE_WAKE_DAYS = 30;

/** The earliest moment after `now` at which some rule has something to do. */
export function nextWakeAt(ctx: StepContext): string {
  let earliest: string | undefined;
  let earliestDate: string | undefined;
  const consider = (at: string) => {
    if (at > ctx.now && (earliest === undefined || at < earliest)) {
      earliest = at;
      earliestDate = undefined;
    }
  };
  for (const planned of plannedContactTimes(ctx)) if (!ctx.isDone(`TASK:${planned.key}`)) consider(planned.at);
  for (const task of ctx.openTasks.values()) consider(task.dueBy);
  if (ctx.state.nextPeriodicAt) consider(ctx.state.nextPeriodicAt);
  if (ctx.state.nextFieldVisitAt) consider(ctx.state.nextFieldVisitAt);
  if (ctx.state.nextCollateralReviewAt) consider(ctx.state.nextCollateralReviewAt);
  for (const deferred of ctx.state.deferred ?? []) consider(deferred.retryAt);
  for (const at of [promiseReminderAt(ctx), promiseCheckAt(ctx), legalFollowUpAt(ctx)]) if (at) consider(at);
  // A moment on a local date after that of the earliest moment found so far cannot come before it (a later
  // local date is a later instant): such moments are passed over without working out their times.
  const afterEarliest = (localDay: string) => earliest !== undefined && localDay > (earliestDate ??= localDate(earliest, ctx.loan.timezone));
  const overdue = oldestUnpaid(ctx.instalments);
  // Each unpaid instalment: its reminders, and (behind the oldest one) a warning the day after it falls due,
  // none of them before the local date `first`.
  const reminding = ctx.state.status === 'ACTIVE';
  for (const instalment of ctx.instalments) {
    if (instalment.paidAt) continue;
    if (afterEarliest(addLocalDays(instalment.dueDate, reminding ? -ctx.policy.reminders.daysBefore : 1))) continue;
    if (reminding) for (const slot of instalmentReminderSlots(ctx, instalment)) if (!ctx.isDone(slot.key)) consider(slot.at);
    if (overdue && instalment.seq !== overdue.seq) consider(ladderStepTime(ctx, instalment, 1));
  }
  // The ladder of the oldest unpaid instalment, step by step in days past due.
  if (overdue) {
    const inCollections = Boolean(ctx.state.episode) || ctx.state.status === 'ACTIVE';
    for (const step of ladderSteps(ctx)) {
      // With the legal team only the classification still moves.
      if (!inCollections && step.kind !== 'CLASSIFY') continue;
      if (afterEarliest(addLocalDays(overdue.dueDate, step.dpd))) break;
      consider(ladderStepTime(ctx, overdue, step.dpd));
    }
  }
  return earliest ?? addDaysIso(ctx.now, IDLE_WAKE_DAYS);
}
