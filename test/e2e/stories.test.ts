// End to end: the synthesized definition on the local engine, the real handlers, DynamoDB Local.
import { beforeAll, describe, expect, it } from 'vitest';
import { storiesOnDynamoDbLocal, type StoryResult } from '../support/story-harness.js';
import { loanRequest } from '../support/loans.js';

const story = storiesOnDynamoDbLocal();

const sms = (s: StoryResult, purpose: string) => s.outbox.filter((m) => m.channel === 'SMS' && m.purpose === purpose);
const email = (s: StoryResult, purpose: string) => s.outbox.filter((m) => m.channel === 'EMAIL' && m.purpose === purpose);

describe('a loan paid on time for 5 years', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'ONTIME-5Y', termMonths: 60, principal: 120000 }), { payments: '' }, 62);
  });

  it('closes after the 60th payment with a closing SMS and email', () => {
    expect(s.of('PAYMENT_RECEIVED')).toHaveLength(60);
    expect(s.of('LOAN_CLOSED')).toHaveLength(1);
    expect(sms(s, 'CLOSING')).toHaveLength(1);
    expect(email(s, 'CLOSING')).toHaveLength(1);
  });

  it('hands over to a fresh execution before each year is out, and every execution ends well', () => {
    const executions = [...s.app.runtime.executions.values()];
    expect(executions.length).toBeGreaterThanOrEqual(5);
    expect(executions.every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(s.of('EXECUTION_CONTINUED')).toHaveLength(executions.length - 1);
    for (const e of executions) expect(e.transitions).toBeLessThan(25_000 / 5);
  });

  it('reminds before every due date, never sends an overdue notice, never warns', () => {
    expect(sms(s, 'REMINDER').length).toBeGreaterThanOrEqual(60);
    expect(email(s, 'REMINDER')).toHaveLength(60);
    expect(sms(s, 'OVERDUE_NOTICE')).toHaveLength(0);
    expect(s.of('WARNING_RAISED')).toHaveLength(0);
    expect(s.of('CLASSIFICATION_CHANGED')).toHaveLength(0);
  });

  it('welcomed the borrower and made the first-contact, day-30 and day-60 calls, then monthly callbacks', () => {
    expect(sms(s, 'WELCOME')).toHaveLength(1);
    const created = s.of('CALLBACK_CREATED').map((e) => e.purpose);
    for (const purpose of ['FIRST_CONTACT', 'DAY30_CHECK', 'DAY60_CHECK']) expect(created.filter((p) => p === purpose)).toHaveLength(1);
    expect(created.filter((p) => p === 'PERIODIC').length).toBeGreaterThanOrEqual(50);
  });

  it('keeps personal data out of every execution input and output', () => {
    for (const e of s.app.runtime.executions.values()) {
      const json = JSON.stringify([e.input, e.output]);
      expect(json).not.toContain('+8613812345678');
      expect(json).not.toContain('borrower@example.com');
    }
  });
});

describe('a car loan whose first contact is never completed', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'CAR-NOCONTACT', product: 'car', termMonths: 36 }), { answerRate: 0 }, 2);
  });

  it('marks the first contact overdue after 7 days and tells the supervisors', () => {
    const overdue = s.of('CALLBACK_OVERDUE').filter((e) => e.purpose === 'FIRST_CONTACT');
    expect(overdue.length).toBeGreaterThanOrEqual(1);
    const firstDeadline = Date.parse(overdue[0]!.at);
    expect(firstDeadline - Date.parse('2026-01-05T02:00:00Z')).toBe(7 * 86_400_000);
    const supervisors = s.outbox.filter((m) => m.channel === 'TEAM' && m.to === 'topic:supervisors' && m.body.includes('FIRST_CONTACT'));
    expect(supervisors.length).toBeGreaterThanOrEqual(1);
  });

  it('re-queues the task at higher priority, then closes it after the last re-queue', async () => {
    const task = (await s.app.store.listTasks(s.loanId)).find((t) => t.purpose === 'FIRST_CONTACT')!;
    expect(task.requeues).toBe(3);
    expect(task.priority).toBeGreaterThan(s.of('CALLBACK_CREATED').find((e) => e.purpose === 'FIRST_CONTACT')!.priority as number);
    expect(task.status).toBe('CANCELLED');
    expect(s.of('CALLBACK_ATTEMPTED').filter((e) => e.purpose === 'FIRST_CONTACT').length).toBeGreaterThan(5);
    expect(s.of('CALLBACK_COMPLETED')).toHaveLength(0);
  });

  it('raises a PRIMARY warning after the last re-queue (possible false contact details or fraud) and tells the supervisors', () => {
    const cancelled = s.of('CALLBACK_CANCELLED').find((e) => e.purpose === 'FIRST_CONTACT')!;
    expect(s.of('WARNING_RAISED')).toEqual([expect.objectContaining({ level: 'PRIMARY', reason: 'first_contact_unreached', at: cancelled.at })]);
    expect(s.of('TEAM_NOTIFIED')).toContainEqual(expect.objectContaining({ team: 'supervisors', reason: 'FIRST_CONTACT_UNREACHED' }));
    expect(s.outbox.filter((m) => m.channel === 'TEAM' && m.to === 'topic:supervisors' && m.body.includes('never reached'))).toHaveLength(1);
  });
});

describe('two consecutive late instalments', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'LATE-TWICE' }), { payments: 'P L5 L10' }, 5);
  });

  it('sends an overdue notice for each late instalment and raises a PRIMARY warning', () => {
    expect(sms(s, 'OVERDUE_NOTICE').length).toBeGreaterThanOrEqual(2);
    const warnings = s.of('WARNING_RAISED');
    expect(warnings.map((w) => w.level)).toEqual(['PRIMARY']);
    expect(Date.parse(warnings[0]!.at)).toBeGreaterThan(Date.parse('2026-04-05T00:00:00+08:00'));
  });

  it('moves the classification to 关注 while overdue and back to 正常 when paid', () => {
    const changes = s.of('CLASSIFICATION_CHANGED').map((e) => `${e.from}->${e.to}`);
    expect(changes).toContain('NORMAL->SPECIAL_MENTION');
    expect(changes).toContain('SPECIAL_MENTION->NORMAL');
  });

  it('creates a collection callback at DPD 3 for the ten-day-late instalment; the promise made on it pauses the DPD 7 call', () => {
    const collection = s.of('CALLBACK_CREATED').filter((e) => e.purpose === 'COLLECTION');
    expect(collection.map((e) => e.taskId)).toContain('LATE-TWICE.COLLECTION.3.E2D3');
    expect(collection.map((e) => e.taskId)).not.toContain('LATE-TWICE.COLLECTION.3.E2D7');
    expect(
      s
        .of('CONTACT_SUPPRESSED')
        .filter((e) => e.reason === 'PROMISE_OPEN')
        .map((e) => e.dpd),
    ).toEqual([7, 7]);
    expect(s.of('PROMISE_KEPT')).toHaveLength(2);
  });
});

describe('hardship reported in month 8', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'HARDSHIP-M8', product: 'car', termMonths: 36 }), { reports: '8:income_decline' }, 12);
  });

  it('raises INTERMEDIATE and opens a restructure review and, for a car loan, a collateral review', () => {
    const warning = s.of('WARNING_RAISED').find((w) => w.level === 'INTERMEDIATE')!;
    expect(warning).toBeDefined();
    const month = (Date.parse(warning.at) - Date.parse('2026-01-05T02:00:00Z')) / (30.4 * 86_400_000);
    expect(month).toBeGreaterThan(7);
    expect(month).toBeLessThan(9);
    const purposes = s.of('CALLBACK_CREATED').map((e) => e.purpose);
    expect(purposes).toContain('RESTRUCTURE_REVIEW');
    expect(purposes).toContain('COLLATERAL_REVIEW');
  });

  it('calls every two weeks for the three months after the report', () => {
    const reportedAt = Date.parse(s.of('ANOMALY_REPORTED')[0]!.at);
    const periodic = s
      .of('CALLBACK_CREATED')
      .filter((e) => e.purpose === 'PERIODIC' && Date.parse(e.at) > reportedAt && Date.parse(e.at) <= reportedAt + 91 * 86_400_000);
    expect(periodic.length).toBeGreaterThanOrEqual(6);
  });
});

describe('DPD 90 ends in a legal referral', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'DPD90', termMonths: 24 }), { payments: 'P P M M M M M M M M M M M M M M M M M M M M M M' }, 8);
  });

  it('raises ADVANCED and notifies the legal team with the case id', () => {
    const referral = s.of('LEGAL_REFERRAL')[0]!;
    expect(referral.caseId).toBe('CASE-DPD90');
    expect(referral.dpd).toBe(90);
    expect(s.of('WARNING_RAISED').map((w) => w.level)).toContain('ADVANCED');
    const legal = s.outbox.filter((m) => m.channel === 'TEAM' && m.to === 'topic:legal');
    expect(legal).toHaveLength(1);
    expect(legal[0]!.body).toContain('CASE-DPD90');
  });

  it('stores the case package', async () => {
    const pkg = await s.app.store.getLegalCase('DPD90');
    expect(pkg?.caseId).toBe('CASE-DPD90');
    expect(pkg?.instalments).toHaveLength(24);
    expect(pkg?.timeline.some((e) => e.type === 'PAYMENT_RECEIVED')).toBe(true);
  });

  it('stops automated contact with the borrower', () => {
    const referredAt = s.of('LEGAL_REFERRAL')[0]!.at;
    const after = s.outbox.filter((m) => m.at > referredAt && m.channel !== 'TEAM');
    expect(after).toHaveLength(0);
    expect(s.of('CONTACT_SUPPRESSED').some((e) => e.reason === 'LEGAL_REFERRAL')).toBe(true);
  });

  it('classifies the loan 次级 once more than 90 days past due', () => {
    expect(s.of('CLASSIFICATION_CHANGED').map((e) => e.to)).toEqual(['SPECIAL_MENTION', 'SUBSTANDARD']);
  });
});

describe('an early payoff', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'PAYOFF', termMonths: 24 }), { payments: 'P P P X' }, 8);
  });

  it('closes the loan at the payoff with a closing message and ends the execution', () => {
    const closed = s.of('LOAN_CLOSED')[0]!;
    expect(closed.at.slice(0, 10)).toBe('2026-05-05');
    expect(sms(s, 'CLOSING')).toHaveLength(1);
    expect([...s.app.runtime.executions.values()].map((e) => e.status)).toEqual(['SUCCEEDED']);
    expect(s.outbox.filter((m) => m.at > closed.at && m.channel !== 'TEAM')).toHaveLength(0);
  });
});
