// Car loans carrying their vehicle through `simulate` (memory store): the vehicle columns onboard it, periodic
// inspections value it, `collateralEvents` damage or revalue it, a shortfall raises the warning and a restructure
// review, and the summary counts revaluations, shortfalls and re-ratings per month.
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { eventLine, scratchDir, simulate, writePortfolio, type SimulationRun } from './simulate-support.js';

const HEADER =
  'loanId,product,riskRating,principal,annualRate,termMonths,disbursedAt,timezone,phone,email,vehiclePlate,vehicleVin,vehicleValue,payments,answerRate,collateralEvents,reviews';
const CAR = 'car,low,100000,0.06,24,2026-01-05,Asia/Shanghai,+8613812345678,borrower@example.com';
const paid = (n: number) => Array(n).fill('P').join(' ');
const ROWS = [
  // Nothing happens to the vehicle: inspected every 6 months, always worth what it was.
  `STEADY,${CAR},沪A12345,LSGJA52U1AH123456,150000,${paid(24)},1,,`,
  // Damaged in month 4: told on the next call, inspected at once at half its value: a shortfall, then a 6-month extension.
  `DAMAGED,${CAR},沪B54321,LFV2A21K1E4012345,150000,${paid(30)},1,4:damaged,RESTRUCTURE_REVIEW:extend6`,
  // The market falls: the month-6 inspection finds it worth 60,000 against about 75,000 still owed.
  `REVALUED,${CAR},京AD12345,LVSHCAMB5CE054321,150000,${paid(24)},1,6:value=60000,RESTRUCTURE_REVIEW:decline`,
];
const FOLLOWED = /COLLATERAL_REVIEW|COLLATERAL_REVALUED|WARNING_RAISED|RESTRUCTURED|LOAN_CLOSED/;

const scratch = scratchDir('collateral');
let run: SimulationRun;
const records = (loanId: string, type: string): Record<string, any>[] =>
  run.events.filter((e) => e.loanId === loanId && e.type === type) as Record<string, any>[];
const of = (loanId: string) =>
  run.events
    .filter((e) => e.loanId === loanId)
    .map(eventLine)
    .filter((line) => FOLLOWED.test(line.slice(17)));

beforeAll(async () => {
  const portfolioFile = writePortfolio(scratch.dir, 'collateral.csv', [HEADER, ...ROWS]);
  run = await simulate({ portfolioFile, until: new Date('2028-08-01T00:00:00Z'), outDir: `${scratch.dir}/out`, seed: 11 });
});

afterAll(() => scratch.cleanup());

group('vehicle columns and periodic inspections', () => {
  it('inspects a steady vehicle every 6 months at its value, with no shortfall, until the loan is repaid', () => {
    expect(run.failedExecutions).toEqual([]);
    expect(run.scriptProblems).toEqual([]);
    const revalued = records('STEADY', 'COLLATERAL_REVALUED');
    expect(revalued.map((e) => e.at.slice(0, 7))).toEqual(['2026-07', '2027-01', '2027-07']);
    expect(revalued.every((e) => e.value === 15_000_000 && e.condition === 'good' && e.shortfall === false)).toBe(true);
    // Loan-to-value falls as the loan is repaid.
    expect(revalued.map((e) => e.ltv)).toEqual([...revalued.map((e) => e.ltv)].sort((a, b) => b - a));
    expect(records('STEADY', 'WARNING_RAISED')).toEqual([]);
    expect(of('STEADY').at(-1)).toMatch(/^2028-01-05T09:00 LOAN_CLOSED REPAID$/);
  });
});

group('collateralEvents', () => {
  it('4:damaged: told on the first call of month 4, inspected at half its value, a shortfall, and the scripted extension agreed', () => {
    const told = run.events.find((e) => e.loanId === 'DAMAGED' && e.type === 'CALLBACK_COMPLETED' && (e as any).findings?.includes('vehicle_damaged'))!;
    expect(told.at.slice(0, 7)).toBe('2026-04');
    const [first] = records('DAMAGED', 'COLLATERAL_REVALUED');
    expect(first).toMatchObject({ value: 7_500_000, condition: 'damaged', previousValue: 15_000_000, shortfall: true });
    expect(first!.ltv).toBeGreaterThan(0.9);
    // The inspection follows the call that told of the damage within the review's 14 days.
    expect(Date.parse(first!.at) - Date.parse(told.at)).toBeLessThan(14 * 86_400_000);
    expect(records('DAMAGED', 'WARNING_RAISED')[0]).toMatchObject({ level: 'INTERMEDIATE', reason: 'collateral_shortfall' });
    expect(records('DAMAGED', 'RESTRUCTURED')).toMatchObject([{ plan: { extendMonths: 6 } }]);
    expect(of('DAMAGED').at(-1)).toMatch(/^2028-07-05T09:00 LOAN_CLOSED REPAID$/);
  });

  it('6:value=60000: the month-6 inspection records the new value, a shortfall; risk declines a plan and the loan runs on', () => {
    const [first] = records('REVALUED', 'COLLATERAL_REVALUED');
    expect(first).toMatchObject({ value: 6_000_000, condition: 'good', shortfall: true });
    expect(first!.at.slice(0, 7)).toBe('2026-07');
    expect(run.events.some((e) => e.loanId === 'REVALUED' && e.type === 'CALLBACK_COMPLETED' && (e as any).purpose === 'RESTRUCTURE_REVIEW')).toBe(true);
    expect(records('REVALUED', 'RESTRUCTURED')).toEqual([]);
  });
});

group('the summary', () => {
  it('counts revaluations and shortfalls per month, and prints them', () => {
    const total = (type: string, where: (e: Record<string, any>) => boolean = () => true) =>
      run.events.filter((e) => e.type === type && where(e as Record<string, any>)).length;
    expect(run.summary.totals.revaluations).toBe(total('COLLATERAL_REVALUED'));
    expect(run.summary.totals.collateralShortfalls).toBe(total('COLLATERAL_REVALUED', (e) => e.shortfall === true));
    expect(run.summary.totals.collateralShortfalls).toBeGreaterThanOrEqual(2);
    expect(run.summary.totals.reRatings).toBe(0);
    const july = run.summary.months.find((m) => m.month === '2026-07')!;
    expect(july.revaluations).toBe(run.events.filter((e) => e.type === 'COLLATERAL_REVALUED' && e.at.startsWith('2026-07')).length);
    expect(run.report).toMatch(
      /Collateral and ratings: \d+ revaluations, \d+ collateral shortfalls, 0 re-ratings \(shortfalls\/revaluations\/re-ratings by month: /,
    );
  });
});
