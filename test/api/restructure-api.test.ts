// Restructuring and early recall through the operations API, on the local server with DynamoDB Local: a risk
// officer previews a plan on a loan in hardship (nothing written), agrees it (the loan's next step replaces the
// schedule), and a recall sets the date the balance falls due within the policy's bounds. Every refusal names
// its field and writes nothing.
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loanViewResponseSchema, restructureAcceptedSchema, restructurePreviewSchema, taskQueueResponseSchema } from '../../functions/http/http-schemas.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { expectProblem, startOperationsHarness, writtenFor, type OperationsHarness } from '../support/operations-harness.js';
import { loanRequest } from '../support/loans.js';

let dynamo: DynamoDbLocal;
let api: OperationsHarness;

// 11:00 in Shanghai on the day the loans are paid out: 12 monthly instalments from 2026-02-05 to 2027-01-05
// (consumer policy: at most 24 months' extension, a rate of at least 0.02, recall 7 to 30 days ahead).
const START = '2026-01-05T03:00:00Z';
const LOANS = ['RS-1', 'RS-BAD', 'RS-LEGAL', 'RS-RECALL'];

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  api = await startOperationsHarness({ start: START, endpoint: dynamo.endpoint });
  for (const loanId of LOANS) {
    const { by: _by, ...body } = loanRequest({ loanId });
    expect((await api.call('POST', '/api/loans', { as: 'admin', body })).status).toBe(201);
  }
  await api.app.runtime.whenIdle();
  const report = (loanId: string, findings: string[]) =>
    api.call('POST', `/api/loans/${loanId}/events`, { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings } });
  for (const loanId of ['RS-1', 'RS-BAD']) expect((await report(loanId, ['hardship'])).status).toBe(202);
  expect((await report('RS-LEGAL', ['evasion'])).status).toBe(202);
  expect((await report('RS-RECALL', ['lost_ability'])).status).toBe(202);
  await api.app.runtime.whenIdle();
});

afterAll(async () => {
  await api?.stop();
  await dynamo?.stop();
});

const written = (loanId: string) => writtenFor(api.app.store, loanId);

async function refused(loanId: string, send: () => ReturnType<OperationsHarness['call']>, status: number, fields: string[] = []) {
  const before = await written(loanId);
  const answer = await send();
  expectProblem(answer, status, fields);
  await api.app.runtime.whenIdle();
  expect(await written(loanId)).toEqual(before);
  return answer;
}

const view = async (loanId: string) => loanViewResponseSchema.parse((await api.call('GET', `/api/loans/${loanId}`, { as: 'risk' })).body);
const preview = (loanId: string, body: unknown, as = 'risk') => api.call('POST', `/api/loans/${loanId}/restructure/preview`, { as, body });
const restructure = (loanId: string, body: unknown, as = 'risk', username?: string) =>
  api.call('POST', `/api/loans/${loanId}/restructure`, { as, body, username });

describe('POST /api/loans/{id}/restructure/preview and /restructure', () => {
  const plan = { extendMonths: 6, annualRate: null, graceMonths: 0, arrears: 'keep_due', requestId: 'rs1-extend-six-months' };

  it('previews a 6-month extension on a loan in hardship: the new schedule, nothing written', async () => {
    const loan = await view('RS-1');
    const review = loan.tasks.find((t) => t.purpose === 'RESTRUCTURE_REVIEW' && t.status === 'OPEN');
    expect(review, JSON.stringify(loan.tasks)).toMatchObject({ queue: 'review' });
    expect(loan.schedule).toHaveLength(12);
    expect(loan.restructuring).toMatchObject({
      version: 1,
      count: 0,
      annualRate: 0.08,
      maxExtendMonths: 24,
      minAnnualRate: 0.02,
      maxGraceMonths: 6,
      maxRestructures: 2,
    });

    const before = await written('RS-1');
    const answer = await preview('RS-1', plan);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const shown = restructurePreviewSchema.parse(answer.body);
    expect(shown).toMatchObject({
      loanId: 'RS-1',
      fromVersion: 1,
      scheduleVersion: 2,
      instalments: 18,
      annualRate: 0.08,
      principal: 36000,
      firstDueDate: '2026-02-05',
      lastDueDate: '2027-07-05',
    });
    expect(shown.schedule).toHaveLength(18);
    expect(shown.replaced).toHaveLength(12);
    // 36,000 over 18 months at 8%: about 2,131 a month, less than the 3,131.6 of 12 months.
    expect(shown.regularAmount).toBeGreaterThan(2100);
    expect(shown.regularAmount).toBeLessThan(loan.schedule[0]!.amount);
    expect(shown.schedule.every((i) => i.new && !i.paid)).toBe(true);
    const repaid = shown.schedule.reduce((sum, i) => sum + i.principal, 0);
    expect(Math.round(repaid * 100)).toBe(3_600_000);
    await api.app.runtime.whenIdle();
    expect(await written('RS-1')).toEqual(before);
    expect((await view('RS-1')).schedule.at(-1)!.dueDate).toBe('2027-01-05');
  });

  it('agrees it: the loan page shows the new schedule, RESTRUCTURED {fromVersion 1, toVersion 2}, the review done and the borrower told; the same request again restructures once', async () => {
    const answer = await restructure('RS-1', plan, 'risk', 'wang.fang');
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(restructureAcceptedSchema.parse(answer.body)).toMatchObject({
      loanId: 'RS-1',
      eventId: 'RESTRUCTURE-rs1-extend-six-months',
      delivery: 'WOKEN',
      lastDueDate: '2027-07-05',
      fromVersion: 1,
    });
    await api.app.runtime.whenIdle();

    const loan = await view('RS-1');
    expect(loan.schedule).toHaveLength(18);
    expect(loan.schedule[0]).toMatchObject({ dueDate: '2026-02-05', amount: answer.body.regularAmount, status: 'DUE' });
    expect(loan.schedule.at(-1)!.dueDate).toBe('2027-07-05');
    expect(loan.restructuring).toMatchObject({ version: 2, count: 1 });
    const restructured = loan.timeline.filter((e) => e.type === 'RESTRUCTURED');
    expect(restructured).toHaveLength(1);
    expect(restructured[0]).toMatchObject({
      fromVersion: 1,
      toVersion: 2,
      plan: { extendMonths: 6, annualRate: null, graceMonths: 0, arrears: 'keep_due' },
      firstDueDate: '2026-02-05',
      lastDueDate: '2027-07-05',
    });
    expect((restructured[0]!.replaced as unknown[]).length).toBe(12);
    expect(loan.tasks.filter((t) => t.purpose === 'RESTRUCTURE_REVIEW').map((t) => t.status)).toEqual(['DONE']);
    expect(
      taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks?queue=review', { as: 'risk' })).body).tasks.filter((t) => t.loanId === 'RS-1'),
    ).toEqual([]);
    const notices = api.outbox.filter((m) => m.loanId === 'RS-1' && m.purpose === 'RESTRUCTURE_NOTICE');
    expect(notices.map((m) => m.channel).sort()).toEqual(['EMAIL', 'SMS']);
    // The new instalment in both (one SMS segment); the email names the first and the last due day.
    const amount = (answer.body.regularAmount as number).toLocaleString('en-US', { minimumFractionDigits: 2 });
    for (const notice of notices) expect(notice.body).toContain(amount);
    expect(notices.find((m) => m.channel === 'EMAIL')!.body).toContain('首期于2月5日到期，末期于2027年7月5日到期');

    // Sent again (a lost answer): accepted, and the loan is restructured once.
    const again = await restructure('RS-1', plan, 'risk', 'wang.fang');
    expect(again.status, JSON.stringify(again.body)).toBe(202);
    expect(again.body.eventId).toBe('RESTRUCTURE-rs1-extend-six-months');
    // Answered as the first was: the same versions and schedule, not a preview of a further restructure.
    expect(restructureAcceptedSchema.extend({ replayed: z.literal(true) }).parse(again.body)).toMatchObject({
      fromVersion: 1,
      scheduleVersion: 2,
      lastDueDate: '2027-07-05',
      regularAmount: answer.body.regularAmount,
      replayed: true,
    });
    await api.app.runtime.whenIdle();
    const after = await view('RS-1');
    expect(after.timeline.filter((e) => e.type === 'RESTRUCTURED')).toHaveLength(1);
    expect(after.timeline.filter((e) => e.type === 'RESTRUCTURE_REFUSED')).toHaveLength(0);
    expect(after.schedule).toHaveLength(18);
    expect(after.restructuring).toMatchObject({ version: 2, count: 1 });
    expect(api.outbox.filter((m) => m.loanId === 'RS-1' && m.purpose === 'RESTRUCTURE_NOTICE')).toHaveLength(2);
  });

  it('refuses a plan past the policy’s bounds (400 naming the field) and a plan that changes nothing (409 on plan), writing nothing', async () => {
    for (const send of [preview, restructure]) {
      const long = await refused('RS-BAD', () => send('RS-BAD', { extendMonths: 25 }), 400, ['extendMonths']);
      expect(long.body.errors[0].reason).toMatch(/at most 24/);
      const cheap = await refused('RS-BAD', () => send('RS-BAD', { annualRate: 0.01 }), 400, ['annualRate']);
      expect(cheap.body.errors[0].reason).toMatch(/at least 0.02/);
      await refused('RS-BAD', () => send('RS-BAD', { annualRate: 0.09 }), 400, ['annualRate']);
      await refused('RS-BAD', () => send('RS-BAD', { graceMonths: 7 }), 400, ['graceMonths']);
      await refused('RS-BAD', () => send('RS-BAD', { extendMonths: 1.5 }), 400, ['extendMonths']);
      await refused('RS-BAD', () => send('RS-BAD', { extendMonths: '6' }), 400, ['extendMonths']);
      await refused('RS-BAD', () => send('RS-BAD', { extendMonths: 6, arrears: 'forgive' }), 400, ['arrears']);
      await refused('RS-BAD', () => send('RS-BAD', { extendMonths: 6, requestId: '<x>' }), 400, ['requestId']);
      await refused('RS-BAD', () => send('RS-BAD', { extendMonths: 6, waiveFees: true }), 400, ['waiveFees']);
      const nothing = await refused('RS-BAD', () => send('RS-BAD', { extendMonths: 0, annualRate: 0.08 }), 409, ['plan']);
      expect(nothing.body.errors[0].reason).toMatch(/changes nothing/);
      await refused('RS-BAD', () => send('RS-BAD', {}), 409, ['plan']);
    }
  });

  it('refuses a loan with the legal team (409), an unknown loan (404), the wrong group (403), writing nothing', async () => {
    expect((await view('RS-LEGAL')).status).toBe('LEGAL');
    for (const send of [preview, restructure]) {
      const legal = await refused('RS-LEGAL', () => send('RS-LEGAL', { extendMonths: 6 }), 409, ['loanId']);
      expect(legal.body.errors[0].reason).toMatch(/legal team/);
      await refused('RS-BAD', () => send('RS-NOPE', { extendMonths: 6 }), 404, ['loanId']);
      for (const group of ['agent', 'senior', 'legal']) await refused('RS-BAD', () => send('RS-BAD', { extendMonths: 6 }, group), 403);
      await refused('RS-BAD', () => send('RS-BAD', { extendMonths: 6 }, 'not.a.token'), 401, ['Authorization']);
    }
  });
});

describe('a recall on the date risk sets', () => {
  it('shows the policy’s bounds for the date and refuses one outside them, or with another decision (400 on recallDueDate); a date within them is the day the balance falls due', async () => {
    const loan = await view('RS-RECALL');
    // Today in Shanghai is 2026-01-05: a recall falls due 7 to 30 days ahead.
    expect(loan).toMatchObject({ recallEarliestDate: '2026-01-12', recallLatestDate: '2026-02-04' });
    const review = loan.tasks.find((t) => t.purpose === 'RECALL_REVIEW' && t.status === 'OPEN')!;
    const queued = taskQueueResponseSchema
      .parse((await api.call('GET', '/api/tasks?queue=review', { as: 'risk' })).body)
      .tasks.find((t) => t.taskId === review.taskId);
    expect(queued).toMatchObject({ recallEarliestDate: '2026-01-12', recallLatestDate: '2026-02-04' });
    const path = `/api/tasks/${review.taskId}/outcome`;
    const decide = (body: unknown) => () => api.call('POST', path, { as: 'risk', username: 'wang.fang', body: { outcome: 'REACHED', ...(body as object) } });
    const early = await refused('RS-RECALL', decide({ decision: 'recall', recallDueDate: '2026-01-11' }), 400, ['recallDueDate']);
    expect(early.body.errors[0].reason).toMatch(/between 2026-01-12 and 2026-02-04/);
    await refused('RS-RECALL', decide({ decision: 'recall', recallDueDate: '2026-02-05' }), 400, ['recallDueDate']);
    await refused('RS-RECALL', decide({ decision: 'recall', recallDueDate: '2026-02-30' }), 400, ['recallDueDate']);
    await refused('RS-RECALL', decide({ decision: 'continue', recallDueDate: '2026-01-20' }), 400, ['recallDueDate']);

    const answer = await decide({ decision: 'recall', recallDueDate: '2026-01-20' })();
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await api.app.runtime.whenIdle();
    const recalled = await view('RS-RECALL');
    expect(recalled.timeline).toContainEqual(expect.objectContaining({ type: 'REVIEW_DECIDED', outcome: 'recall', recallDueDate: '2026-01-20' }));
    expect(recalled.timeline).toContainEqual(expect.objectContaining({ type: 'LOAN_RECALLED', dueDate: '2026-01-20' }));
    expect(recalled.schedule.every((i) => i.dueDate === '2026-01-20')).toBe(true);
    expect(api.outbox.filter((m) => m.loanId === 'RS-RECALL' && m.purpose === 'RECALL_NOTICE').length).toBeGreaterThan(0);
  });
});
