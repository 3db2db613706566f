// The workflow's scripted stories (test/e2e/stories.test.ts) as one portfolio through `simulate`, checked
// record by record in the exported timeline.
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { verifyChain } from '../../workflows/audit/hash-chain.js';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { eventLine, scratchDir, simulate, STORY_HEADER, writePortfolio, type SimulationRun } from './simulate-support.js';

const LOAN = 'consumer,medium,36000,0.08';
const DAY0 = '2026-01-05T10:00:00+08:00,Asia/Shanghai,+8613812345678,borrower@example.com';
const STORIES = [
  `ONTIME-5Y,consumer,medium,120000,0.08,60,${DAY0},,,1`,
  `CAR-NOCONTACT,car,medium,36000,0.08,36,${DAY0},,,0`,
  `LATE-TWICE,${LOAN},12,${DAY0},P L5 L10,,1`,
  `HARDSHIP-M8,car,medium,36000,0.08,36,${DAY0},,8:income_decline,1`,
  `DPD90,${LOAN},24,${DAY0},P P ${Array(22).fill('M').join(' ')},,1`,
  `PAYOFF,${LOAN},24,${DAY0},P P P X,,1`,
];

const scratch = scratchDir('stories');
let run: SimulationRun;
const of = (loanId: string, from = '', to = '9999') => run.events.filter((e) => e.loanId === loanId && e.at >= from && e.at <= to).map(eventLine);

beforeAll(async () => {
  const portfolioFile = writePortfolio(scratch.dir, 'stories.csv', [STORY_HEADER, ...STORIES]);
  run = await simulate({ portfolioFile, until: new Date('2031-03-05T00:00:00Z'), outDir: `${scratch.dir}/out`, seed: 7, fixedTimes: true });
});

afterAll(() => scratch.cleanup());

group('the exported timeline', () => {
  it('has every loan, one record a line, in time order per loan, times with the borrower offset', () => {
    expect(new Set(run.events.map((e) => e.loanId))).toEqual(new Set(STORIES.map((s) => s.split(',')[0])));
    for (const e of run.events) expect(e.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/);
    for (const loanId of new Set(run.events.map((e) => e.loanId))) {
      const times = run.events.filter((e) => e.loanId === loanId).map((e) => Date.parse(e.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(run.failedExecutions).toEqual([]);
  });

  it('is the records the product stored: each loan audit chain verifies once times are back in UTC', () => {
    for (const loanId of new Set(run.events.map((e) => e.loanId))) {
      const records = run.events.filter((e) => e.loanId === loanId).map((e) => ({ ...e, at: new Date(e.at).toISOString() }) as TimelineEvent);
      const verdict = verifyChain(records);
      expect(verdict.ok, `${loanId}: ${JSON.stringify(verdict)}`).toBe(true);
      expect(verdict.links).toBe(records.length);
    }
  });

  it('carries the types and details the forecast reads', () => {
    const types = new Set(run.events.map((e) => e.type));
    for (const type of [
      'LOAN_ONBOARDED',
      'MESSAGE_SENT',
      'CALLBACK_CREATED',
      'CALLBACK_COMPLETED',
      'CALLBACK_OVERDUE',
      'PAYMENT_RECEIVED',
      'WARNING_RAISED',
      'CLASSIFICATION_CHANGED',
      'LEGAL_REFERRAL',
      'CONTACT_SUPPRESSED',
      'EXECUTION_CONTINUED',
      'LOAN_CLOSED',
    ]) {
      expect(types, type).toContain(type);
    }
    for (const e of run.events.filter((x) => x.type === 'MESSAGE_SENT')) {
      expect(['SMS', 'EMAIL']).toContain(e.channel);
      expect(['WELCOME', 'REMINDER', 'OVERDUE_NOTICE', 'PROMISE_REMINDER', 'DEMAND_LETTER', 'RECALL_NOTICE', 'CLOSING']).toContain(e.purpose);
    }
    for (const e of run.events.filter((x) => x.type.startsWith('CALLBACK_'))) expect(e.purpose).toBeTruthy();
    for (const e of run.events.filter((x) => x.type === 'CALLBACK_COMPLETED')) expect(e.outcome).toBeTruthy();
    for (const e of run.events.filter((x) => x.type === 'CONTACT_SUPPRESSED')) expect(e.reason).toBeTruthy();
  });
});

group('two consecutive late instalments (P L5 L10), from onboarding to closing', () => {
  it('happens exactly so', () => {
    expect(of('LATE-TWICE')).toEqual([
      '2026-01-05T10:00 LOAN_ONBOARDED',
      '2026-01-05T10:00 CALLBACK_CREATED FIRST_CONTACT',
      '2026-01-05T10:00 PHASE_CHANGED null->FirstContact',
      '2026-01-05T10:00 MESSAGE_SENT SMS WELCOME',
      '2026-01-05T10:00 MESSAGE_SENT EMAIL WELCOME',
      '2026-01-05T11:00 CALLBACK_COMPLETED FIRST_CONTACT REACHED',
      '2026-01-05T11:00 PHASE_CHANGED FirstContact->EarlyChecks',
      '2026-02-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-02-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-02-04T09:00 CALLBACK_CREATED DAY30_CHECK',
      '2026-02-04T10:00 CALLBACK_COMPLETED DAY30_CHECK REACHED',
      '2026-02-05T09:00 PAYMENT_RECEIVED 313158',
      // Instalment 2, five days late: due-day SMS, DPD 1 notice, 关注 and the supervisors told (episode 1), DPD 3
      // collection call where the borrower promises the day they pay, the promise kept, the episode cured.
      '2026-03-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-03-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-03-05T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-03-06T09:00 COLLECTION_STARTED E1 dpd 1',
      '2026-03-06T09:00 CALLBACK_CREATED DAY60_CHECK',
      '2026-03-06T09:00 CLASSIFICATION_CHANGED NORMAL->SPECIAL_MENTION',
      '2026-03-06T09:00 PHASE_CHANGED EarlyChecks->Collections',
      '2026-03-06T10:00 MESSAGE_SENT SMS OVERDUE_NOTICE',
      '2026-03-06T10:00 MESSAGE_SENT EMAIL OVERDUE_NOTICE',
      '2026-03-06T10:00 TEAM_NOTIFIED supervisors OVERDUE',
      '2026-03-06T10:00 CALLBACK_COMPLETED DAY60_CHECK REACHED',
      '2026-03-08T10:00 CALLBACK_CREATED COLLECTION',
      '2026-03-09T09:00 CALLBACK_COMPLETED COLLECTION REACHED',
      '2026-03-09T09:00 PROMISE_MADE 2026-03-10 313158',
      '2026-03-09T10:00 MESSAGE_SENT SMS PROMISE_REMINDER',
      '2026-03-10T09:00 PAYMENT_RECEIVED 313158',
      '2026-03-10T09:00 COLLECTION_ENDED E1 cured',
      '2026-03-10T09:00 PROMISE_KEPT 2026-03-10 313158',
      '2026-03-10T09:00 CLASSIFICATION_CHANGED SPECIAL_MENTION->NORMAL',
      '2026-03-10T09:00 PHASE_CHANGED Collections->Servicing',
      '2026-03-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-03-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      // Instalment 3, ten days late: the second late one in a row raises PRIMARY at DPD 1; the promise on the
      // DPD 3 call pauses the DPD 7 call and SMS.
      '2026-04-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-04-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-04-05T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-04-06T10:00 COLLECTION_STARTED E2 dpd 1',
      '2026-04-06T10:00 WARNING_RAISED PRIMARY',
      '2026-04-06T10:00 CLASSIFICATION_CHANGED NORMAL->SPECIAL_MENTION',
      '2026-04-06T10:00 PHASE_CHANGED Servicing->Collections',
      '2026-04-06T10:00 MESSAGE_SENT SMS OVERDUE_NOTICE',
      '2026-04-06T10:00 MESSAGE_SENT EMAIL OVERDUE_NOTICE',
      '2026-04-06T10:00 TEAM_NOTIFIED supervisors OVERDUE',
      '2026-04-08T10:00 CALLBACK_CREATED COLLECTION',
      '2026-04-08T11:00 CALLBACK_COMPLETED COLLECTION REACHED',
      '2026-04-08T11:00 PROMISE_MADE 2026-04-15 313158',
      '2026-04-12T10:00 CONTACT_SUPPRESSED CALL COLLECTION PROMISE_OPEN',
      '2026-04-12T10:00 CONTACT_SUPPRESSED SMS OVERDUE_NOTICE PROMISE_OPEN',
      '2026-04-14T10:00 MESSAGE_SENT SMS PROMISE_REMINDER',
      '2026-04-15T09:00 PAYMENT_RECEIVED 313158',
      '2026-04-15T09:00 COLLECTION_ENDED E2 cured',
      '2026-04-15T09:00 PROMISE_KEPT 2026-04-15 313158',
      '2026-04-15T09:00 CLASSIFICATION_CHANGED SPECIAL_MENTION->NORMAL',
      '2026-04-15T09:00 PHASE_CHANGED Collections->Servicing',
      '2026-04-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-04-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      ...[5, 6, 7, 8, 9, 10].flatMap((month) => {
        const m = String(month).padStart(2, '0');
        // A Sunday or Saturday call waits for Monday.
        const answered = { 6: '2026-06-22T09:00', 9: '2026-09-21T09:00' }[month] ?? `2026-${m}-20T10:00`;
        return [
          `2026-${m}-02T10:00 MESSAGE_SENT SMS REMINDER`,
          `2026-${m}-02T10:00 MESSAGE_SENT EMAIL REMINDER`,
          `2026-${m}-05T09:00 PAYMENT_RECEIVED 313158`,
          `2026-${m}-20T09:00 CALLBACK_CREATED PERIODIC`,
          `${answered} CALLBACK_COMPLETED PERIODIC REACHED`,
        ];
      }),
      '2026-11-01T10:00 EXECUTION_CONTINUED',
      '2026-11-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-11-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-11-05T09:00 PAYMENT_RECEIVED 313158',
      '2026-11-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-11-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-12-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-12-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-12-05T09:00 PAYMENT_RECEIVED 313158',
      '2026-12-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-12-21T09:00 CALLBACK_COMPLETED PERIODIC REACHED',
      // The last periodic callback falls before the last due date; none is planned after it.
      '2027-01-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2027-01-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2027-01-05T09:00 PAYMENT_RECEIVED 313163',
      '2027-01-05T09:00 LOAN_CLOSED REPAID',
      '2027-01-05T09:00 MESSAGE_SENT SMS CLOSING',
      '2027-01-05T09:00 MESSAGE_SENT EMAIL CLOSING',
    ]);
  });
});

group('an early payoff on the fourth due date', () => {
  it('closes the loan then and there, with nothing after', () => {
    expect(of('PAYOFF')).toEqual([
      '2026-01-05T10:00 LOAN_ONBOARDED',
      '2026-01-05T10:00 CALLBACK_CREATED FIRST_CONTACT',
      '2026-01-05T10:00 PHASE_CHANGED null->FirstContact',
      '2026-01-05T10:00 MESSAGE_SENT SMS WELCOME',
      '2026-01-05T10:00 MESSAGE_SENT EMAIL WELCOME',
      '2026-01-05T11:00 CALLBACK_COMPLETED FIRST_CONTACT REACHED',
      '2026-01-05T11:00 PHASE_CHANGED FirstContact->EarlyChecks',
      '2026-02-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-02-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-02-04T09:00 CALLBACK_CREATED DAY30_CHECK',
      '2026-02-04T10:00 CALLBACK_COMPLETED DAY30_CHECK REACHED',
      '2026-02-05T09:00 PAYMENT_RECEIVED 162818',
      '2026-03-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-03-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-03-05T09:00 PAYMENT_RECEIVED 162818',
      '2026-03-06T09:00 CALLBACK_CREATED DAY60_CHECK',
      '2026-03-06T10:00 CALLBACK_COMPLETED DAY60_CHECK REACHED',
      '2026-03-06T10:00 PHASE_CHANGED EarlyChecks->Servicing',
      '2026-03-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-03-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-04-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-04-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-04-05T09:00 PAYMENT_RECEIVED 162818',
      '2026-04-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-04-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-05-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-05-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-05-05T09:00 PAYMENT_RECEIVED 3419183 payoff',
      '2026-05-05T09:00 LOAN_CLOSED PAID_OFF',
      '2026-05-05T09:00 MESSAGE_SENT SMS CLOSING',
      '2026-05-05T09:00 MESSAGE_SENT EMAIL CLOSING',
    ]);
  });
});

group('DPD 90 ends in a legal referral', () => {
  it('walks the overdue ladder of instalment 3 up to the referral, then contact stops', () => {
    expect(of('DPD90', '2026-04-01', '2026-07-06')).toEqual([
      '2026-04-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-04-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-04-05T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-04-06T10:00 COLLECTION_STARTED E1 dpd 1',
      '2026-04-06T10:00 CLASSIFICATION_CHANGED NORMAL->SPECIAL_MENTION',
      '2026-04-06T10:00 PHASE_CHANGED Servicing->Collections',
      '2026-04-06T10:00 MESSAGE_SENT SMS OVERDUE_NOTICE',
      '2026-04-06T10:00 MESSAGE_SENT EMAIL OVERDUE_NOTICE',
      '2026-04-06T10:00 TEAM_NOTIFIED supervisors OVERDUE',
      '2026-04-08T10:00 CALLBACK_CREATED COLLECTION',
      '2026-04-08T11:00 CALLBACK_COMPLETED COLLECTION REACHED',
      '2026-04-08T11:00 PROMISE_MADE 2026-04-22 162818',
      '2026-04-12T10:00 CONTACT_SUPPRESSED CALL COLLECTION PROMISE_OPEN',
      '2026-04-12T10:00 CONTACT_SUPPRESSED SMS OVERDUE_NOTICE PROMISE_OPEN',
      '2026-04-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-04-20T10:00 CONTACT_SUPPRESSED CALL COLLECTION PROMISE_OPEN',
      '2026-04-20T10:00 CONTACT_SUPPRESSED SMS OVERDUE_NOTICE PROMISE_OPEN',
      '2026-04-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-04-21T10:00 MESSAGE_SENT SMS PROMISE_REMINDER',
      '2026-04-23T10:00 PROMISE_BROKEN 2026-04-22 162818',
      '2026-04-23T10:00 CALLBACK_CREATED COLLECTION',
      '2026-04-23T11:00 CALLBACK_COMPLETED COLLECTION REACHED',
      '2026-04-23T11:00 PROMISE_MADE 2026-05-07 162818',
      '2026-05-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-05-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-05-04T10:00 CONTACT_SUPPRESSED CALL COLLECTION PROMISE_OPEN',
      '2026-05-05T10:00 CONTACT_SUPPRESSED SMS OVERDUE_NOTICE PROMISE_OPEN',
      '2026-05-05T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-05-06T10:00 WARNING_RAISED PRIMARY',
      '2026-05-06T10:00 MESSAGE_SENT SMS PROMISE_REMINDER',
      '2026-05-08T10:00 PROMISE_BROKEN 2026-05-07 162818',
      '2026-05-08T10:00 CALLBACK_CREATED COLLECTION',
      '2026-05-08T11:00 CALLBACK_COMPLETED COLLECTION REACHED',
      '2026-05-08T11:00 PROMISE_MADE 2026-05-22 162818',
      '2026-05-18T10:00 CONTACT_SUPPRESSED CALL COLLECTION PROMISE_OPEN',
      '2026-05-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-05-20T10:00 CONTACT_SUPPRESSED SMS OVERDUE_NOTICE PROMISE_OPEN',
      '2026-05-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-05-21T10:00 MESSAGE_SENT SMS PROMISE_REMINDER',
      '2026-05-23T10:00 PROMISE_BROKEN 2026-05-22 162818',
      '2026-05-23T10:00 CALLBACK_CREATED COLLECTION',
      '2026-05-23T10:00 REPEATED_DEFAULT',
      '2026-05-23T10:00 CALLBACK_CREATED PRE_LEGAL_REVIEW',
      '2026-05-25T09:00 CALLBACK_COMPLETED COLLECTION REACHED',
      '2026-05-25T09:00 PROMISE_MADE 2026-06-08 162818',
      '2026-05-25T09:00 CALLBACK_COMPLETED PRE_LEGAL_REVIEW REACHED',
      '2026-05-25T09:00 REVIEW_DECIDED PRE_LEGAL_REVIEW continue',
      '2026-06-01T10:00 CONTACT_SUPPRESSED CALL COLLECTION PROMISE_OPEN',
      '2026-06-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-06-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-06-04T10:00 CONTACT_SUPPRESSED SMS OVERDUE_NOTICE PROMISE_OPEN',
      '2026-06-04T10:00 MESSAGE_SENT EMAIL DEMAND_LETTER',
      '2026-06-05T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-06-07T10:00 MESSAGE_SENT SMS PROMISE_REMINDER',
      '2026-06-08T10:00 CONTACT_SUPPRESSED CALL COLLECTION PROMISE_OPEN',
      '2026-06-09T10:00 PROMISE_BROKEN 2026-06-08 162818',
      '2026-06-09T10:00 CALLBACK_CREATED COLLECTION',
      '2026-06-09T11:00 CALLBACK_COMPLETED COLLECTION REACHED',
      '2026-06-09T11:00 PROMISE_MADE 2026-06-23 162818',
      '2026-06-19T10:00 CALLBACK_CREATED PRE_LEGAL_REVIEW',
      '2026-06-19T11:00 CALLBACK_COMPLETED PRE_LEGAL_REVIEW REACHED',
      '2026-06-19T11:00 REVIEW_DECIDED PRE_LEGAL_REVIEW continue',
      '2026-06-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-06-22T09:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-06-22T10:00 CONTACT_SUPPRESSED CALL COLLECTION PROMISE_OPEN',
      '2026-06-22T10:00 MESSAGE_SENT SMS PROMISE_REMINDER',
      '2026-06-24T10:00 PROMISE_BROKEN 2026-06-23 162818',
      '2026-06-24T10:00 CALLBACK_CREATED COLLECTION',
      '2026-06-24T11:00 CALLBACK_COMPLETED COLLECTION REACHED',
      '2026-06-24T11:00 PROMISE_MADE 2026-07-08 162818',
      '2026-07-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-07-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-07-04T10:00 WARNING_RAISED ADVANCED',
      '2026-07-04T10:00 COLLECTION_ENDED E1 LEGAL_REFERRAL',
      '2026-07-04T10:00 LEGAL_REFERRAL CASE-DPD90 dpd 90',
      '2026-07-04T10:00 PHASE_CHANGED Collections->Legal',
      '2026-07-04T10:00 TEAM_NOTIFIED supervisors WARNING_RAISED',
      '2026-07-04T10:00 TEAM_NOTIFIED legal LEGAL_REFERRAL',
      '2026-07-05T10:00 CLASSIFICATION_CHANGED SPECIAL_MENTION->SUBSTANDARD',
      '2026-07-05T10:00 CONTACT_SUPPRESSED SMS REMINDER LEGAL_REFERRAL',
    ]);
    const after = run.events.filter((e) => e.loanId === 'DPD90' && e.at > '2026-07-04T10:00:00.000+08:00');
    // No message and no call after the referral: only the legal team's own follow-ups of a quiet case.
    expect(after.filter((e) => e.type === 'MESSAGE_SENT' || (e.type === 'CALLBACK_CREATED' && e.purpose !== 'LEGAL_FOLLOW_UP'))).toEqual([]);
    const followUps = after.filter((e) => e.type === 'CALLBACK_CREATED' && e.purpose === 'LEGAL_FOLLOW_UP').map((e) => Date.parse(e.at));
    expect(followUps.length).toBeGreaterThan(10);
    for (let i = 1; i < followUps.length; i++) expect(followUps[i]! - followUps[i - 1]!).toBeGreaterThanOrEqual(90 * 86_400_000);
    // 可疑 above 270 days past due, 损失 above 360.
    expect(
      of('DPD90')
        .filter((l) => l.includes('CLASSIFICATION_CHANGED'))
        .slice(2),
    ).toEqual(['2027-01-01T10:00 CLASSIFICATION_CHANGED SUBSTANDARD->DOUBTFUL', '2027-04-01T10:00 CLASSIFICATION_CHANGED DOUBTFUL->LOSS']);
  });
});

group('hardship reported in month 8 (car loan)', () => {
  it('raises INTERMEDIATE on the first call answered in month 8, opens both reviews, then calls every 14 days', () => {
    expect(of('HARDSHIP-M8', '2026-08-20', '2026-11-27')).toEqual([
      '2026-08-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-08-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-08-20T10:00 ANOMALY_REPORTED income_decline',
      // Policy riskRating.suggestFromFindings: income_decline suggests high, for risk to confirm.
      '2026-08-20T10:00 RISK_RATING_SUGGESTED',
      '2026-08-20T10:00 WARNING_RAISED INTERMEDIATE',
      '2026-08-20T10:00 CALLBACK_CREATED RESTRUCTURE_REVIEW',
      '2026-08-20T10:00 CALLBACK_CREATED COLLATERAL_REVIEW',
      '2026-08-20T10:00 CLASSIFICATION_CHANGED NORMAL->SPECIAL_MENTION',
      '2026-08-20T10:00 TEAM_NOTIFIED supervisors WARNING_RAISED',
      '2026-08-20T11:00 CALLBACK_COMPLETED COLLATERAL_REVIEW REACHED',
      '2026-08-20T11:00 CALLBACK_COMPLETED RESTRUCTURE_REVIEW REACHED',
      '2026-09-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-09-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-09-03T09:00 CALLBACK_CREATED PERIODIC',
      '2026-09-03T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-09-05T09:00 PAYMENT_RECEIVED 112811',
      '2026-09-17T09:00 CALLBACK_CREATED PERIODIC',
      '2026-09-17T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-10-01T09:00 CALLBACK_CREATED PERIODIC',
      '2026-10-01T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-10-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-10-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-10-05T09:00 PAYMENT_RECEIVED 112811',
      '2026-10-15T09:00 CALLBACK_CREATED PERIODIC',
      '2026-10-15T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-10-29T09:00 CALLBACK_CREATED PERIODIC',
      '2026-10-29T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-11-01T10:00 EXECUTION_CONTINUED',
      '2026-11-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-11-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-11-05T09:00 PAYMENT_RECEIVED 112811',
      '2026-11-12T09:00 CALLBACK_CREATED PERIODIC',
      '2026-11-12T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-11-26T09:00 CALLBACK_CREATED PERIODIC',
      '2026-11-26T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
    ]);
  });
});

group('a car loan whose first contact is never completed', () => {
  it('tries every working day, is overdue after 7 days, re-queued three times, then cancelled', () => {
    expect(of('CAR-NOCONTACT', '', '2026-01-19T23:59')).toEqual([
      '2026-01-05T10:00 LOAN_ONBOARDED',
      '2026-01-05T10:00 CALLBACK_CREATED FIRST_CONTACT',
      '2026-01-05T10:00 PHASE_CHANGED null->FirstContact',
      '2026-01-05T10:00 MESSAGE_SENT SMS WELCOME',
      '2026-01-05T10:00 MESSAGE_SENT EMAIL WELCOME',
      '2026-01-05T11:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-06T11:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-07T11:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-08T11:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-09T11:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-12T09:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-12T10:00 CALLBACK_OVERDUE FIRST_CONTACT',
      '2026-01-12T10:00 TEAM_NOTIFIED supervisors CALLBACK_OVERDUE',
      '2026-01-13T09:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-14T09:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-15T09:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-16T09:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-19T09:00 CALLBACK_ATTEMPTED FIRST_CONTACT NO_ANSWER',
      '2026-01-19T10:00 CALLBACK_OVERDUE FIRST_CONTACT',
      '2026-01-19T10:00 TEAM_NOTIFIED supervisors CALLBACK_OVERDUE',
    ]);
    const firstContact = of('CAR-NOCONTACT').filter((l) => / CALLBACK_(OVERDUE|CANCELLED) FIRST_CONTACT/.test(l));
    expect(firstContact).toEqual([
      '2026-01-12T10:00 CALLBACK_OVERDUE FIRST_CONTACT',
      '2026-01-19T10:00 CALLBACK_OVERDUE FIRST_CONTACT',
      '2026-01-26T10:00 CALLBACK_OVERDUE FIRST_CONTACT',
      '2026-02-02T10:00 CALLBACK_OVERDUE FIRST_CONTACT',
      '2026-02-02T10:00 CALLBACK_CANCELLED FIRST_CONTACT',
    ]);
    expect(of('CAR-NOCONTACT').some((l) => l.includes('CALLBACK_COMPLETED'))).toBe(false);
    // Never reached after its last re-queue: PRIMARY (possible false contact details or fraud), supervisors told.
    expect(of('CAR-NOCONTACT', '2026-02-02', '2026-02-02T23:59').filter((l) => / (WARNING_RAISED|TEAM_NOTIFIED)/.test(l))).toEqual([
      '2026-02-02T10:00 WARNING_RAISED PRIMARY',
      '2026-02-02T10:00 TEAM_NOTIFIED supervisors CALLBACK_OVERDUE',
      '2026-02-02T10:00 TEAM_NOTIFIED supervisors FIRST_CONTACT_UNREACHED',
    ]);
    const warning = run.events.find((e) => e.loanId === 'CAR-NOCONTACT' && e.type === 'WARNING_RAISED');
    expect(warning).toMatchObject({ level: 'PRIMARY', reason: 'first_contact_unreached' });
  });
});

group('a loan paid on time for 5 years', () => {
  it('starts like this', () => {
    expect(of('ONTIME-5Y', '', '2026-04-06')).toEqual([
      '2026-01-05T10:00 LOAN_ONBOARDED',
      '2026-01-05T10:00 CALLBACK_CREATED FIRST_CONTACT',
      '2026-01-05T10:00 PHASE_CHANGED null->FirstContact',
      '2026-01-05T10:00 MESSAGE_SENT SMS WELCOME',
      '2026-01-05T10:00 MESSAGE_SENT EMAIL WELCOME',
      '2026-01-05T11:00 CALLBACK_COMPLETED FIRST_CONTACT REACHED',
      '2026-01-05T11:00 PHASE_CHANGED FirstContact->EarlyChecks',
      '2026-02-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-02-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-02-04T09:00 CALLBACK_CREATED DAY30_CHECK',
      '2026-02-04T10:00 CALLBACK_COMPLETED DAY30_CHECK REACHED',
      '2026-02-05T09:00 PAYMENT_RECEIVED 243317',
      '2026-03-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-03-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-03-05T09:00 PAYMENT_RECEIVED 243317',
      '2026-03-06T09:00 CALLBACK_CREATED DAY60_CHECK',
      '2026-03-06T10:00 CALLBACK_COMPLETED DAY60_CHECK REACHED',
      '2026-03-06T10:00 PHASE_CHANGED EarlyChecks->Servicing',
      '2026-03-20T09:00 CALLBACK_CREATED PERIODIC',
      '2026-03-20T10:00 CALLBACK_COMPLETED PERIODIC REACHED',
      '2026-04-02T10:00 MESSAGE_SENT SMS REMINDER',
      '2026-04-02T10:00 MESSAGE_SENT EMAIL REMINDER',
      '2026-04-05T09:00 PAYMENT_RECEIVED 243317',
    ]);
  });

  it('hands over every 300 days, pays 60 times, is called monthly to the last due date and closes', () => {
    const lines = of('ONTIME-5Y');
    expect(lines.filter((l) => l.includes('EXECUTION_CONTINUED')).map((l) => l.slice(0, 10))).toEqual([
      '2026-11-01',
      '2027-08-28',
      '2028-06-23',
      '2029-04-19',
      '2030-02-13',
      '2030-12-10',
    ]);
    expect(lines.filter((l) => l.includes('PAYMENT_RECEIVED'))).toHaveLength(60);
    expect(lines.filter((l) => l.includes('MESSAGE_SENT EMAIL REMINDER'))).toHaveLength(60);
    const periodic = lines.filter((l) => l.includes('CALLBACK_CREATED PERIODIC')).map((l) => l.slice(0, 10));
    expect(periodic).toHaveLength(58);
    expect(periodic.at(-1)).toBe('2030-12-20');
    expect(lines.filter((l) => /OVERDUE|WARNING|CLASSIFICATION|SUPPRESSED/.test(l))).toEqual([]);
    expect(lines.slice(-3)).toEqual([
      '2031-01-05T09:00 LOAN_CLOSED REPAID',
      '2031-01-05T09:00 MESSAGE_SENT SMS CLOSING',
      '2031-01-05T09:00 MESSAGE_SENT EMAIL CLOSING',
    ]);
  });
});

// Each story's whole timeline, one line a record, kept in test/simulate/golden/ as a file snapshot: a change to any
// rule shows there as a diff to read in review. After a change that is meant, `npm run golden:update` rewrites them.
group('golden timelines', () => {
  it.each(STORIES.map((row) => row.split(',')[0]!))('%s, from onboarding to the horizon', async (loanId) => {
    await expect(`${of(loanId).join('\n')}\n`).toMatchFileSnapshot(`golden/${loanId}.txt`);
  });
});

group('the summary of the stories', () => {
  it('adds up to what the timeline holds', () => {
    const { totals, usage } = run.summary;
    const count = (type: string, f: (e: Record<string, any>) => boolean = () => true) => run.events.filter((e) => e.type === type && f(e)).length;
    expect(totals.messages).toEqual({ SMS: count('MESSAGE_SENT', (e) => e.channel === 'SMS'), EMAIL: count('MESSAGE_SENT', (e) => e.channel === 'EMAIL') });
    expect(usage.sms.CN).toBe(totals.messages.SMS);
    expect(usage.emails).toBe(totals.messages.EMAIL);
    expect(totals.legalReferrals).toBe(1);
    // PRIMARY: two late instalments in a row (LATE-TWICE, DPD90) and a first contact never reached (CAR-NOCONTACT).
    expect(totals.warnings).toEqual({ PRIMARY: 3, ADVANCED: 1, INTERMEDIATE: 1 });
    // Repaid or paid off: all but the loan referred to the legal team.
    expect(totals.loansClosed).toBe(5);
    // Staff work (reviews, field visits, the legal team's follow-ups) is not a call.
    const call = (e: Record<string, any>) => !/REVIEW|FIELD|LEGAL_FOLLOW_UP/.test(e.purpose);
    expect(totals.agentWorkload.calls).toBe(count('CALLBACK_COMPLETED', call) + count('CALLBACK_ATTEMPTED', call));
    // Each loan onboarded through the operations API's route, the function API Gateway invokes.
    expect(usage.lambdaInvocations['api-post-loans']).toBe(6);
    expect(run.summary.totals.classificationAtHorizon).toEqual({ NORMAL: 0, SPECIAL_MENTION: 0, SUBSTANDARD: 0, DOUBTFUL: 0, LOSS: 1 });
  });
});
