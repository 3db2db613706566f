// The behaviour columns of the collections life (promises, reviews, legal) through `simulate`: scripted
// borrowers keep and break promises, risk refers a loan on its pre-legal review, the legal team settles one case
// and writes another off; and what the summary makes of it.
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { eventLine, scratchDir, simulate, writePortfolio, type SimulationRun } from './simulate-support.js';

const HEADER = 'loanId,product,riskRating,principal,annualRate,termMonths,disbursedAt,timezone,phone,email,payments,reports,answerRate,promises,reviews,legal';
// A plain-date disbursedAt, as lenders' exports write it: 10:00 that day in the row's time zone.
const LOAN = 'consumer,medium,36000,0.08,12,2026-01-05,Asia/Shanghai,+8613812345678,borrower@example.com';
const MISSED = `P ${Array(11).fill('M').join(' ')}`;
const ROWS = [
  // Instalment 2 paid 20 days late: a promise three days ahead, broken; then the day the borrower will pay, kept.
  `PROMISES-BK,${LOAN},P L20,,1,BK,,`,
  // Never pays again and promises nothing; risk refers the loan on its DPD 75 review; the case settles two months later.
  `REFER-SETTLE,${LOAN},${MISSED},,1,${'N'.repeat(20)},PRE_LEGAL_REVIEW:refer,settled@2`,
  // Never pays again; referred at DPD 90; a hearing a month later, written off three months after the referral.
  `WRITE-OFF,${LOAN},${MISSED},,1,${'N'.repeat(20)},,hearing_scheduled@1;written_off@3`,
];
const FOLLOWED = /^(LOAN_ONBOARDED|PROMISE_|REVIEW_DECIDED|LEGAL_|LOAN_CLOSED|COLLECTION_|PAYMENT_RECEIVED)/;

const scratch = scratchDir('collections');
let run: SimulationRun;
const of = (loanId: string) =>
  run.events
    .filter((e) => e.loanId === loanId)
    .map(eventLine)
    .filter((line) => FOLLOWED.test(line.slice(17)));
/** The records of one type on a loan, without their chain fields. */
const detail = (loanId: string, type: string): Record<string, any>[] =>
  run.events
    .filter((e) => e.loanId === loanId && e.type === type)
    .map(({ loanId: _, at, type: __, key, seq, hash, prevHash, ...rest }) => ({ at: at.slice(0, 16), ...rest }));

beforeAll(async () => {
  const portfolioFile = writePortfolio(scratch.dir, 'collections.csv', [HEADER, ...ROWS]);
  run = await simulate({ portfolioFile, until: new Date('2026-12-01T00:00:00Z'), outDir: `${scratch.dir}/out`, seed: 7, fixedTimes: true });
});

afterAll(() => scratch.cleanup());

group('promises: B then K', () => {
  it('breaks the promise made three days ahead, then keeps the one made for the day it pays', () => {
    expect(run.failedExecutions).toEqual([]);
    expect(of('PROMISES-BK').slice(0, 11)).toEqual([
      '2026-01-05T10:00 LOAN_ONBOARDED',
      '2026-02-05T09:00 PAYMENT_RECEIVED 313158',
      '2026-03-06T09:00 COLLECTION_STARTED E1 dpd 1',
      // The DPD 3 call: B promises 2026-03-12 (three days ahead) and does not pay by its check the day after.
      '2026-03-09T09:00 PROMISE_MADE 2026-03-12 313158',
      '2026-03-13T10:00 PROMISE_BROKEN 2026-03-12 313158',
      // The call brought forward: K promises the day the payments script pays (due 03-05 + 20 days), within 14 days.
      '2026-03-16T09:00 PROMISE_MADE 2026-03-25 313158',
      '2026-03-25T09:00 PAYMENT_RECEIVED 313158',
      '2026-03-25T09:00 COLLECTION_ENDED E1 cured',
      '2026-03-25T09:00 PROMISE_KEPT 2026-03-25 313158',
      '2026-04-05T09:00 PAYMENT_RECEIVED 313158',
      '2026-05-05T09:00 PAYMENT_RECEIVED 313158',
    ]);
    expect(detail('PROMISES-BK', 'PROMISE_MADE').map((e) => [e.date, e.amount])).toEqual([
      ['2026-03-12', 313158],
      ['2026-03-25', 313158],
    ]);
    const answers = run.events.filter((e) => e.loanId === 'PROMISES-BK' && e.type === 'CALLBACK_COMPLETED' && e.purpose === 'COLLECTION');
    expect(answers.map((e) => [e.findings, e.promise])).toEqual([
      [['promise_to_pay'], { date: '2026-03-12', amount: 3131.58 }],
      [['promise_to_pay'], { date: '2026-03-25', amount: 3131.58 }],
    ]);
    expect(detail('PROMISES-BK', 'PROMISE_BROKEN')).toMatchObject([{ date: '2026-03-12', paid: 0, brokenInEpisode: 1 }]);
    expect(detail('PROMISES-BK', 'PROMISE_KEPT')).toMatchObject([{ date: '2026-03-25', paid: 313158 }]);
  });
});

group('reviews: PRE_LEGAL_REVIEW:refer, then legal settled@2', () => {
  it('is referred by risk at DPD 75 and closed when the settlement pays the whole balance', () => {
    expect(of('REFER-SETTLE').slice(2)).toEqual([
      '2026-03-06T09:00 COLLECTION_STARTED E1 dpd 1',
      '2026-05-19T11:00 REVIEW_DECIDED PRE_LEGAL_REVIEW refer',
      '2026-05-19T11:00 COLLECTION_ENDED E1 LEGAL_REFERRAL',
      '2026-05-19T11:00 LEGAL_REFERRAL CASE-REFER-SETTLE dpd 75',
      // Two months after the referral is a Sunday: the legal team records it on Monday morning.
      '2026-07-20T09:00 LEGAL_EVENT settled',
      '2026-07-20T09:00 PAYMENT_RECEIVED 3444743',
      '2026-07-20T09:00 LEGAL_CASE_CLOSED settled',
      '2026-07-20T09:00 LOAN_CLOSED LEGAL_SETTLED',
    ]);
    expect(detail('REFER-SETTLE', 'REVIEW_DECIDED')).toMatchObject([{ purpose: 'PRE_LEGAL_REVIEW', outcome: 'refer', by: 'sim-risk-officer' }]);
    expect(detail('REFER-SETTLE', 'LEGAL_EVENT')).toMatchObject([{ caseId: 'CASE-REFER-SETTLE', event: 'settled', amount: 3444743, by: 'sim-legal' }]);
    expect(detail('REFER-SETTLE', 'LOAN_CLOSED')).toMatchObject([{ reason: 'LEGAL_SETTLED' }]);
  });
});

group('legal: hearing_scheduled@1;written_off@3', () => {
  it('records the hearing, then writes the loan off and closes it: LOSS, and nothing after', () => {
    expect(of('WRITE-OFF').slice(2)).toEqual([
      '2026-03-06T09:00 COLLECTION_STARTED E1 dpd 1',
      // No `reviews` column: risk answers the DPD 75 review `continue`, and the ladder goes on to the referral.
      '2026-05-19T11:00 REVIEW_DECIDED PRE_LEGAL_REVIEW continue',
      '2026-06-03T10:00 COLLECTION_ENDED E1 LEGAL_REFERRAL',
      '2026-06-03T10:00 LEGAL_REFERRAL CASE-WRITE-OFF dpd 90',
      '2026-07-03T10:00 LEGAL_EVENT hearing_scheduled',
      '2026-09-03T10:00 LEGAL_EVENT written_off',
      '2026-09-03T10:00 LEGAL_CASE_CLOSED written_off',
      '2026-09-03T10:00 LOAN_CLOSED WRITTEN_OFF',
    ]);
    expect(detail('WRITE-OFF', 'REVIEW_DECIDED')).toMatchObject([{ purpose: 'PRE_LEGAL_REVIEW', outcome: 'continue' }]);
    expect(detail('WRITE-OFF', 'LEGAL_EVENT').map((e) => e.event)).toEqual(['hearing_scheduled', 'written_off']);
    expect(detail('WRITE-OFF', 'LEGAL_CASE_CLOSED')).toMatchObject([{ outcome: 'written_off' }]);
    expect(detail('WRITE-OFF', 'LOAN_CLOSED')).toMatchObject([{ reason: 'WRITTEN_OFF' }]);
    expect(run.events.filter((e) => e.loanId === 'WRITE-OFF' && e.type === 'CLASSIFICATION_CHANGED').at(-1)).toMatchObject({ to: 'LOSS' });
    // The execution ended with the loan: a referred loan still open would record a suppressed reminder every month.
    const last = run.events.filter((e) => e.loanId === 'WRITE-OFF').at(-1)!;
    expect(last.at.slice(0, 10)).toBe('2026-09-03');
  });
});

group('the summary', () => {
  it('counts promises, contacts by tier, cures, rolls, legal cases and closings exactly', () => {
    const t = run.summary.totals;
    expect(t.promises).toEqual({ made: 2, kept: 1, broken: 1 });
    expect(t.collections.episodesStarted).toBe(3);
    expect(t.collections.episodesEnded).toEqual({ CURED: 1, LEGAL_REFERRAL: 2 });
    expect(t.collections.cureRate).toBe(0.3333);
    // PROMISES-BK: calls at DPD 3 and after the broken promise; notice SMS + email, two promise reminders.
    // Each of the others: calls every 7 days from DPD 3 (early to 29, middle 36-57, late 64-85; REFER-SETTLE
    // stops at 71), SMS at 1, 7, 15, 30 (early), 45, 60 (middle), the notice email and the demand letter at 60.
    expect(t.collections.byTier).toEqual({
      collection_early: { calls: 12, sms: 11, emails: 3 },
      collection_middle: { calls: 8, sms: 4, emails: 2 },
      collection_late: { calls: 6, sms: 0, emails: 0 },
    });
    expect(t.collections.rollRates).toEqual([
      { from: '1-30', to: '31-60', episodes: 3, rolled: 2, censored: 0, rate: 0.6667 },
      { from: '31-60', to: '61-90', episodes: 2, rolled: 2, censored: 0, rate: 1 },
      { from: '61-90', to: '91+', episodes: 2, rolled: 2, censored: 0, rate: 1 },
    ]);
    expect(t.legal).toEqual({ casesOpened: 2, casesClosed: { settled: 1, written_off: 1 } });
    expect(t.loansClosedByReason).toEqual({ LEGAL_SETTLED: 1, WRITTEN_OFF: 1 });
    expect(run.report).toContain('Promises to pay: 2 made, 1 kept, 1 broken');
    expect(run.report).toContain(
      'Collections: 3 episodes, 1 cured (cure rate 33.3%), ended uncured: LEGAL_REFERRAL 2; by tier early/middle/late: calls 12/8/6, SMS 11/4/0, emails 3/2/0',
    );
    expect(run.report).toContain('Roll rates (episodes by days past due): 1-30→31-60 2/3 (66.7%), 31-60→61-90 2/2 (100%), 61-90→91+ 2/2 (100%)');
    expect(run.report).toContain('Legal cases: 2 opened, 2 closed (settled 1, written_off 1)');
  });

  it('exports the new timeline types like every other record', () => {
    const types = new Set(run.events.map((e) => e.type));
    for (const type of [
      'TEAM_NOTIFIED',
      'PROMISE_MADE',
      'PROMISE_KEPT',
      'PROMISE_BROKEN',
      'PHASE_CHANGED',
      'REVIEW_DECIDED',
      'LEGAL_EVENT',
      'LEGAL_CASE_CLOSED',
      'COLLECTION_STARTED',
      'COLLECTION_ENDED',
      'LOAN_CLOSED',
    ]) {
      expect(types, type).toContain(type);
    }
    for (const e of run.events) expect(e.at).toMatch(/\+08:00$/);
  });
});
