// Collateral rule by rule on the domain harness (no engine, no database): periodic inspections of a secured loan,
// a review on a damaged vehicle, and what a revaluation does (COLLATERAL_REVALUED, loan-to-value, shortfall).
import { describe, expect, it } from 'vitest';
import { loanToValue } from '../../workflows/domain/rules/collateral.js';
import { outstandingPrincipal } from '../../workflows/domain/schedule.js';
import type { Loan } from '../../workflows/domain/types.js';
import { DomainHarness } from '../support/domain-harness.js';
import { testLoan } from '../support/loans.js';

// Disbursed 2026-01-05 10:00 Shanghai; instalments due on the 5th of each month.
const at = (local: string) => new Date(`${local}+08:00`).toISOString();

/** A 24-month car loan of 100,000.00 secured by a vehicle valued 125,000.00 (loan-to-value 0.8). */
const carLoan = (overrides: Partial<Loan> = {}): Loan =>
  testLoan({
    product: 'car',
    principal: 10_000_000,
    termMonths: 24,
    collateral: { type: 'vehicle', value: 12_500_000, valuedAt: '2026-01-04', make: 'BYD', model: 'Qin PLUS' },
    ...overrides,
  });

function reached(loan = carLoan()): DomainHarness {
  return new DomainHarness(loan).sleepUntil(at('2026-01-05T11:00:00')).answer('FIRST_CONTACT', ['funds_received', 'vehicle_delivered']);
}

/** Pays every instalment on its due date at 08:30 up to `until`. */
function payOnTime(h: DomainHarness, until: string): DomainHarness {
  for (const inst of h.snapshot.instalments) {
    const payAt = at(`${inst.dueDate}T08:30:00`);
    if (payAt > until) break;
    if (payAt < h.now) continue;
    h.sleepUntil(payAt).pay(inst.seq, payAt);
  }
  return h.sleepUntil(until);
}

const reviewsCreated = (h: DomainHarness) => h.of('CALLBACK_CREATED').filter((e) => e.purpose === 'COLLATERAL_REVIEW');

describe('periodic collateral reviews', () => {
  it('compliant: a secured car loan gets a COLLATERAL_REVIEW every 6 months (policy collateral.reviewEveryMonths) in the review queue', () => {
    const h = reached();
    payOnTime(h, at('2026-07-05T09:30:00'));
    expect(reviewsCreated(h).map((e) => e.at)).toEqual([at('2026-07-05T09:00:00')]);
    const task = h.openTask('COLLATERAL_REVIEW')!;
    expect(task).toMatchObject({ queue: 'review', dueBy: at('2026-07-19T09:00:00') });
    h.answerWith('COLLATERAL_REVIEW', { valuation: { value: 10_000_000, condition: 'good' } });
    payOnTime(h, at('2027-01-05T09:30:00'));
    expect(reviewsCreated(h).map((e) => e.at)).toEqual([at('2026-07-05T09:00:00'), at('2027-01-05T09:00:00')]);
  });

  it('compliant: none for an unsecured loan, and no periodic ones once the loan is with the legal team', () => {
    const unsecured = payOnTime(reached(carLoan({ collateral: undefined })), at('2026-07-06T10:00:00'));
    expect(reviewsCreated(unsecured)).toEqual([]);
    const referred = reached();
    referred.sleepUntil(at('2026-02-01T10:00:00')).deliver({ type: 'HARDSHIP_REPORTED', findings: ['evasion'] });
    referred.sleepUntil(at('2026-07-06T10:00:00'));
    expect(referred.snapshot.state.status).toBe('LEGAL');
    expect(reviewsCreated(referred).filter((e) => String(e.taskId).includes('periodic'))).toEqual([]);
    expect(referred.snapshot.state.nextCollateralReviewAt ?? null).toBeNull();
  });

  it('compliant: none past the last instalment: a 12-month loan plans its last on the final due date, and closing ends the plan', () => {
    const h = payOnTime(reached(carLoan({ termMonths: 12 })), at('2026-07-05T09:30:00'));
    h.answerWith('COLLATERAL_REVIEW', { valuation: { value: 9_000_000, condition: 'good' } });
    expect(h.snapshot.state.nextCollateralReviewAt).toBe(at('2027-01-05T09:00:00'));
    payOnTime(h, at('2027-03-01T10:00:00'));
    expect(h.snapshot.state.status).toBe('CLOSED');
    expect(reviewsCreated(h)).toHaveLength(1);
  });
});

describe('a damaged vehicle and its revaluation', () => {
  it('noncompliant: collateral_shortfall: a vehicle_damaged finding opens a COLLATERAL_REVIEW at once; revalued so that loan-to-value passes 0.9, the loan goes INTERMEDIATE with a RESTRUCTURE_REVIEW', () => {
    const h = reached().sleepUntil(at('2026-01-20T10:00:00'));
    h.deliver({ type: 'HARDSHIP_REPORTED', findings: ['vehicle_damaged'] });
    const review = h.openTask('COLLATERAL_REVIEW')!;
    expect(review).toMatchObject({ queue: 'review', dueBy: at('2026-02-03T10:00:00') });
    expect(review.priority).toBeGreaterThan(h.policy.tasks.basePriority);

    // Nothing paid yet: outstanding 100,000.00 over 80,000.00 is a loan-to-value of 1.25.
    h.sleepUntil(at('2026-01-22T10:00:00')).answerWith('COLLATERAL_REVIEW', { valuation: { value: 8_000_000, condition: 'damaged' } });
    expect(h.of('COLLATERAL_REVALUED')).toEqual([
      expect.objectContaining({
        taskId: review.taskId,
        value: 8_000_000,
        ltv: 1.25,
        condition: 'damaged',
        previousValue: 12_500_000,
        maxLtv: 0.9,
        shortfall: true,
      }),
    ]);
    expect(h.of('WARNING_RAISED').at(-1)).toMatchObject({ level: 'INTERMEDIATE', reason: 'collateral_shortfall' });
    expect(h.openTask('RESTRUCTURE_REVIEW')).toBeDefined();
    expect(h.effects).toContainEqual(expect.objectContaining({ kind: 'NOTIFY_TEAM', team: 'supervisors', reason: 'WARNING_RAISED' }));
    // The inspection just done is not asked for again by the warning it raised.
    expect(h.openTask('COLLATERAL_REVIEW')).toBeUndefined();
    expect(h.snapshot.state.collateral).toEqual({ value: 8_000_000, valuedAt: '2026-01-22', condition: 'damaged', ltv: 1.25 });
  });

  it('compliant: a revaluation inside the threshold is recorded and changes nothing else', () => {
    const h = payOnTime(reached(), at('2026-07-05T09:30:00'));
    const warnings = h.of('WARNING_RAISED').length;
    h.answerWith('COLLATERAL_REVIEW', { valuation: { value: 10_500_000, condition: 'good' } });
    const expected = loanToValue(outstandingPrincipal(h.snapshot.instalments), 10_500_000)!;
    expect(expected).toBeLessThan(0.9);
    expect(h.of('COLLATERAL_REVALUED').at(-1)).toMatchObject({ value: 10_500_000, ltv: expected, shortfall: false });
    expect(h.of('WARNING_RAISED')).toHaveLength(warnings);
    expect(h.openTask('RESTRUCTURE_REVIEW')).toBeUndefined();
  });

  it('noncompliant: collateral_shortfall: a total loss (value 0) has no loan-to-value and is a shortfall', () => {
    const h = reached().sleepUntil(at('2026-02-01T10:00:00'));
    h.deliver({ type: 'HARDSHIP_REPORTED', findings: ['vehicle_damaged'] }).answerWith('COLLATERAL_REVIEW', {
      valuation: { value: 0, condition: 'total_loss' },
    });
    expect(h.of('COLLATERAL_REVALUED').at(-1)).toMatchObject({ value: 0, ltv: null, shortfall: true });
    expect(h.snapshot.state.warningLevel).toBe('INTERMEDIATE');
  });

  it('compliant: damage found by the inspection itself does not open a second inspection', () => {
    const h = payOnTime(reached(), at('2026-07-05T09:30:00'));
    h.answerWith('COLLATERAL_REVIEW', { findings: ['vehicle_damaged'], valuation: { value: 11_000_000, condition: 'damaged' } });
    expect(h.openTask('COLLATERAL_REVIEW')).toBeUndefined();
    expect(reviewsCreated(h)).toHaveLength(1);
  });

  it('loanToValue: outstanding over value to 4 decimals, null for a worthless collateral', () => {
    expect(loanToValue(10_000_000, 12_500_000)).toBe(0.8);
    expect(loanToValue(2, 3)).toBe(0.6667);
    expect(loanToValue(5, 0)).toBeNull();
  });
});
