import { addLocalMonths, atLocalTime, localDate } from '../local-time.js';
import type { FollowUpState } from '../follow-up-state.js';
import { outstandingPrincipal } from '../schedule.js';
import type { StepContext } from '../step-context.js';
import type { CollateralCondition, Finding, Loan, Minor } from '../types.js';
import { escalateTo } from './escalation.js';

/** The collateral's value now: the latest revaluation, else the onboarding valuation; null for an unsecured loan. */
export function collateralValueOf(loan: Loan, state: FollowUpState): { value: Minor; valuedAt: string } | null {
  if (state.collateral) return { value: state.collateral.value, valuedAt: state.collateral.valuedAt };
  return loan.collateral ? { value: loan.collateral.value, valuedAt: loan.collateral.valuedAt } : null;
}

/** Outstanding principal over the collateral's value, to 4 decimals; null when the collateral is worth nothing. */
export function loanToValue(outstanding: Minor, value: Minor): number | null {
  return value > 0 ? Math.round((outstanding / value) * 10_000) / 10_000 : null;
}

/**
 * Periodic inspection of a secured loan's collateral: a COLLATERAL_REVIEW every `collateral.reviewEveryMonths`
 * from disbursement until the last instalment, while the loan is with collections or servicing.
 */
export function runCollateralReviews(ctx: StepContext): void {
  const { loan, policy } = ctx;
  const every = policy.collateral.reviewEveryMonths;
  if (!loan.collateral || every === null || ctx.state.status !== 'ACTIVE') {
    if (ctx.state.nextCollateralReviewAt) ctx.state.nextCollateralReviewAt = null;
    return;
  }
  if (!ctx.state.nextCollateralReviewAt) {
    if (ctx.isDone('COLLATERAL_REVIEW:END')) return;
    ctx.state.nextCollateralReviewAt = atLocalTime(addLocalMonths(localDate(loan.disbursedAt, loan.timezone), every), policy.tasks.localTime, loan.timezone);
  }
  if (ctx.state.nextCollateralReviewAt > ctx.now) return;
  const today = localDate(ctx.now, loan.timezone);
  if (!ctx.hasOpenTask('COLLATERAL_REVIEW'))
    ctx.createTask(`COLLATERAL_REVIEW.periodic.${today}`, 'COLLATERAL_REVIEW', ctx.dueByFromNow(policy.collateral.completeWithinDays));
  const next = addLocalMonths(today, every);
  const lastDue = ctx.instalments[ctx.instalments.length - 1]?.dueDate;
  ctx.state.nextCollateralReviewAt = lastDue && next > lastDue ? null : atLocalTime(next, policy.tasks.localTime, loan.timezone);
  if (ctx.state.nextCollateralReviewAt === null) ctx.markDone('COLLATERAL_REVIEW:END');
}

/** A finding about the security itself (a damaged vehicle) puts an inspection before risk at once. */
export function reviewCollateralOnFindings(ctx: StepContext, findings: Finding[]): void {
  if (ctx.state.status !== 'ACTIVE' || !findings.some((f) => ctx.policy.collateral.reviewFindings.includes(f))) return;
  if (ctx.hasOpenTask('COLLATERAL_REVIEW')) return;
  ctx.createTask(
    `COLLATERAL_REVIEW.${localDate(ctx.now, ctx.loan.timezone)}`,
    'COLLATERAL_REVIEW',
    ctx.dueByFromNow(ctx.policy.collateral.completeWithinDays),
    20,
  );
}

/**
 * A collateral review's valuation: recorded (COLLATERAL_REVALUED {value, ltv}), and a loan-to-value above the
 * policy's threshold is a shortfall: INTERMEDIATE with reason collateral_shortfall, and a RESTRUCTURE_REVIEW to ask
 * for more security or agree a plan.
 */
export function applyValuation(
  ctx: StepContext,
  eventId: string,
  at: string,
  taskId: string,
  valuation: { value: Minor; condition: CollateralCondition },
): void {
  const previous = collateralValueOf(ctx.loan, ctx.state);
  const ltv = loanToValue(outstandingPrincipal(ctx.instalments), valuation.value);
  const { maxLtv } = ctx.policy.collateral;
  const shortfall = ltv === null || ltv > maxLtv;
  ctx.state.collateral = { value: valuation.value, valuedAt: localDate(at, ctx.loan.timezone), condition: valuation.condition, ltv };
  ctx.record('COLLATERAL_REVALUED', at, eventId, {
    taskId,
    value: valuation.value,
    ltv,
    condition: valuation.condition,
    previousValue: previous?.value ?? null,
    maxLtv,
    shortfall,
  });
  if (shortfall && ctx.state.status === 'ACTIVE') escalateTo(ctx, 'INTERMEDIATE', 'collateral_shortfall', { collateralJustReviewed: true });
}
