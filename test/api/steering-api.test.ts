// Steering a loan through the operations API, on the local server with DynamoDB Local: tasks added by hand
// (created at the loan's next step, answered like any other), a risk re-rating that changes the callback
// interval, the work queue's order, and bad input refused by field with nothing written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loanTaskAcceptedSchema, loanViewResponseSchema, riskRatingAcceptedSchema, taskQueueResponseSchema } from '../../functions/http/http-schemas.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { advanceTo, expectProblem, onboarded, startOperationsHarness, writtenFor, type OperationsHarness } from '../support/operations-harness.js';
import { spreadTimesOf } from '../support/fixed-time-policies.js';

let dynamo: DynamoDbLocal;
let api: OperationsHarness;

// 11:00 in Shanghai on the day the loans are paid out (2026-01-05); instalments fall due on the 5th. Each test
// onboards the loans it uses; the tests that read the clock on this day come before the two that move it ('GET
// /api/tasks order', then the re-rating), and each of those moves it to the day it needs.
const START = '2026-01-05T03:00:00Z';
const shanghai = (local: string) => new Date(`${local}+08:00`).toISOString();

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  api = await startOperationsHarness({ start: START, endpoint: dynamo.endpoint });
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

/** The loan's first contact answered: reached, the funds received. */
async function reached(loanId: string): Promise<void> {
  expect(
    (await api.call('POST', `/api/tasks/${loanId}.FIRST_CONTACT/outcome`, { as: 'agent', body: { outcome: 'REACHED', findings: ['funds_received'] } })).status,
  ).toBe(200);
  await api.app.runtime.whenIdle();
}

/** A loan of the test's own, paid off at once: closed. */
async function paidOff(loanId: string): Promise<void> {
  await onboarded(api, { loanId });
  expect((await api.call('POST', `/api/loans/${loanId}/events`, { as: 'risk', body: { type: 'PAYOFF' } })).status).toBe(202);
  await api.app.runtime.whenIdle();
}

const view = async (loanId: string) => loanViewResponseSchema.parse((await api.call('GET', `/api/loans/${loanId}`, { as: 'risk' })).body);
const addTask = (loanId: string, body: unknown, as = 'agent', username?: string) => api.call('POST', `/api/loans/${loanId}/tasks`, { as, body, username });
const rerate = (loanId: string, body: unknown, as = 'risk', username?: string) => api.call('POST', `/api/loans/${loanId}/risk-rating`, { as, body, username });
const periodicDays = async (loanId: string) =>
  (await view(loanId)).timeline
    .filter((e) => e.type === 'CALLBACK_CREATED' && e.purpose === 'PERIODIC' && !e.adHoc)
    .map((e) => new Date(Date.parse(e.at) + 8 * 3_600_000).toISOString().slice(0, 10));

describe('POST /api/loans/{id}/tasks', () => {
  it('adds a callback by hand: created at the loan’s next step (adHoc, by, note), in the queue, answered like any other', async () => {
    await onboarded(api, { loanId: 'ST-ADHOC' });
    await reached('ST-ADHOC');
    const answer = await addTask('ST-ADHOC', { purpose: 'PERIODIC', dueBy: '2026-01-09', note: 'Ask whether the new shop opened.' }, 'agent', 'li.na');
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const accepted = loanTaskAcceptedSchema.parse(answer.body);
    // A date is due by the end of that day in Shanghai.
    expect(accepted).toMatchObject({ loanId: 'ST-ADHOC', purpose: 'PERIODIC', dueBy: shanghai('2026-01-10T00:00:00'), delivery: 'WOKEN' });
    await api.app.runtime.whenIdle();

    const loan = await view('ST-ADHOC');
    expect(loan.timeline).toContainEqual(
      expect.objectContaining({ type: 'CALLBACK_CREATED', taskId: accepted.taskId, purpose: 'PERIODIC', queue: 'callback', adHoc: true, by: 'li.na' }),
    );
    expect(loan.tasks.find((t) => t.taskId === accepted.taskId)).toMatchObject({
      status: 'OPEN',
      adHoc: true,
      requestedBy: 'li.na',
      note: 'Ask whether the new shop opened.',
    });
    const queue = taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks?queue=callback', { as: 'agent' })).body);
    expect(queue.tasks.find((t) => t.taskId === accepted.taskId)).toMatchObject({
      loanId: 'ST-ADHOC',
      adHoc: true,
      note: 'Ask whether the new shop opened.',
      contactNow: expect.anything(),
    });

    const outcome = await api.call('POST', `/api/tasks/${accepted.taskId}/outcome`, {
      as: 'agent',
      body: { outcome: 'REACHED', findings: ['repayment_normal'] },
    });
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
    await api.app.runtime.whenIdle();
    const after = await view('ST-ADHOC');
    expect(after.timeline).toContainEqual(expect.objectContaining({ type: 'CALLBACK_COMPLETED', taskId: accepted.taskId, outcome: 'REACHED' }));
    expect(after.tasks.find((t) => t.taskId === accepted.taskId)).toMatchObject({ status: 'DONE' });
  });

  it('lets risk add a review (to the review queue); the same requestId again makes one task', async () => {
    await onboarded(api, { loanId: 'ST-REVIEW' });
    await reached('ST-REVIEW');
    const body = { purpose: 'RESTRUCTURE_REVIEW', dueBy: '2026-01-12T18:00:00+08:00', requestId: 'review-req-0001' };
    expect((await addTask('ST-REVIEW', body, 'risk')).status).toBe(202);
    expect((await addTask('ST-REVIEW', body, 'risk')).status).toBe(202);
    await api.app.runtime.whenIdle();
    const reviews = (await view('ST-REVIEW')).tasks.filter((t) => t.purpose === 'RESTRUCTURE_REVIEW');
    expect(reviews).toEqual([expect.objectContaining({ queue: 'review', adHoc: true, requestedBy: 'risk-user', note: null })]);
  });

  it('refuses bad input by field, writing nothing: unknown purpose, a due date in the past or too far, markup or too long a note, an unknown field', async () => {
    await onboarded(api, { loanId: 'ST-BAD' });
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'COFFEE', dueBy: '2026-01-09' }), 400, ['purpose']);
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'COLLECTION', dueBy: '2026-01-09' }), 400, ['purpose']);
    await refused('ST-BAD', () => addTask('ST-BAD', { dueBy: '2026-01-09' }), 400, ['purpose']);
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'PERIODIC', dueBy: '2026-01-04' }), 400, ['dueBy']);
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'PERIODIC', dueBy: '2026-01-05T10:59:00+08:00' }), 400, ['dueBy']);
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'PERIODIC', dueBy: '2026-06-30' }), 400, ['dueBy']);
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'PERIODIC', dueBy: 'next week' }), 400, ['dueBy']);
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'PERIODIC', dueBy: '2026-01-09', note: 'call <script>alert(1)</script>' }), 400, ['note']);
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'PERIODIC', dueBy: '2026-01-09', note: 'x'.repeat(501) }), 400, ['note']);
    await refused('ST-BAD', () => addTask('ST-BAD', { purpose: 'PERIODIC', dueBy: '2026-01-09', priority: 999 }), 400, ['priority']);
  });

  it('refuses a review from an agent and the wrong group (403), an unknown loan (404), a closed loan (409), writing nothing', async () => {
    await onboarded(api, { loanId: 'ST-BAD-TASK' });
    await paidOff('ST-CLOSED');
    for (const purpose of ['RESTRUCTURE_REVIEW', 'COLLATERAL_REVIEW', 'RECALL_REVIEW']) {
      await refused('ST-BAD-TASK', () => addTask('ST-BAD-TASK', { purpose, dueBy: '2026-01-09' }, 'agent'), 403);
      await refused('ST-BAD-TASK', () => addTask('ST-BAD-TASK', { purpose, dueBy: '2026-01-09' }, 'senior'), 403);
    }
    await refused('ST-BAD-TASK', () => addTask('ST-BAD-TASK', { purpose: 'PERIODIC', dueBy: '2026-01-09' }, 'legal'), 403);
    const unknown = await refused('ST-BAD-TASK', () => addTask('ST-NOPE', { purpose: 'PERIODIC', dueBy: '2026-01-09' }), 404, ['loanId']);
    expect(unknown.body.type).toBe('/problems/loan-not-found');
    expect(await api.app.store.listInbox('ST-NOPE')).toEqual([]);
    const closed = await refused('ST-CLOSED', () => addTask('ST-CLOSED', { purpose: 'PERIODIC', dueBy: '2026-01-09' }), 409, ['loanId']);
    expect(closed.body.type).toBe('/problems/loan-closed');
  });
});

describe('POST /api/loans/{id}/risk-rating: bad input', () => {
  // Its own loans, only read: ST-BAD-RATING active and rated medium, ST-CLOSED-RATING closed.
  beforeAll(async () => {
    await onboarded(api, { loanId: 'ST-BAD-RATING' });
    await paidOff('ST-CLOSED-RATING');
  });

  it('refuses a change without a reason or with free text, an unknown rating, the rating the loan has, writing nothing', async () => {
    await refused('ST-BAD-RATING', () => rerate('ST-BAD-RATING', { riskRating: 'high' }), 400, ['reason']);
    await refused('ST-BAD-RATING', () => rerate('ST-BAD-RATING', { riskRating: 'high', reason: 'looked shaky on the phone' }), 400, ['reason']);
    await refused('ST-BAD-RATING', () => rerate('ST-BAD-RATING', { riskRating: 'extreme', reason: 'CORRECTION' }), 400, ['riskRating']);
    await refused('ST-BAD-RATING', () => rerate('ST-BAD-RATING', { riskRating: 'medium', reason: 'CORRECTION' }), 409, ['riskRating']);
  });

  it('refuses the wrong group (403), an unknown loan (404), a closed loan (409), writing nothing', async () => {
    for (const group of ['agent', 'senior', 'legal'])
      await refused('ST-BAD-RATING', () => rerate('ST-BAD-RATING', { riskRating: 'high', reason: 'CORRECTION' }, group), 403);
    await refused('ST-BAD-RATING', () => rerate('ST-NOPE', { riskRating: 'high', reason: 'CORRECTION' }), 404, ['loanId']);
    await refused('ST-CLOSED-RATING', () => rerate('ST-CLOSED-RATING', { riskRating: 'high', reason: 'CORRECTION' }), 409, ['loanId']);
  });
});

describe('GET /api/tasks order', () => {
  it('puts a re-queued task (higher priority, due a week on) above a new one due sooner', async () => {
    // Two loans paid out on 2026-01-05. 2026-01-13: both first contacts went unanswered on the 12th and were
    // re-queued, due on the 19th.
    await onboarded(api, { loanId: 'ST-Q1' });
    await onboarded(api, { loanId: 'ST-Q2' });
    await advanceTo(api, '2026-01-13T03:00:00Z');
    expect((await addTask('ST-Q2', { purpose: 'PERIODIC', dueBy: '2026-01-15' })).status).toBe(202);
    await api.app.runtime.whenIdle();
    const { tasks } = taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks?queue=callback', { as: 'agent' })).body);
    const requeued = tasks.findIndex((t) => t.taskId === 'ST-Q1.FIRST_CONTACT');
    const fresh = tasks.findIndex((t) => t.loanId === 'ST-Q2' && t.adHoc);
    expect(tasks[requeued]).toMatchObject({ requeues: 1, warningLevel: 'NONE', dpd: 0 });
    expect(tasks[fresh]).toMatchObject({ requeues: 0, warningLevel: 'NONE', dpd: 0 });
    expect(tasks[requeued]!.priority).toBeGreaterThan(tasks[fresh]!.priority);
    expect(tasks[requeued]!.dueBy > tasks[fresh]!.dueBy).toBe(true);
    expect(requeued).toBeGreaterThanOrEqual(0);
    expect(requeued).toBeLessThan(fresh);
    // Within the same priority the one due first comes first.
    const same = tasks.filter((t) => t.warningLevel === 'NONE' && t.dpd === 0 && t.priority === tasks[requeued]!.priority);
    expect(same.map((t) => t.dueBy)).toEqual([...same.map((t) => t.dueBy)].sort());
  });
});

describe('a risk re-rating from low to high', () => {
  it('changes the callback interval from the next step: monthly instead of quarterly', async () => {
    // Two low-risk loans paid out on 2026-01-05 (onboarded whenever the test runs, as long as that is before their
    // first quarterly callback) pay six instalments ahead and are reached for their first contact: nothing but the
    // periodic callbacks moves them for the months the test runs.
    for (const loanId of ['ST-RATE', 'ST-LOW']) {
      await onboarded(api, { loanId, riskRating: 'low', termMonths: 24 });
      expect((await api.call('POST', `/api/loans/${loanId}/payments`, { as: 'risk', body: { amount: 10000 } })).status).toBe(202);
      await reached(loanId);
    }
    // 2026-04-06: the first quarterly callback of both low-risk loans came on 2026-04-05.
    await advanceTo(api, '2026-04-06T03:00:00Z');
    expect(await periodicDays('ST-RATE')).toEqual(['2026-04-05']);
    expect(await periodicDays('ST-LOW')).toEqual(['2026-04-05']);
    for (const loanId of ['ST-RATE', 'ST-LOW']) {
      const task = (await view(loanId)).tasks.find((t) => t.purpose === 'PERIODIC' && t.status === 'OPEN')!;
      expect(
        (await api.call('POST', `/api/tasks/${task.taskId}/outcome`, { as: 'agent', body: { outcome: 'REACHED', findings: ['repayment_normal'] } })).status,
      ).toBe(200);
    }

    const answer = await rerate('ST-RATE', { riskRating: 'high', reason: 'FINANCIAL_REVIEW' }, 'risk', 'wang.wei');
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(riskRatingAcceptedSchema.parse(answer.body)).toMatchObject({ loanId: 'ST-RATE', from: 'low', to: 'high' });
    await api.app.runtime.whenIdle();
    const loan = await view('ST-RATE');
    expect(loan.timeline).toContainEqual(
      expect.objectContaining({ type: 'RISK_RATING_CHANGED', from: 'low', to: 'high', reason: 'FINANCIAL_REVIEW', by: 'wang.wei' }),
    );
    expect(loan).toMatchObject({ riskRating: 'high', loan: expect.objectContaining({ riskRating: 'low' }) });
    expect((await api.app.store.getLoan('ST-RATE'))!.state.nextPeriodicAt).toBe(shanghai(`2026-05-06T${spreadTimesOf('consumer', 'ST-RATE').task}:00`));
    expect((await api.app.store.getLoan('ST-LOW'))!.state.nextPeriodicAt).toBe(shanghai(`2026-07-05T${spreadTimesOf('consumer', 'ST-LOW').task}:00`));

    // 2026-06-10: the re-rated loan was called monthly, the other not again before July.
    await api.demo.advance(65);
    await api.app.runtime.whenIdle();
    expect(await periodicDays('ST-RATE')).toEqual(['2026-04-05', '2026-05-06', '2026-06-06']);
    expect(await periodicDays('ST-LOW')).toEqual(['2026-04-05']);
  });
});
