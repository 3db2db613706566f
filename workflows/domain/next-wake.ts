import { addDaysIso } from './local-time.js';
import { oldestUnpaid } from './schedule.js';
import type { StepContext } from './step-context.js';
import { ladderSteps, ladderStepTime } from './rules/overdue-ladder.js';
import { reminderSlots } from './rules/repayment-reminders.js';
import { plannedContactTimes } from './rules/scheduled-contacts.js';

/** Without anything planned, a loan still wakes now and then so nothing can be forgotten. */
const IDLE_WAKE_DAYS = 30;

/** The earliest moment after `now` at which some rule has something to do. */
export function nextWakeAt(ctx: StepContext): string {
  const candidates: string[] = [];
  for (const planned of plannedContactTimes(ctx)) if (!ctx.isDone(`TASK:${planned.key}`)) candidates.push(planned.at);
  for (const task of ctx.openTasks.values()) candidates.push(task.dueBy);
  if (ctx.state.nextPeriodicAt) candidates.push(ctx.state.nextPeriodicAt);
  for (const deferred of ctx.state.deferred ?? []) candidates.push(deferred.retryAt);
  if (ctx.state.status === 'ACTIVE') {
    for (const slot of reminderSlots(ctx)) if (!ctx.isDone(slot.key)) candidates.push(slot.at);
  }
  const overdue = oldestUnpaid(ctx.instalments);
  if (overdue) {
    for (const step of ladderSteps(ctx)) candidates.push(ladderStepTime(ctx, overdue, step.dpd));
    // A missed instalment behind the oldest one can raise a warning the day after it falls due.
    for (const instalment of ctx.instalments) {
      if (!instalment.paidAt && instalment.seq !== overdue.seq) candidates.push(ladderStepTime(ctx, instalment, 1));
    }
  }
  const future = candidates.filter((at) => at > ctx.now).sort();
  return future[0] ?? addDaysIso(ctx.now, IDLE_WAKE_DAYS);
}
