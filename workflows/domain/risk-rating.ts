import type { FollowUpState } from './follow-up-state.js';
import type { Loan, RiskRating } from './types.js';
import { RISK_RATINGS } from './types.js';

/**
 * The loan's risk rating now: the last one risk set (RISK_RATING_CHANGED), else the one it was onboarded with.
 * Every rule that goes by the rating reads it here, never `loan.riskRating`.
 */
export function riskRatingOf(loan: Pick<Loan, 'riskRating'>, state: Pick<FollowUpState, 'riskRating'>): RiskRating {
  return state.riskRating ?? loan.riskRating;
}

/** Whether `a` is a higher risk than `b`. */
export function riskAbove(a: RiskRating, b: RiskRating): boolean {
  return RISK_RATINGS.indexOf(a) > RISK_RATINGS.indexOf(b);
}
