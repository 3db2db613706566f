import { daysPastDue, outstandingPrincipal } from '../schedule.js';
import { localDate } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { WarningLevel } from '../types.js';
import { WARNING_LEVELS } from '../types.js';

const REVIEW_DAYS = 5;

/**
 * Raises the warning level and does what each level requires: a restructure review from INTERMEDIATE and a
 * collateral review where the product asks for one. INTERMEDIATE and ADVANCED are told to the supervisors.
 * A legal referral is its own decision (referToLegal): an advanced warning alone goes to risk first.
 */
export function escalateTo(ctx: StepContext, level: WarningLevel, reason: string, options: { collateralJustReviewed?: boolean } = {}): void {
  const raised = ctx.raiseWarning(level, reason);
  const reached = WARNING_LEVELS.indexOf(ctx.state.warningLevel);
  if (raised && reached >= WARNING_LEVELS.indexOf('INTERMEDIATE')) {
    ctx.notifyTeam(
      `WARNING:${ctx.state.warningLevel}`,
      'supervisors',
      'WARNING_RAISED',
      `Warning ${ctx.state.warningLevel}`,
      `Loan ${ctx.loan.loanId}: warning raised to ${ctx.state.warningLevel} (${reason}).`,
    );
  }
  if (level === 'INTERMEDIATE' && reached >= WARNING_LEVELS.indexOf('INTERMEDIATE')) {
    // A loan restructured as often as the policy allows gets no further plan: risk looks at it before legal.
    if ((ctx.state.restructuring?.count ?? 0) >= ctx.policy.restructuring.maxRestructures)
      createReview(ctx, 'PRE_LEGAL_REVIEW', `HARDSHIP.${localDate(ctx.now, ctx.loan.timezone)}`);
    else ctx.createTask(`RESTRUCTURE_REVIEW.${localDate(ctx.now, ctx.loan.timezone)}`, 'RESTRUCTURE_REVIEW', ctx.dueByFromNow(REVIEW_DAYS), 20);
  }
  const collateralFrom = ctx.policy.escalation.collateralReviewFrom;
  if (collateralFrom && reached >= WARNING_LEVELS.indexOf(collateralFrom) && !options.collateralJustReviewed) {
    ctx.createTask(`COLLATERAL_REVIEW.${ctx.state.warningLevel}`, 'COLLATERAL_REVIEW', ctx.dueByFromNow(REVIEW_DAYS), 20);
  }
}

/** A review task for risk (early recall, pre-legal), once per occurrence. */
export function createReview(ctx: StepContext, purpose: 'RECALL_REVIEW' | 'PRE_LEGAL_REVIEW', occurrence: string, extraPriority = 20): void {
  ctx.createTask(`${purpose}.${occurrence}`, purpose, ctx.dueByFromNow(REVIEW_DAYS), extraPriority);
}

/** The loan goes to the legal team: ADVANCED, the case package, the legal topic told, borrower contact stops. */
export function referToLegal(ctx: StepContext, reason: string): void {
  if (ctx.state.legalCaseId || ctx.state.status !== 'ACTIVE') return;
  ctx.raiseWarning('ADVANCED', reason);
  const caseId = `CASE-${ctx.loan.loanId}`;
  ctx.state.legalCaseId = caseId;
  ctx.state.status = 'LEGAL';
  ctx.state.lastLegalEventAt = ctx.now;
  ctx.state.promise = null;
  if (ctx.state.episode) {
    ctx.record('COLLECTION_ENDED', ctx.now, `E${ctx.state.episode.number}`, { episode: ctx.state.episode.number, cured: false, reason: 'LEGAL_REFERRAL' });
    ctx.state.episode = null;
  }
  const dpd = daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone));
  ctx.effects.push({ kind: 'LEGAL_REFERRAL', caseId, reason });
  ctx.record('LEGAL_REFERRAL', ctx.now, caseId, { caseId, reason, dpd, outstandingPrincipal: outstandingPrincipal(ctx.instalments) });
  ctx.notifyTeam(
    `LEGAL:${caseId}`,
    'legal',
    'LEGAL_REFERRAL',
    `Legal referral ${caseId}`,
    `Case ${caseId} for loan ${ctx.loan.loanId} (${ctx.loan.product}): ${reason}; days past due ${dpd}; outstanding principal ${outstandingPrincipal(ctx.instalments)} (minor units). The case package is stored with the loan.`,
  );
  ctx.cancelBorrowerTasks('LEGAL_REFERRAL');
  // A recall or pre-legal review has nothing left to decide once the legal team has the case.
  ctx.cancelTasks('LEGAL_REFERRAL', (task) => task.purpose === 'RECALL_REVIEW' || task.purpose === 'PRE_LEGAL_REVIEW');
}
