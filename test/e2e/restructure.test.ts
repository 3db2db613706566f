// A restructure end to end: the synthesized definition on the local engine, the real handlers, DynamoDB Local, and
// a simulated borrower and risk officer acting out the script. Hardship in month 6 → RESTRUCTURE_REVIEW → risk
// agrees a 6-month extension → the borrower pays the new schedule → the loan closes 6 months later than first
// planned, never near a legal referral.
import { beforeAll, describe, expect, it } from 'vitest';
import { addLocalMonths, localDate } from '../../workflows/domain/local-time.js';
import { storiesOnDynamoDbLocal, type StoryResult } from '../support/story-harness.js';
import { loanRequest } from '../support/loans.js';

const story = storiesOnDynamoDbLocal();
const ZONE = 'Asia/Shanghai';
const local = (at: string) => localDate(at, ZONE);

describe('hardship in month 6, a 6-month extension, paid on the new schedule', () => {
  let s: StoryResult;
  beforeAll(async () => {
    // A 12-month consumer loan disbursed 2026-01-05 (first due 2026-02-05, last 2027-01-05): 18 tokens for the longer schedule.
    s = await story(
      loanRequest({ loanId: 'RESTRUCTURE-E2E' }),
      { payments: Array(18).fill('P').join(' '), reports: '6:hardship', reviews: 'RESTRUCTURE_REVIEW:extend6', answerRate: 1 },
      20,
    );
  });

  it('runs every execution to success', () => {
    const executions = [...s.app.runtime.executions.values()];
    expect(executions.length).toBeGreaterThanOrEqual(1);
    expect(executions.map((e) => [e.name, e.status])).toEqual(executions.map((e) => [e.name, 'SUCCEEDED']));
  });

  it('opens a restructure review on the hardship told in month 6, and risk restructures with a 6-month extension', () => {
    const anomaly = s.of('WARNING_RAISED').find((e) => e.level === 'INTERMEDIATE')!;
    expect(local(anomaly.at) >= '2026-06-05' && local(anomaly.at) < '2026-07-05').toBe(true);
    expect(s.of('CALLBACK_CREATED').filter((e) => e.purpose === 'RESTRUCTURE_REVIEW')).toHaveLength(1);
    const [restructured] = s.of('RESTRUCTURED');
    expect(s.of('RESTRUCTURED')).toHaveLength(1);
    expect(restructured).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      plan: { extendMonths: 6, annualRate: null, graceMonths: 0, arrears: 'keep_due' },
      annualRate: 0.08,
      firstDueDate: '2026-07-05',
      lastDueDate: '2027-07-05',
      observationUntil: '2027-07-05',
    });
    // The unpaid instalments it replaced end on the last due date first planned; the new schedule ends 6 months later.
    const replaced = restructured!.replaced as { seq: number; dueDate: string }[];
    expect(replaced.map((i) => i.dueDate)).toEqual(['2026-07-05', '2026-08-05', '2026-09-05', '2026-10-05', '2026-11-05', '2026-12-05', '2027-01-05']);
    expect(restructured!.lastDueDate).toBe(addLocalMonths(replaced.at(-1)!.dueDate, 6));
    expect(s.of('CALLBACK_COMPLETED').filter((e) => e.purpose === 'RESTRUCTURE_REVIEW')).toMatchObject([{ outcome: 'RESTRUCTURED', at: restructured!.at }]);
  });

  it('tells the borrower the new schedule by SMS and email', () => {
    const notices = s.outbox.filter((m) => m.purpose === 'RESTRUCTURE_NOTICE');
    expect(notices.map((m) => m.channel).sort()).toEqual(['EMAIL', 'SMS']);
  });

  it('is paid on the new schedule: each new instalment on its due date, for its new amount', () => {
    const restructured = s.of('RESTRUCTURED')[0]!;
    const payments = s.of('PAYMENT_RECEIVED');
    expect(payments).toHaveLength(18);
    const before = payments.filter((p) => p.at < restructured.at);
    const after = payments.filter((p) => p.at > restructured.at);
    expect(before.map((p) => [local(p.at), p.amount])).toEqual(['02', '03', '04', '05', '06'].map((m) => [`2026-${m}-05`, 313158]));
    expect(after).toHaveLength(13);
    expect(after.map((p) => local(p.at))).toEqual(Array.from({ length: 13 }, (_, i) => addLocalMonths('2026-07-05', i)));
    expect(after.slice(0, -1).every((p) => p.amount === restructured.regularAmount)).toBe(true);
  });

  it('closes REPAID on the original last due date plus 6 months, never reaching collections or a legal referral', () => {
    expect(s.of('LOAN_CLOSED')).toMatchObject([{ reason: 'REPAID' }]);
    expect(local(s.of('LOAN_CLOSED')[0]!.at)).toBe(addLocalMonths('2027-01-05', 6));
    expect(s.of('LEGAL_REFERRAL')).toEqual([]);
    expect(s.of('COLLECTION_STARTED')).toEqual([]);
    expect(
      s.outbox
        .filter((m) => m.purpose === 'CLOSING')
        .map((m) => m.channel)
        .sort(),
    ).toEqual(['EMAIL', 'SMS']);
  });

  it('stays SPECIAL_MENTION (关注) through the observation period, though it pays on time', () => {
    const changes = s.of('CLASSIFICATION_CHANGED');
    const restructured = s.of('RESTRUCTURED')[0]!;
    expect(changes.filter((e) => e.at <= restructured.at).map((e) => e.to)).toEqual(['SPECIAL_MENTION']);
    expect(changes.filter((e) => e.at > restructured.at && local(e.at) < String(restructured.observationUntil))).toEqual([]);
  });
});
