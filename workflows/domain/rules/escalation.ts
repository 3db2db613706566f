import { daysPastDue, outstandingPrincipal } from '../schedule.js';
import { localDate } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { WarningLevel } from '../types.js';
import { WARNING_LEVELS } from '../types.js';

const REVIEW_DAYS = 5;

/**
 * Raises the warning level and does what each level requires: a restructure review from INTERMEDIATE, a
 * collateral review where the product asks for one, and a legal referral at ADVANCED.
 */
export function escalateTo(ctx: StepContext, level: WarningLevel, reason: string): void {
  ctx.raiseWarning(level, reason);
  const reached = WARNING_LEVELS.indexOf(ctx.state.warningLevel);
  if (level === 'INTERMEDIATE' && reached >= WARNING_LEVELS.indexOf('INTERMEDIATE')) {
    ctx.createTask(`RESTRUCTURE_REVIEW.${localDate(ctx.now, ctx.loan.timezone)}`, 'RESTRUCTURE_REVIEW', ctx.dueByFromNow(REVIEW_DAYS), 20);
  }
  const collateralFrom = ctx.policy.escalation.collateralReviewFrom;
  if (collateralFrom && reached >= WARNING_LEVELS.indexOf(collateralFrom)) {
    ctx.createTask(`COLLATERAL_REVIEW.${ctx.state.warningLevel}`, 'COLLATERAL_REVIEW', ctx.dueByFromNow(REVIEW_DAYS), 20);
  }
  if (ctx.state.warningLevel === 'ADVANCED') referToLegal(ctx, reason);
}

function referToLegal(ctx: StepContext, reason: string): void {
  if (ctx.state.legalCaseId) return;
  const caseId = `CASE-${ctx.loan.loanId}`;
  ctx.state.legalCaseId = caseId;
  ctx.state.status = 'LEGAL';
  const dpd = daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone));
  ctx.effects.push({ kind: 'LEGAL_REFERRAL', caseId, reason });
  ctx.record('LEGAL_REFERRAL', ctx.now, caseId, { caseId, reason, dpd, outstandingPrincipal: outstandingPrincipal(ctx.instalments) });
  ctx.notifyTeam(
    `LEGAL:${caseId}`,
    'legal',
    `Legal referral ${caseId}`,
    `Case ${caseId} for loan ${ctx.loan.loanId} (${ctx.loan.product}): ${reason}; days past due ${dpd}; outstanding principal ${outstandingPrincipal(ctx.instalments)} (minor units). The case package is stored with the loan.`,
  );
  ctx.cancelBorrowerTasks('LEGAL_REFERRAL');
}
