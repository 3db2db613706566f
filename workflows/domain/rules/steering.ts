import type { InboundEvent } from '../follow-up-state.js';
import { atLocalTime, addLocalMonths, localDate } from '../local-time.js';
import { riskAbove, riskRatingOf } from '../risk-rating.js';
import type { StepContext } from '../step-context.js';
import type { Finding, RiskRating } from '../types.js';
import { firstPeriodicAt, periodicIntervalMonths } from './scheduled-contacts.js';

/**
 * A task staff asked for by hand becomes a task like any other at this step: the same queue, compliance gate,
 * re-queues and outcomes. Its occurrence is the request's event, so a request delivered twice makes one task.
 */
export function applyTaskRequested(ctx: StepContext, event: Extract<InboundEvent, { type: 'TASK_REQUESTED' }>): void {
  ctx.createTask(`ADHOC.${event.eventId}`, event.purpose, event.dueBy, 0, undefined, {
    adHoc: true,
    ...(event.by ? { requestedBy: event.by } : {}),
    ...(event.note ? { note: event.note } : {}),
  });
}

/**
 * Risk re-rates the loan: RISK_RATING_CHANGED {from, to, reason}. The periodic cadence follows the new rating
 * from this step: the next callback comes no later than one new interval from today (a shorter interval brings
 * it forward; a longer one applies from the call after the one already planned). Field visits follow at once
 * (runFieldVisits starts or stops them by the rating).
 */
export function applyRiskRatingChanged(ctx: StepContext, event: Extract<InboundEvent, { type: 'RISK_RATING_CHANGED' }>): void {
  const from = riskRatingOf(ctx.loan, ctx.state);
  const to = event.riskRating;
  if (from === to) return;
  ctx.state.riskRating = to;
  ctx.record('RISK_RATING_CHANGED', event.at, event.eventId, { from, to, reason: event.reason });
  const { nextPeriodicAt } = ctx.state;
  if (nextPeriodicAt && ctx.state.status === 'ACTIVE') {
    const { loan, policy } = ctx;
    const byNewInterval = atLocalTime(addLocalMonths(localDate(ctx.now, loan.timezone), periodicIntervalMonths(ctx)), policy.tasks.localTime, loan.timezone);
    // Never before the first callback a loan so rated would have had (after the day-60 check).
    const first = firstPeriodicAt(ctx);
    const candidate = byNewInterval > first ? byNewInterval : first;
    if (candidate < nextPeriodicAt) ctx.state.nextPeriodicAt = candidate;
  }
}

/**
 * Findings the policy ties to a higher rating than the loan's suggest it (RISK_RATING_SUGGESTED {to, finding}) for
 * risk to confirm with a re-rating; the rating itself does not change.
 */
export function suggestRiskRating(ctx: StepContext, findings: Finding[], sourceKey: string): void {
  const current = riskRatingOf(ctx.loan, ctx.state);
  let suggestion: { to: RiskRating; finding: Finding } | undefined;
  for (const finding of findings) {
    const to = ctx.policy.riskRating.suggestFromFindings[finding];
    if (to && riskAbove(to, current) && (!suggestion || riskAbove(to, suggestion.to))) suggestion = { to, finding };
  }
  if (!suggestion) return;
  ctx.record('RISK_RATING_SUGGESTED', ctx.now, sourceKey, { from: current, to: suggestion.to, finding: suggestion.finding });
}
