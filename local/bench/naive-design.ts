// The design we did not build, computed from what ours measured: an execution per loan that wakes every day
// (Wait → AdvanceLoan → ChooseNextStep) instead of sleeping on a task token until its next step or an event.
import { forecastCost, type CostForecast, type PriceTable } from '../simulate/cost.js';

/** Counts per loan-year, as a simulation measured them. */
export interface PerLoanYear {
  stateTransitions: number;
  lambdaInvocations: number;
  /** AdvanceLoan and AwaitEvent invocations: one each per wake-up of our design. */
  advanceSteps: number;
  awaitSteps: number;
  dynamoReads: number;
  dynamoWrites: number;
  sms: Record<string, number>;
  emails: number;
  teamPublishes: number;
}

export interface DesignFigures extends PerLoanYear {
  cost: CostForecast;
}

/** Wake-ups a year of the naive design. */
export const DAILY_WAKES = 365;

/**
 * The naive design does the same work (sends, tasks, payments, the API calls) but wakes 365 times a year:
 * each wake is 3 transitions (Wait, AdvanceLoan, ChooseNextStep), one AdvanceLoan invocation and at least the
 * reads and write of a step with nothing to do (the snapshot Query, the inbox Query, the state update). It has
 * no AwaitEvent: none of its invocations, nor the token write and inbox read each of ours makes.
 *
 *   transitions = 3 × 365 (plus ours beyond our own 3 a step: onboarding, hand-overs, closing)
 *   invocations = ours − AdvanceLoan − AwaitEvent + 365
 *   reads       = ours + 2 × (365 − our AdvanceLoan steps) − our AwaitEvent steps
 *   writes      = ours + 1 × (365 − our AdvanceLoan steps) − our AwaitEvent steps
 */
export function naiveDailyWake(ours: PerLoanYear): PerLoanYear {
  const extraWakes = Math.max(0, DAILY_WAKES - ours.advanceSteps);
  const ourOtherTransitions = Math.max(0, ours.stateTransitions - 3 * ours.advanceSteps);
  return {
    ...ours,
    stateTransitions: 3 * DAILY_WAKES + ourOtherTransitions,
    lambdaInvocations: ours.lambdaInvocations - ours.advanceSteps - ours.awaitSteps + DAILY_WAKES,
    advanceSteps: DAILY_WAKES,
    awaitSteps: 0,
    dynamoReads: ours.dynamoReads + 2 * extraWakes - ours.awaitSteps,
    dynamoWrites: ours.dynamoWrites + extraWakes - ours.awaitSteps,
  };
}

export function withCost(figures: PerLoanYear, prices: PriceTable): DesignFigures {
  return {
    ...figures,
    cost: forecastCost(
      {
        stateTransitions: figures.stateTransitions,
        lambdaInvocations: figures.lambdaInvocations,
        dynamoReads: figures.dynamoReads,
        dynamoWrites: figures.dynamoWrites,
        sms: figures.sms,
        emails: figures.emails,
        teamPublishes: figures.teamPublishes,
      },
      prices,
    ),
  };
}
