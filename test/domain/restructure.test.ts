// Restructuring: the schedule maths against a worked example, the plan's bounds, and the rule on the domain harness.
import { describe, expect, it } from 'vitest';
import { initialState } from '../../workflows/domain/follow-up-state.js';
import { planProblems, restructuredSchedule, type RestructurePlan } from '../../workflows/domain/restructure.js';
import { buildInstalmentSchedule } from '../../workflows/domain/schedule.js';
import type { Instalment } from '../../workflows/domain/types.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { DomainHarness } from '../support/domain-harness.js';
import { testLoan } from '../support/loans.js';

// The test loan: 36,000.00 at 8% over 12 months from 2026-01-05, 313,158 (minor units) a month. Worked example:
// instalments 1-5 paid, 6-12 (due 2026-07-05 .. 2027-01-05) owe 2,134,804 of principal.
const loan = testLoan();
const policy = loadAllPolicies().consumer;
const at = (local: string) => new Date(`${local}+08:00`).toISOString();
const paid = (upTo: number): Instalment[] =>
  buildInstalmentSchedule(loan).map((i) => (i.seq <= upTo ? { ...i, paidAmount: i.amount, paidAt: `${i.dueDate}T01:00:00.000Z` } : i));
const plan = (p: Partial<RestructurePlan>): RestructurePlan => ({ extendMonths: 0, annualRate: null, graceMonths: 0, arrears: 'keep_due', ...p });
const state = initialState(loan.disbursedAt);
const TODAY = '2026-06-20';

describe('the schedule maths', () => {
  it('a 6-month extension spreads the remaining principal over 13 months at the same rate', () => {
    const out = restructuredSchedule(loan, state, paid(5), plan({ extendMonths: 6 }), TODAY);
    const fresh = out.instalments.filter((i) => i.seq >= 6);
    expect(out.principal).toBe(2_134_804);
    expect(fresh).toHaveLength(13);
    expect(fresh.map((i) => i.seq)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(fresh[0]!.dueDate).toBe('2026-07-05');
    expect(fresh.at(-1)!.dueDate).toBe('2027-07-05');
    expect(fresh.slice(0, -1).every((i) => i.amount === 171_981)).toBe(true);
    expect(fresh.reduce((sum, i) => sum + i.principal, 0)).toBe(2_134_804);
    expect(out.regularAmount).toBe(171_981);
    expect(out.replaced.map((i) => i.seq)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(out.removed).toEqual([]);
    // The paid instalments are untouched.
    expect(out.instalments.slice(0, 5)).toEqual(paid(5).slice(0, 5));
  });

  it('a grace period of 3 months is interest only, then equal instalments over the rest', () => {
    const out = restructuredSchedule(loan, state, paid(5), plan({ extendMonths: 6, graceMonths: 3 }), TODAY);
    const fresh = out.instalments.filter((i) => i.seq >= 6);
    expect(fresh.slice(0, 3).map((i) => [i.principal, i.interest])).toEqual([
      [0, 14_232],
      [0, 14_232],
      [0, 14_232],
    ]);
    expect(fresh[3]!.amount).toBe(221_386);
    expect(out.regularAmount).toBe(221_386);
    expect(fresh.reduce((sum, i) => sum + i.principal, 0)).toBe(2_134_804);
  });

  it('a lower rate without extension lowers the instalment', () => {
    const out = restructuredSchedule(loan, state, paid(5), plan({ annualRate: 0.05 }), TODAY);
    expect(out.annualRate).toBe(0.05);
    expect(
      out.instalments
        .filter((i) => i.seq >= 6)
        .map((i) => i.amount)
        .slice(0, 6),
    ).toEqual(Array(6).fill(310_076));
  });

  it('capitalised arrears join the principal and the overdue instalments leave the schedule', () => {
    const out = restructuredSchedule(loan, state, paid(3), plan({ arrears: 'capitalise' }), TODAY);
    // Instalments 4 and 5 (due 05-05 and 06-05) were unpaid: their principal and interest are capitalised.
    expect(out.principal).toBe(2_761_120);
    expect(out.instalments.filter((i) => !i.paidAt).map((i) => [i.seq, i.dueDate])).toEqual([
      [4, '2026-07-05'],
      [5, '2026-08-05'],
      [6, '2026-09-05'],
      [7, '2026-10-05'],
      [8, '2026-11-05'],
      [9, '2026-12-05'],
      [10, '2027-01-05'],
    ]);
    expect(out.regularAmount).toBe(405_034);
    expect(out.removed).toEqual([11, 12]);
  });

  it('arrears kept due stay as they were, and only what is not yet due is rescheduled', () => {
    const out = restructuredSchedule(loan, state, paid(3), plan({ extendMonths: 6 }), TODAY);
    expect(out.instalments.filter((i) => i.seq === 4 || i.seq === 5)).toEqual(paid(3).filter((i) => i.seq === 4 || i.seq === 5));
    expect(out.principal).toBe(2_134_804);
  });
});

describe('the plan’s bounds (policy)', () => {
  const problems = (p: Partial<RestructurePlan>, s = state) => planProblems(plan(p), loan, s, paid(5), TODAY, policy).map((x) => x.field);

  it('compliant: an extension, a lower rate and a grace period within the policy', () => {
    expect(problems({ extendMonths: 6, annualRate: 0.05, graceMonths: 3 })).toEqual([]);
  });

  it('noncompliant: an extension past maxExtendMonths', () => {
    expect(problems({ extendMonths: policy.restructuring.maxExtendMonths + 1 })).toEqual(['extendMonths']);
  });

  it('noncompliant: a rate under minAnnualRate, or above the current one', () => {
    expect(problems({ annualRate: 0.01 })).toEqual(['annualRate']);
    expect(problems({ annualRate: 0.09 })).toEqual(['annualRate']);
  });

  it('noncompliant: a grace period past maxGraceMonths or as long as the new schedule', () => {
    expect(problems({ graceMonths: policy.restructuring.maxGraceMonths + 1, extendMonths: 12 })).toEqual(['graceMonths']);
    // Six months left and six of grace: nothing would repay the principal.
    expect(planProblems(plan({ graceMonths: 6 }), loan, state, paid(6), TODAY, policy).map((x) => x.field)).toEqual(['graceMonths']);
  });

  it('noncompliant: a plan that changes nothing', () => {
    expect(problems({})).toEqual(['plan']);
  });

  it('noncompliant: a loan restructured as often as the policy allows, or with the legal team', () => {
    expect(problems({ extendMonths: 6 }, { ...state, restructuring: { count: 2, version: 3, annualRate: 0.08, observationUntil: '2027-01-01' } })).toEqual([
      'plan',
    ]);
    expect(problems({ extendMonths: 6 }, { ...state, status: 'LEGAL' })).toEqual(['loanId']);
  });
});

describe('a restructure agreed on the loan', () => {
  /** Pays instalments 1-5 on time, reports hardship in June, and agrees a 6-month extension. */
  const restructured = () => {
    const h = new DomainHarness();
    for (const seq of [1, 2, 3, 4, 5]) {
      const inst = h.snapshot.instalments[seq - 1]!;
      h.sleepUntil(at(`${inst.dueDate}T09:00:00`)).pay(seq);
    }
    h.sleepUntil(at('2026-06-19T12:00:00')).deliver({ type: 'HARDSHIP_REPORTED', findings: ['hardship'] });
    h.sleepUntil(at('2026-06-20T12:00:00')).deliver({ type: 'RESTRUCTURE_AGREED', plan: plan({ extendMonths: 6 }) });
    return h;
  };

  it('replaces the schedule, records RESTRUCTURED with both versions and the old instalments, and completes the review', () => {
    const h = restructured();
    const record = h.of('RESTRUCTURED')[0]!;
    expect(record).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      plan: plan({ extendMonths: 6 }),
      regularAmount: 171_981,
      firstDueDate: '2026-07-05',
      lastDueDate: '2027-07-05',
    });
    expect((record.replaced as Instalment[]).map((i) => i.seq)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    expect(h.snapshot.instalments).toHaveLength(18);
    expect(h.last?.changedInstalments).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(h.snapshot.state.restructuring).toMatchObject({ count: 1, version: 2, annualRate: 0.08, observationUntil: '2027-07-05' });
    expect(h.openTask('RESTRUCTURE_REVIEW')).toBeUndefined();
  });

  it('tells the borrower the new schedule by SMS and email', () => {
    const h = restructured();
    expect(h.sends('RESTRUCTURE_NOTICE').map((s) => `${s.channel}:${s.template}:${s.params.amountMinor}:${s.params.dueDate}:${s.params.lastDueDate}`)).toEqual([
      'SMS:restructured:171981:2026-07-05:2027-07-05',
      'EMAIL:restructured:171981:2026-07-05:2027-07-05',
    ]);
  });

  it('keeps the loan at least 关注 through the observation period, then back to the DPD rule; it closes on the new last date', () => {
    const h = restructured();
    expect(h.snapshot.state.classification).toBe('SPECIAL_MENTION');
    for (const inst of h.snapshot.instalments.filter((i) => !i.paidAt)) h.sleepUntil(at(`${inst.dueDate}T09:00:00`)).pay(inst.seq);
    expect(h.of('LOAN_CLOSED')).toMatchObject([{ at: at('2027-07-05T09:00:00'), reason: 'REPAID' }]);
    expect(h.of('LEGAL_REFERRAL')).toHaveLength(0);
  });

  it('returns to the DPD rule after the observation period when the loan performed', () => {
    const h = new DomainHarness(testLoan({ termMonths: 36 }));
    const pay = (n: number) => {
      for (const inst of h.snapshot.instalments.filter((i) => !i.paidAt).slice(0, n)) h.sleepUntil(at(`${inst.dueDate}T09:00:00`)).pay(inst.seq);
    };
    pay(3);
    h.sleepUntil(at('2026-04-20T12:00:00')).deliver({ type: 'RESTRUCTURE_AGREED', plan: plan({ extendMonths: 6 }) });
    expect(h.snapshot.state.classification).toBe('SPECIAL_MENTION');
    pay(12);
    // Observation: 12 months from the first new due date (2026-05-05); the next step after it reclassifies.
    expect(h.snapshot.state.restructuring?.observationUntil).toBe('2027-05-05');
    pay(1);
    expect(h.snapshot.state.classification).toBe('NORMAL');
  });

  it('a loan restructured the most the policy allows sends the next hardship to a PRE_LEGAL_REVIEW', () => {
    const h = restructured();
    h.sleepUntil(at('2026-06-25T12:00:00')).deliver({ type: 'RESTRUCTURE_AGREED', plan: plan({ annualRate: 0.06 }) });
    expect(h.snapshot.state.restructuring?.count).toBe(2);
    h.sleepUntil(at('2026-06-26T12:00:00')).deliver({ type: 'HARDSHIP_REPORTED', findings: ['hardship'] });
    expect(h.openTask('PRE_LEGAL_REVIEW')).toBeDefined();
    expect(h.openTask('RESTRUCTURE_REVIEW')).toBeUndefined();
  });

  it('noncompliant: a plan that no longer fits when it arrives is refused on the record and changes nothing', () => {
    const h = new DomainHarness().sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT', ['evasion']);
    const before = structuredClone(h.snapshot.instalments);
    h.deliver({ type: 'RESTRUCTURE_AGREED', plan: plan({ extendMonths: 6 }) });
    expect(h.of('RESTRUCTURE_REFUSED')).toMatchObject([{ problems: [{ field: 'loanId' }] }]);
    expect(h.snapshot.instalments).toEqual(before);
  });
});
