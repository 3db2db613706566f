import type { InboundEvent } from '../follow-up-state.js';
import { addLocalMonths, atLocalTime, localDate } from '../local-time.js';
import { planProblems, restructuredSchedule } from '../restructure.js';
import type { StepContext } from '../step-context.js';
import { messageParams } from './message-params.js';

type Agreed = Extract<InboundEvent, { type: 'RESTRUCTURE_AGREED' }>;

/**
 * A restructure risk agreed (the API checked the plan and showed its schedule): the unpaid instalments are
 * replaced by the new schedule (the old ones kept on the RESTRUCTURED record), the restructure review is done,
 * the borrower is told the new schedule, and the classification stays at least the policy's minimum for the
 * observation period. A plan that no longer fits (the loan moved on since) is refused on the record.
 */
export function applyRestructure(ctx: StepContext, event: Agreed): void {
  const today = localDate(event.at, ctx.loan.timezone);
  const problems = planProblems(event.plan, ctx.loan, ctx.state, ctx.instalments, today, ctx.policy);
  if (problems.length > 0) {
    ctx.record('RESTRUCTURE_REFUSED', event.at, event.eventId, { plan: event.plan, problems });
    return;
  }
  const outcome = restructuredSchedule(ctx.loan, ctx.state, ctx.instalments, event.plan, today);
  ctx.instalments = outcome.instalments;
  for (const seq of outcome.changed) ctx.changedInstalments.add(seq);
  for (const seq of outcome.removed) ctx.removedInstalments.add(seq);
  const fromVersion = ctx.state.restructuring?.version ?? 1;
  const { observationMonths } = ctx.policy.restructuring;
  ctx.state.restructuring = {
    count: (ctx.state.restructuring?.count ?? 0) + 1,
    version: fromVersion + 1,
    annualRate: outcome.annualRate,
    observationUntil: addLocalMonths(outcome.firstDueDate, observationMonths),
  };
  ctx.record('RESTRUCTURED', event.at, event.eventId, {
    fromVersion,
    toVersion: fromVersion + 1,
    plan: event.plan,
    principal: outcome.principal,
    annualRate: outcome.annualRate,
    regularAmount: outcome.regularAmount,
    firstDueDate: outcome.firstDueDate,
    lastDueDate: outcome.lastDueDate,
    instalments: outcome.changed.length,
    observationUntil: ctx.state.restructuring.observationUntil,
    replaced: outcome.replaced,
  });
  for (const task of [...ctx.openTasks.values()]) {
    if (task.purpose !== 'RESTRUCTURE_REVIEW') continue;
    ctx.updateTask({ ...task, status: 'DONE', completedAt: event.at });
    ctx.record('CALLBACK_COMPLETED', event.at, `${task.taskId}:${event.eventId}`, {
      taskId: task.taskId,
      purpose: task.purpose,
      outcome: 'RESTRUCTURED',
      findings: [],
    });
  }
  // A longer term needs the periodic callbacks the old one had already finished planning.
  if (ctx.state.nextPeriodicAt === null) ctx.state.nextPeriodicAt = atLocalTime(addLocalMonths(today, 1), ctx.policy.tasks.localTime, ctx.loan.timezone);
  ctx.send(`RESTRUCTURED:V${fromVersion + 1}`, 'RESTRUCTURE_NOTICE', 'restructured', ['SMS', 'EMAIL'], {
    ...messageParams(ctx, undefined),
    amountMinor: outcome.regularAmount,
    dueDate: outcome.firstDueDate,
    lastDueDate: outcome.lastDueDate,
  });
}

/** Within the observation period after a restructure the classification is at least the policy's minimum. */
export function observedMinimum(ctx: StepContext): 'SPECIAL_MENTION' | 'SUBSTANDARD' | null {
  const until = ctx.state.restructuring?.observationUntil;
  if (!until || localDate(ctx.now, ctx.loan.timezone) >= until) return null;
  return ctx.policy.restructuring.minClassification;
}
