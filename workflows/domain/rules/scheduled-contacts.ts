import { addDaysIso, addLocalDays, addLocalMonths, atLocalTime, localDate } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { TaskPurpose } from '../types.js';
import { riskRatingOf } from '../risk-rating.js';
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

/** The first periodic callback (or field visit) follows the day-60 check by one interval. */
export function firstPeriodicAt(ctx: StepContext, months = periodicIntervalMonths(ctx)): string {
  const { loan, policy } = ctx;
  const day0 = localDate(loan.disbursedAt, loan.timezone);
  const afterDay60 = addLocalDays(day0, policy.checks.day60 + policy.periodic.anomalyIntervalDays);
  const byInterval = addLocalMonths(day0, months);
  return atLocalTime(afterDay60 > byInterval ? afterDay60 : byInterval, policy.tasks.localTime, loan.timezone);
}

/** Self-employed and small-business borrowers of the policy's ratings (the high-risk segment) get field visits too. */
export function fieldVisitDue(ctx: StepContext): boolean {
  const { fieldVisit } = ctx.policy.periodic;
  return fieldVisit.riskRatings.includes(riskRatingOf(ctx.loan, ctx.state)) && fieldVisit.borrowerTypes.includes(ctx.loan.borrowerType);
}

/** Months between periodic callbacks: by the loan's rating now and its term (the first term band that holds it). */
export function periodicIntervalMonths(ctx: StepContext): number {
  const { periodic } = ctx.policy;
  const band = periodic.termBands.find((b) => ctx.loan.termMonths <= b.maxTermMonths);
  return (band?.intervalMonths ?? periodic.intervalMonths)[riskRatingOf(ctx.loan, ctx.state)];
}

function anomalyActive(ctx: StepContext): boolean {
  return ctx.state.anomalyUntil !== null && ctx.now < ctx.state.anomalyUntil;
}

/** Periodic callbacks for the whole term; every two weeks while an anomaly is fresh. */
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
  const purpose: TaskPurpose = 'PERIODIC';
  const months = anomaly ? 0 : periodicIntervalMonths(ctx);
  if (!ctx.hasOpenTask(purpose)) {
    ctx.createTask(`${purpose}.${today}`, purpose, addDaysIso(ctx.now, policy.periodic.completeWithinDays), anomaly ? 10 : 0);
  }
  const next = anomaly ? addLocalDays(today, policy.periodic.anomalyIntervalDays) : addLocalMonths(today, months);
  ctx.state.nextPeriodicAt = lastDue && next > lastDue ? null : atLocalTime(next, policy.tasks.localTime, loan.timezone);
  if (ctx.state.nextPeriodicAt === null) ctx.markDone('PERIODIC:END');
}

/**
 * Field visits each `fieldVisit.intervalMonths` for the borrowers fieldVisitDue names, on top of the periodic
 * callbacks, with their own next time. A re-rating starts them (the first as if planned from the start, so an
 * overdue one comes at once) or stops them.
 */
export function runFieldVisits(ctx: StepContext): void {
  const { loan, policy } = ctx;
  const { fieldVisit } = policy.periodic;
  if (ctx.state.status !== 'ACTIVE' || !fieldVisitDue(ctx)) {
    if (ctx.state.nextFieldVisitAt) ctx.state.nextFieldVisitAt = null;
    return;
  }
  if (!ctx.state.nextFieldVisitAt) {
    if (ctx.isDone('FIELD_VISIT:END')) return;
    ctx.state.nextFieldVisitAt = firstPeriodicAt(ctx, fieldVisit.intervalMonths);
  }
  if (ctx.state.nextFieldVisitAt > ctx.now) return;
  const today = localDate(ctx.now, loan.timezone);
  if (!ctx.hasOpenTask('FIELD_VISIT')) ctx.createTask(`FIELD_VISIT.${today}`, 'FIELD_VISIT', addDaysIso(ctx.now, fieldVisit.completeWithinDays));
  const next = addLocalMonths(today, fieldVisit.intervalMonths);
  const lastDue = ctx.instalments[ctx.instalments.length - 1]?.dueDate;
  ctx.state.nextFieldVisitAt = lastDue && next > lastDue ? null : atLocalTime(next, policy.tasks.localTime, loan.timezone);
  if (ctx.state.nextFieldVisitAt === null) ctx.markDone('FIELD_VISIT:END');
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
      ctx.cancelTask(task, 'UNREACHED');
      if (task.purpose === 'FIRST_CONTACT') firstContactUnreached(ctx, task.taskId);
    }
  }
}

/**
 * A borrower never reached for the first contact, after every re-queue: the contact details may be false, or the
 * loan a fraud. A PRIMARY warning (first_contact_unreached) and the supervisors told, instead of ending quietly.
 */
function firstContactUnreached(ctx: StepContext, taskId: string): void {
  ctx.raiseWarning('PRIMARY', 'first_contact_unreached');
  ctx.notifyTeam(
    `FIRST_CONTACT_UNREACHED:${taskId}`,
    'supervisors',
    'FIRST_CONTACT_UNREACHED',
    'First contact never reached',
    `Loan ${ctx.loan.loanId}: the first contact (${taskId}) was never reached after ${ctx.policy.firstContact.maxRequeues} re-queue(s); the contact details may be false or the loan a fraud. Warning PRIMARY.`,
  );
}
