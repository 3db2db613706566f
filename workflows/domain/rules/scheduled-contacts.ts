import { addDaysIso, addLocalDays, addLocalMonths, atLocalTime, localDate } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { TaskPurpose } from '../types.js';
import { messageParams } from './message-params.js';

/** Times of the contacts planned from the disbursement date, whatever happens to the loan. */
export function plannedContactTimes(ctx: StepContext): { key: string; purpose: TaskPurpose; at: string; withinDays: number }[] {
  const { loan, policy } = ctx;
  const day0 = localDate(loan.disbursedAt, loan.timezone);
  const at = (days: number) => atLocalTime(addLocalDays(day0, days), policy.tasks.localTime, loan.timezone);
  return [
    { key: 'FIRST_CONTACT', purpose: 'FIRST_CONTACT', at: loan.disbursedAt, withinDays: policy.firstContact.withinDays },
    { key: 'DAY30_CHECK', purpose: 'DAY30_CHECK', at: at(policy.checks.day30), withinDays: policy.checks.completeWithinDays },
    { key: 'DAY60_CHECK', purpose: 'DAY60_CHECK', at: at(policy.checks.day60), withinDays: policy.checks.completeWithinDays },
  ];
}

export function sendWelcome(ctx: StepContext): void {
  ctx.send('WELCOME', 'WELCOME', 'welcome', ['SMS', 'EMAIL'], messageParams(ctx, ctx.instalments[0]));
}

export function createPlannedContacts(ctx: StepContext): void {
  for (const planned of plannedContactTimes(ctx)) {
    if (planned.at > ctx.now) continue;
    ctx.createTask(planned.key, planned.purpose, addDaysIso(planned.at, planned.withinDays));
  }
}

/** The first periodic callback follows the day-60 check by one interval. */
export function firstPeriodicAt(ctx: StepContext): string {
  const { loan, policy } = ctx;
  const day0 = localDate(loan.disbursedAt, loan.timezone);
  const afterDay60 = addLocalDays(day0, policy.checks.day60 + policy.periodic.anomalyIntervalDays);
  const byInterval = addLocalMonths(day0, periodicInterval(ctx).months);
  return atLocalTime(afterDay60 > byInterval ? afterDay60 : byInterval, policy.tasks.localTime, loan.timezone);
}

function fieldVisitDue(ctx: StepContext): boolean {
  const { fieldVisit } = ctx.policy.periodic;
  return fieldVisit.riskRatings.includes(ctx.loan.riskRating) && fieldVisit.borrowerTypes.includes(ctx.loan.borrowerType);
}

function periodicInterval(ctx: StepContext): { purpose: TaskPurpose; months: number } {
  if (fieldVisitDue(ctx)) return { purpose: 'FIELD_VISIT', months: ctx.policy.periodic.fieldVisit.intervalMonths };
  return { purpose: 'PERIODIC', months: ctx.policy.periodic.intervalMonths[ctx.loan.riskRating] };
}

function anomalyActive(ctx: StepContext): boolean {
  return ctx.state.anomalyUntil !== null && ctx.now < ctx.state.anomalyUntil;
}

/** Periodic callbacks (or field visits) for the whole term; every two weeks while an anomaly is fresh. */
export function runPeriodicCallbacks(ctx: StepContext): void {
  const { loan, policy } = ctx;
  const lastDue = ctx.instalments[ctx.instalments.length - 1]?.dueDate;
  if (ctx.state.status !== 'ACTIVE') {
    // With the legal team: no periodic callbacks any more.
    ctx.state.nextPeriodicAt = null;
    ctx.markDone('PERIODIC:END');
    return;
  }
  if (ctx.state.nextPeriodicAt === null) {
    // null is both "not planned yet" and "the term's last one is done": only the first may start the plan.
    if (ctx.isDone('PERIODIC:END')) return;
    ctx.state.nextPeriodicAt = firstPeriodicAt(ctx);
  }
  if (ctx.state.nextPeriodicAt > ctx.now) return;
  const today = localDate(ctx.now, loan.timezone);
  const anomaly = anomalyActive(ctx);
  const { purpose, months } = anomaly ? { purpose: 'PERIODIC' as const, months: 0 } : periodicInterval(ctx);
  if (!ctx.hasOpenTask(purpose)) {
    ctx.createTask(`${purpose}.${today}`, purpose, addDaysIso(ctx.now, policy.periodic.completeWithinDays), anomaly ? 10 : 0);
  }
  const next = anomaly ? addLocalDays(today, policy.periodic.anomalyIntervalDays) : addLocalMonths(today, months);
  ctx.state.nextPeriodicAt = lastDue && next > lastDue ? null : atLocalTime(next, policy.tasks.localTime, loan.timezone);
  if (ctx.state.nextPeriodicAt === null) ctx.markDone('PERIODIC:END');
}

/** Tasks past their deadline: supervisors hear of it and the task goes back to the queue, more urgent. */
export function escalateOverdueTasks(ctx: StepContext): void {
  const { policy } = ctx;
  for (const task of [...ctx.openTasks.values()]) {
    if (task.dueBy > ctx.now) continue;
    const key = `${task.taskId}#${task.requeues}`;
    if (!ctx.once(`OVERDUE:${key}`, () => undefined)) continue;
    ctx.record('CALLBACK_OVERDUE', task.dueBy, key, { taskId: task.taskId, purpose: task.purpose, requeues: task.requeues });
    ctx.notifyTeam(
      `OVERDUE:${key}`,
      'supervisors',
      'CALLBACK_OVERDUE',
      `Callback overdue: ${task.purpose}`,
      `Loan ${ctx.loan.loanId}: task ${task.taskId} (${task.purpose}) was not completed by ${task.dueBy}; ${
        task.requeues < policy.firstContact.maxRequeues ? 're-queued at higher priority' : 'closed after the last re-queue'
      }.`,
    );
    if (task.requeues < policy.firstContact.maxRequeues) {
      ctx.updateTask({
        ...task,
        requeues: task.requeues + 1,
        priority: task.priority + policy.firstContact.requeuePriorityStep,
        dueBy: addDaysIso(ctx.now, policy.firstContact.withinDays),
      });
    } else {
      ctx.updateTask({ ...task, status: 'CANCELLED', completedAt: ctx.now });
      ctx.record('CALLBACK_CANCELLED', ctx.now, task.taskId, { taskId: task.taskId, purpose: task.purpose, reason: 'UNREACHED' });
    }
  }
}
