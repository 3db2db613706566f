// Restructure and recall reviews through `simulate` (memory store): risk agrees the scripted plan, the borrower
// pays the new schedule as the `payments` tokens say, a plan past a bound is reported as a script problem, and
// the summary counts restructures and recalls.
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { eventLine, scratchDir, simulate, writePortfolio, type SimulationRun } from './simulate-support.js';

const HEADER = 'loanId,product,riskRating,principal,annualRate,termMonths,disbursedAt,timezone,phone,email,payments,reports,answerRate,promises,reviews,legal';
const LOAN = 'consumer,medium,36000,0.08,12,2026-01-05,Asia/Shanghai,+8613812345678,borrower@example.com';
const paid = (n: number) => Array(n).fill('P').join(' ');
const ROWS = [
  // Hardship in month 6; risk extends the term by 6 months; the borrower pays all 18 instalments on time.
  `EXTEND,${LOAN},${paid(18)},6:hardship,1,,RESTRUCTURE_REVIEW:extend6,`,
  // The same hardship, declined: the review is answered without a plan and the original schedule runs on.
  `DECLINE,${LOAN},${paid(12)},6:hardship,1,,RESTRUCTURE_REVIEW:decline,`,
  // A plan past the policy's bound (24 months): refused, reported, and the review answered without it.
  `TOO-LONG,${LOAN},${paid(12)},6:hardship,1,,RESTRUCTURE_REVIEW:extend30,`,
  // Instalment 4 never paid; hardship told on the collection call; the arrears are capitalised into a 3-month longer schedule.
  `CAPITALISE,${LOAN},P P P M ${paid(16)},5:hardship,1,,RESTRUCTURE_REVIEW:extend3+capitalise,`,
  // Lost ability to repay in month 5; risk recalls the loan; the borrower pays every recalled instalment on the recall date.
  `RECALL,${LOAN},${paid(12)},5:lost_ability,1,,RECALL_REVIEW:recall,`,
];
const FOLLOWED = /^(RESTRUCTURED|LOAN_RECALLED|PAYMENT_RECEIVED|LOAN_CLOSED|COLLECTION_|REVIEW_DECIDED|LEGAL_REFERRAL)|CALLBACK_COMPLETED RESTRUCTURE_REVIEW/;

const scratch = scratchDir('restructure');
let run: SimulationRun;
const of = (loanId: string) =>
  run.events
    .filter((e) => e.loanId === loanId)
    .map(eventLine)
    .filter((line) => FOLLOWED.test(line.slice(17)));
const records = (loanId: string, type: string): Record<string, any>[] =>
  run.events.filter((e) => e.loanId === loanId && e.type === type) as Record<string, any>[];

beforeAll(async () => {
  const portfolioFile = writePortfolio(scratch.dir, 'restructure.csv', [HEADER, ...ROWS]);
  run = await simulate({ portfolioFile, until: new Date('2027-09-01T00:00:00Z'), outDir: `${scratch.dir}/out`, seed: 7, fixedTimes: true });
});

afterAll(() => scratch.cleanup());

group('RESTRUCTURE_REVIEW:extend6', () => {
  it('restructures at the review and is paid on the new schedule, closing six months later than first planned', () => {
    expect(run.failedExecutions).toEqual([]);
    const lines = of('EXTEND');
    const monthly = (from: string, count: number) =>
      Array.from({ length: count }, (_, i) => new Date(Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1 + i, 5)).toISOString().slice(0, 10));
    // Instalments 1-5 as first planned; the review is done in month 6 (the hardship is told on that month's
    // callback, risk takes the review within working hours); then the 13 instalments of the new schedule.
    const restructuredAt = lines.findIndex((l) => l.endsWith(' RESTRUCTURED'));
    expect(lines.slice(0, restructuredAt).filter((l) => l.includes('PAYMENT_RECEIVED'))).toEqual(
      monthly('2026-02', 5).map((d) => `${d}T09:00 PAYMENT_RECEIVED 313158`),
    );
    expect(lines[restructuredAt]!.slice(0, 10) > '2026-06-05' && lines[restructuredAt]!.slice(0, 10) < '2026-07-05').toBe(true);
    expect(lines[restructuredAt + 1]).toBe(`${lines[restructuredAt]!.slice(0, 16)} CALLBACK_COMPLETED RESTRUCTURE_REVIEW RESTRUCTURED`);
    expect(lines.slice(restructuredAt + 2)).toEqual([
      ...monthly('2026-07', 12).map((d) => `${d}T09:00 PAYMENT_RECEIVED 171981`),
      '2027-07-05T09:00 PAYMENT_RECEIVED 171980',
      '2027-07-05T09:00 LOAN_CLOSED REPAID',
    ]);
    expect(records('EXTEND', 'RESTRUCTURED')).toMatchObject([
      {
        fromVersion: 1,
        toVersion: 2,
        plan: { extendMonths: 6, annualRate: null, graceMonths: 0, arrears: 'keep_due' },
        firstDueDate: '2026-07-05',
        lastDueDate: '2027-07-05',
        regularAmount: 171981,
      },
    ]);
    expect(lines.some((l) => /COLLECTION_STARTED|LEGAL_REFERRAL/.test(l))).toBe(false);
    const notices = records('EXTEND', 'MESSAGE_SENT').filter((e) => e.purpose === 'RESTRUCTURE_NOTICE');
    expect(notices.map((e) => e.channel).sort()).toEqual(['EMAIL', 'SMS']);
  });
});

group('RESTRUCTURE_REVIEW:decline and a plan past a bound', () => {
  it('answers a declined review without a plan: the original schedule runs to its end', () => {
    expect(of('DECLINE').filter((l) => l.includes('RESTRUCTURE_REVIEW'))).toEqual([
      expect.stringMatching(/^2026-06-\d\dT\d\d:\d\d CALLBACK_COMPLETED RESTRUCTURE_REVIEW REACHED$/),
    ]);
    expect(records('DECLINE', 'RESTRUCTURED')).toEqual([]);
    expect(of('DECLINE').at(-1)).toBe('2027-01-05T09:00 LOAN_CLOSED REPAID');
  });

  it('reports a refused plan as a script problem, naming the line, the loan, the entry and the bound, and carries on', () => {
    // Refused on the day risk took the review (in month 6, when the hardship was told).
    const answered = of('TOO-LONG').find((l) => l.includes('CALLBACK_COMPLETED RESTRUCTURE_REVIEW REACHED'))!;
    expect(answered).toMatch(/^2026-06-/);
    const reason = `RESTRUCTURE_REVIEW 1 "extend30" refused on ${answered.slice(0, 10)}: extendMonths: must be at most 24 months`;
    expect(run.scriptProblems).toEqual([{ line: 4, loanId: 'TOO-LONG', field: 'reviews', reason }]);
    expect(run.summary.scriptProblems).toEqual(run.scriptProblems);
    expect(run.report).toContain(`line 4: loan TOO-LONG: reviews: ${reason}`);
    expect(records('TOO-LONG', 'RESTRUCTURED')).toEqual([]);
    expect(of('TOO-LONG').at(-1)).toBe('2027-01-05T09:00 LOAN_CLOSED REPAID');
  });
});

group('RESTRUCTURE_REVIEW:extend3+capitalise', () => {
  it('folds the missed instalment into the new schedule, cures the episode, and the borrower pays every new instalment', () => {
    expect(of('CAPITALISE').slice(3)).toEqual([
      '2026-05-06T10:00 COLLECTION_STARTED E1 dpd 1',
      '2026-05-08T12:00 RESTRUCTURED',
      '2026-05-08T12:00 CALLBACK_COMPLETED RESTRUCTURE_REVIEW RESTRUCTURED',
      '2026-05-08T12:00 COLLECTION_ENDED E1 cured',
      ...['06', '07', '08', '09', '10', '11', '12'].map((m) => `2026-${m}-05T09:00 PAYMENT_RECEIVED 259629`),
      ...['01', '02', '03'].map((m) => `2027-${m}-05T09:00 PAYMENT_RECEIVED 259629`),
      '2027-04-05T09:00 PAYMENT_RECEIVED 259630',
      '2027-04-05T09:00 LOAN_CLOSED REPAID',
    ]);
    expect(records('CAPITALISE', 'RESTRUCTURED')).toMatchObject([
      { plan: { extendMonths: 3, arrears: 'capitalise' }, firstDueDate: '2026-06-05', lastDueDate: '2027-04-05' },
    ]);
  });
});

group('RECALL_REVIEW:recall', () => {
  it('pays each recalled instalment, at its new amount, on the recall date', () => {
    const lines = of('RECALL');
    const decided = lines.findIndex((l) => l.endsWith('REVIEW_DECIDED RECALL_REVIEW recall'));
    expect(lines[decided]).toMatch(/^2026-05-/);
    expect(lines[decided + 1]).toBe(`${lines[decided]!.slice(0, 16)} LOAN_RECALLED`);
    // Instalments 1-4 paid as first planned; the other eight fall due on the recall date, without their unaccrued interest.
    const recalled = records('RECALL', 'LOAN_RECALLED')[0]!;
    const payments = records('RECALL', 'PAYMENT_RECEIVED');
    expect(payments).toHaveLength(12);
    expect(payments.slice(0, 4).map((e) => e.amount)).toEqual([313158, 313158, 313158, 313158]);
    const onRecallDate = payments.filter((e) => e.at.startsWith(recalled.dueDate));
    expect(onRecallDate.every((e) => e.at.slice(11, 16) === '09:00' && e.amount < 313158)).toBe(true);
    expect(onRecallDate).toHaveLength(8);
    expect(onRecallDate.reduce((sum, e) => sum + e.amount, 0)).toBe(recalled.amount);
    expect(lines.at(-1)).toBe(`${recalled.dueDate}T09:00 LOAN_CLOSED REPAID`);
  });
});

group('the summary', () => {
  it('counts restructures and recalls per month and in totals', () => {
    const changed = run.summary.months.filter((m) => m.restructures || m.recalls).map((m) => [m.month, m.restructures, m.recalls]);
    expect(changed).toEqual([
      ['2026-05', 1, 1],
      ['2026-06', 1, 0],
    ]);
    expect(run.summary.totals).toMatchObject({ restructures: 2, recalls: 1, loansClosedByReason: { REPAID: 5 } });
    expect(run.report).toContain('Schedules changed: 2 restructured, 1 recalled (restructured/recalled by month: 2026-05 1/1, 2026-06 1/0)');
  });
});
