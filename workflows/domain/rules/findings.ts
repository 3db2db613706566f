import { addLocalDays, addLocalMonths, atLocalTime, localDate } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { Finding, TaskPurpose } from '../types.js';
import { reviewCollateralOnFindings } from './collateral.js';
import { createReview, escalateTo, referToLegal } from './escalation.js';
import { suggestRiskRating } from './steering.js';

/** What a borrower said in a call or a report changes how closely the loan is followed. */
export function applyFindings(ctx: StepContext, findings: Finding[], sourceKey: string, fromTask?: TaskPurpose): void {
  const { policy, loan } = ctx;
  const anomalies = findings.filter((f) => policy.anomalyFindings.includes(f));
  if (anomalies.length > 0) {
    const today = localDate(ctx.now, loan.timezone);
    const until = atLocalTime(addLocalMonths(today, policy.periodic.anomalyDurationMonths), policy.tasks.localTime, loan.timezone);
    if (!ctx.state.anomalyUntil || until > ctx.state.anomalyUntil) ctx.state.anomalyUntil = until;
    const soon = atLocalTime(addLocalDays(today, policy.periodic.anomalyIntervalDays), policy.tasks.localTime, loan.timezone);
    if (!ctx.state.nextPeriodicAt || soon < ctx.state.nextPeriodicAt) ctx.state.nextPeriodicAt = soon;
    ctx.record('ANOMALY_REPORTED', ctx.now, sourceKey, { findings: anomalies, followUpEveryDays: policy.periodic.anomalyIntervalDays, until });
  }
  suggestRiskRating(ctx, findings, sourceKey);
  const refer = findings.filter((f) => policy.escalation.referFindings.includes(f));
  const advanced = findings.filter((f) => policy.escalation.advancedFindings.includes(f));
  if (advanced.length > 0) escalateTo(ctx, 'ADVANCED', `borrower finding: ${advanced.join(', ')}`);
  if (refer.length > 0) {
    escalateTo(ctx, 'ADVANCED', `borrower finding: ${refer.join(', ')}`);
    referToLegal(ctx, `borrower finding: ${refer.join(', ')}`);
    return;
  }
  // Lost ability to repay or misused funds: risk decides between early recall, restructuring, referral or carrying on.
  const recall = findings.filter((f) => policy.escalation.recallReviewFindings.includes(f));
  if (recall.length > 0 && ctx.state.status === 'ACTIVE') createReview(ctx, 'RECALL_REVIEW', localDate(ctx.now, loan.timezone), 30);
  const intermediate = findings.filter((f) => policy.escalation.intermediateFindings.includes(f));
  if (intermediate.length > 0) escalateTo(ctx, 'INTERMEDIATE', `borrower finding: ${intermediate.join(', ')}`);
  // The inspection that found the damage is the review it calls for.
  if (fromTask !== 'COLLATERAL_REVIEW') reviewCollateralOnFindings(ctx, findings);
}
