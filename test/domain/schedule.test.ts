import { describe, expect, it } from 'vitest';
import { applyPayment, buildInstalmentSchedule, daysPastDue, oldestUnpaid, outstandingPrincipal } from '../../workflows/domain/schedule.js';
import type { Instalment } from '../../workflows/domain/types.js';
import { testLoan } from '../support/loans.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('buildInstalmentSchedule', () => {
  it('pays 36,000.00 at 8% over 12 months in equal instalments of 3,131.58', () => {
    const schedule = buildInstalmentSchedule(testLoan());
    expect(schedule).toHaveLength(12);
    expect(schedule.slice(0, 11).every((i) => i.amount === 313_158)).toBe(true);
    expect(schedule[0]).toEqual({ seq: 1, dueDate: '2026-02-05', principal: 289_158, interest: 24_000, amount: 313_158, paidAmount: 0 });
    expect(Math.abs(schedule[11]!.amount - 313_158)).toBeLessThanOrEqual(12);
  });

  it('repays the principal exactly, every part an integer, interest falling as the balance falls', () => {
    for (const l of [
      testLoan(),
      testLoan({ principal: 1_000_001, annualRate: 0.1299, termMonths: 37 }),
      testLoan({ principal: 99_999_999, annualRate: 0.36, termMonths: 84 }),
    ]) {
      const schedule = buildInstalmentSchedule(l);
      expect(sum(schedule.map((i) => i.principal))).toBe(l.principal);
      for (const i of schedule) {
        expect(Number.isInteger(i.principal) && Number.isInteger(i.interest)).toBe(true);
        expect(i.amount).toBe(i.principal + i.interest);
      }
      const interests = schedule.map((i) => i.interest);
      expect(interests).toEqual([...interests].sort((a, b) => b - a));
    }
  });

  it('with a zero rate splits the principal and lets the last instalment take the remainder', () => {
    const schedule = buildInstalmentSchedule(testLoan({ principal: 100_000, annualRate: 0, termMonths: 3 }));
    expect(schedule.map((i) => [i.principal, i.interest])).toEqual([
      [33_333, 0],
      [33_333, 0],
      [33_334, 0],
    ]);
  });

  it('dates instalments from the local disbursement date, clamped at month end', () => {
    // 2026-01-30T20:00Z is already the 31st in Shanghai.
    const schedule = buildInstalmentSchedule(testLoan({ disbursedAt: '2026-01-30T20:00:00.000Z', termMonths: 4 }));
    expect(schedule.map((i) => i.dueDate)).toEqual(['2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31']);
    expect(schedule.map((i) => i.seq)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a principal that is not whole minor units', () => {
    expect(() => buildInstalmentSchedule(testLoan({ principal: 100.5 }))).toThrow(/principal/);
    expect(() => buildInstalmentSchedule(testLoan({ termMonths: 0 }))).toThrow(/termMonths/);
  });
});

const inst = (seq: number, dueDate: string, amount: number, paidAmount = 0, paidAt?: string): Instalment => ({
  seq,
  dueDate,
  principal: amount - 100,
  interest: 100,
  amount,
  paidAmount,
  ...(paidAt ? { paidAt } : {}),
});

describe('overdue measures', () => {
  const schedule = [inst(1, '2026-02-05', 1000, 1000, '2026-02-05T01:00:00.000Z'), inst(2, '2026-03-05', 1000, 400), inst(3, '2026-04-05', 1000)];

  it('finds the oldest unpaid instalment', () => {
    expect(oldestUnpaid(schedule)?.seq).toBe(2);
    expect(oldestUnpaid([schedule[0]!])).toBeUndefined();
  });

  it('counts days past due from the oldest unpaid due date', () => {
    expect(daysPastDue(schedule, '2026-03-04')).toBe(0);
    expect(daysPastDue(schedule, '2026-03-05')).toBe(0);
    expect(daysPastDue(schedule, '2026-03-06')).toBe(1);
    expect(daysPastDue(schedule, '2026-06-03')).toBe(90);
    expect(daysPastDue([schedule[0]!], '2027-01-01')).toBe(0);
  });

  it('counts outstanding principal, a partial payment covering interest first', () => {
    // #2: 400 paid, 100 of it interest, so 300 of its 900 principal is repaid.
    expect(outstandingPrincipal(schedule)).toBe(600 + 900);
  });
});

describe('applyPayment', () => {
  const schedule = [inst(1, '2026-02-05', 1000), inst(2, '2026-03-05', 1000), inst(3, '2026-04-05', 1000)];
  const at = '2026-03-10T02:00:00.000Z';

  it('settles the oldest first and carries a partial amount on the next', () => {
    const result = applyPayment(schedule, 1500, at);
    expect(result.settledSeqs).toEqual([1]);
    expect(result.remainder).toBe(0);
    expect(result.instalments.map((i) => [i.paidAmount, i.paidAt])).toEqual([
      [1000, at],
      [500, undefined],
      [0, undefined],
    ]);
    expect(schedule[0]!.paidAmount).toBe(0);
  });

  it('accumulates partial payments until the instalment is paid', () => {
    const first = applyPayment(schedule, 600, at);
    expect(first.settledSeqs).toEqual([]);
    const later = '2026-03-12T02:00:00.000Z';
    const second = applyPayment(first.instalments, 400, later);
    expect(second.settledSeqs).toEqual([1]);
    expect(second.instalments[0]).toMatchObject({ paidAmount: 1000, paidAt: later });
  });

  it('returns what is left after everything is paid', () => {
    const result = applyPayment(schedule, 3250, at);
    expect(result.settledSeqs).toEqual([1, 2, 3]);
    expect(result.remainder).toBe(250);
  });

  it('never pays an instalment twice', () => {
    const paid = applyPayment(schedule, 1000, at).instalments;
    const result = applyPayment(paid, 1000, '2026-04-01T00:00:00.000Z');
    expect(result.settledSeqs).toEqual([2]);
    expect(result.instalments[0]!.paidAt).toBe(at);
  });

  it('refuses negative or fractional amounts', () => {
    expect(() => applyPayment(schedule, -1, at)).toThrow(RangeError);
    expect(() => applyPayment(schedule, 10.5, at)).toThrow(RangeError);
  });
});
