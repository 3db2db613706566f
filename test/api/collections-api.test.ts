// The collections life of a loan through the operations API, on the local server with DynamoDB Local: legal
// events recorded by the legal team (and the end they bring), promise dates bounded by the policy, review
// decisions, and the collection queues by tier with the groups that work them. Every refusal names its field
// and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legalEventAcceptedSchema, loanViewResponseSchema, taskQueueResponseSchema } from '../../functions/http/http-schemas.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { expectProblem, startOperationsHarness, writtenFor, type OperationsHarness } from '../support/operations-harness.js';
import { loanRequest } from '../support/story-harness.js';

let dynamo: DynamoDbLocal;
let api: OperationsHarness;

// 11:00 in Shanghai on the day the loans are paid out; their first instalment falls due on 2026-02-05.
const START = '2026-01-05T03:00:00Z';
const LOANS = ['COL-1', 'COL-2', 'COL-3', 'COL-4', 'COL-5'];

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  api = await startOperationsHarness({ start: START, endpoint: dynamo.endpoint });
  for (const loanId of LOANS) {
    const { by: _by, ...body } = loanRequest({ loanId });
    expect((await api.call('POST', '/api/loans', { as: 'admin', body })).status).toBe(201);
  }
  await api.app.runtime.whenIdle();
});

afterAll(async () => {
  await api?.stop();
  await dynamo?.stop();
});

const written = (loanId: string) => writtenFor(api.app.store, loanId);

/** Sends a request that must be refused, and checks it changed none of `loans`. */
async function refused(loans: string[], send: () => ReturnType<OperationsHarness['call']>, status: number, fields: string[] = []) {
  const before = await Promise.all(loans.map(written));
  const answer = await send();
  expectProblem(answer, status, fields);
  await api.app.runtime.whenIdle();
  expect(await Promise.all(loans.map(written))).toEqual(before);
  return answer;
}

const view = async (loanId: string) => loanViewResponseSchema.parse((await api.call('GET', `/api/loans/${loanId}`, { as: 'legal' })).body);
const legalEvent = (caseId: string, body: unknown, as = 'legal', username?: string) =>
  api.call('POST', `/api/referrals/${caseId}/events`, { as, body, username });

async function referForEvasion(loanId: string): Promise<void> {
  expect((await api.call('POST', `/api/loans/${loanId}/events`, { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['evasion'] } })).status).toBe(202);
  await api.app.runtime.whenIdle();
  expect(await view(loanId)).toMatchObject({ status: 'LEGAL', legalCaseId: `CASE-${loanId}`, phase: 'Legal' });
}

describe('POST /api/referrals/{caseId}/events', () => {
  beforeAll(async () => {
    await referForEvasion('COL-2');
    await referForEvasion('COL-4');
  });

  it('records a hearing by the legal team: LEGAL_EVENT on the timeline once the loan wakes, the case still open', async () => {
    const answer = await legalEvent('CASE-COL-2', { event: 'hearing_scheduled', date: '2026-03-02', eventId: 'court-notice-0001' }, 'legal', 'zhao.lei');
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    expect(legalEventAcceptedSchema.parse(answer.body)).toEqual({
      caseId: 'CASE-COL-2',
      loanId: 'COL-2',
      eventId: 'LEGAL-court-notice-0001',
      delivery: 'WOKEN',
    });
    await api.app.runtime.whenIdle();
    const loan = await view('COL-2');
    expect(loan.timeline).toContainEqual(
      expect.objectContaining({ type: 'LEGAL_EVENT', caseId: 'CASE-COL-2', event: 'hearing_scheduled', date: '2026-03-02', by: 'zhao.lei' }),
    );
    expect(loan).toMatchObject({ status: 'LEGAL', closedReason: null });

    // The same event sent again (its eventId) is recorded once.
    expect((await legalEvent('CASE-COL-2', { event: 'hearing_scheduled', date: '2026-03-02', eventId: 'court-notice-0001' })).status).toBe(202);
    await api.app.runtime.whenIdle();
    expect((await view('COL-2')).timeline.filter((e) => e.type === 'LEGAL_EVENT')).toHaveLength(1);
  });

  it('refuses bad input by field, writing nothing: an unknown event, settled without amount, an amount on a hearing, a bad date, an unknown field', async () => {
    await refused(['COL-2'], () => legalEvent('CASE-COL-2', { event: 'party' }), 400, ['event']);
    await refused(['COL-2'], () => legalEvent('CASE-COL-2', {}), 400, ['event']);
    await refused(['COL-2'], () => legalEvent('CASE-COL-2', { event: 'settled' }), 400, ['amount']);
    await refused(['COL-2'], () => legalEvent('CASE-COL-2', { event: 'recovered', amount: -5 }), 400, ['amount']);
    await refused(['COL-2'], () => legalEvent('CASE-COL-2', { event: 'hearing_scheduled', amount: 100 }), 400, ['amount']);
    await refused(['COL-2'], () => legalEvent('CASE-COL-2', { event: 'judgment', date: '2026-02-30' }), 400, ['date']);
    await refused(['COL-2'], () => legalEvent('CASE-COL-2', { event: 'judgment', court: 'Pudong' }), 400, ['court']);
    await refused(
      ['COL-2'],
      () => api.call('POST', '/api/referrals/CASE-COL-2/events', { as: 'legal', body: 'event=judgment', contentType: 'text/plain' }),
      415,
      ['Content-Type'],
    );
    await refused(['COL-2'], () => legalEvent('COL-2', { event: 'judgment' }), 400, ['caseId']);
  });

  it('refuses an unknown case (404), a loan that was never referred (404), and the wrong group (403), writing nothing', async () => {
    const unknown = await refused(['COL-2'], () => legalEvent('CASE-NOPE-9', { event: 'judgment' }), 404, ['caseId']);
    expect(unknown.body.type).toBe('/problems/legal-case-not-found');
    await refused(['COL-1'], () => legalEvent('CASE-COL-1', { event: 'judgment' }), 404, ['caseId']);
    for (const group of ['agent', 'senior', 'risk']) await refused(['COL-2'], () => legalEvent('CASE-COL-2', { event: 'judgment' }, group), 403);
    await refused(['COL-2'], () => legalEvent('CASE-COL-2', { event: 'judgment' }, 'not.a.token'), 401, ['Authorization']);
  });

  it('written_off closes the case and the loan (WRITTEN_OFF, classified LOSS) and ends its execution; the closed case then refuses events (409)', async () => {
    const answer = await legalEvent('CASE-COL-4', { event: 'written_off', date: '2026-01-05' }, 'legal', 'zhao.lei');
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    await api.app.runtime.whenIdle();
    const loan = await view('COL-4');
    expect(loan).toMatchObject({ status: 'CLOSED', closedReason: 'WRITTEN_OFF', classification: 'LOSS', nextAction: null });
    const types = loan.timeline.map((e) => e.type);
    expect(loan.timeline).toContainEqual(expect.objectContaining({ type: 'LEGAL_EVENT', event: 'written_off', by: 'zhao.lei' }));
    expect(loan.timeline).toContainEqual(expect.objectContaining({ type: 'LEGAL_CASE_CLOSED', caseId: 'CASE-COL-4', outcome: 'written_off' }));
    expect(loan.timeline).toContainEqual(expect.objectContaining({ type: 'LOAN_CLOSED', reason: 'WRITTEN_OFF' }));
    expect(types.indexOf('LEGAL_EVENT')).toBeLessThan(types.indexOf('LOAN_CLOSED'));
    const executions = [...api.app.runtime.executions.values()].filter((e) => e.name.startsWith('COL-4'));
    expect(executions.length).toBeGreaterThan(0);
    expect(executions.map((e) => e.status)).not.toContain('RUNNING');
    expect(executions.map((e) => e.status)).toContain('SUCCEEDED');

    const closed = await refused(['COL-4'], () => legalEvent('CASE-COL-4', { event: 'recovered', amount: 1000 }), 409, ['caseId']);
    expect(closed.body.type).toBe('/problems/legal-case-closed');
  });
});

describe('promises to pay and review decisions on POST /api/tasks/{id}/outcome', () => {
  const promiseCall = (date: string, amount = 1500) => ({ outcome: 'REACHED', findings: ['promise_to_pay'], promise: { date, amount } });

  it('shows the policy’s bound for a promise on the loan page and on each queued call', async () => {
    const loan = await view('COL-1');
    // Today in Shanghai is 2026-01-05; consumer loans accept a promise at most 14 days ahead.
    expect(loan).toMatchObject({
      promiseEarliestDate: '2026-01-05',
      promiseLatestDate: '2026-01-19',
      promiseMaxDaysAhead: 14,
      promise: null,
      episode: null,
      phase: 'FirstContact',
      legalCaseId: null,
    });
    const queue = taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks?queue=callback', { as: 'agent' })).body);
    expect(queue.tasks.find((t) => t.taskId === 'COL-1.FIRST_CONTACT')).toMatchObject({ queue: 'callback', promiseLatestDate: '2026-01-19' });
  });

  it('refuses a promise in the past or beyond the bound (400 on promise.date), writing nothing', async () => {
    const past = await refused(
      ['COL-1'],
      () => api.call('POST', '/api/tasks/COL-1.FIRST_CONTACT/outcome', { as: 'agent', body: promiseCall('2026-01-04') }),
      400,
      ['promise.date'],
    );
    expect(past.body.errors[0].reason).toMatch(/past/);
    const beyond = await refused(
      ['COL-1'],
      () => api.call('POST', '/api/tasks/COL-1.FIRST_CONTACT/outcome', { as: 'agent', body: promiseCall('2026-01-20') }),
      400,
      ['promise.date'],
    );
    expect(beyond.body.errors[0].reason).toMatch(/14 days ahead \(2026-01-19/);
    await refused(['COL-1'], () => api.call('POST', '/api/tasks/COL-1.FIRST_CONTACT/outcome', { as: 'agent', body: promiseCall('19 Jan') }), 400, [
      'promise.date',
    ]);
  });

  it('refuses a decision on a task that takes none (400 on decision), writing nothing', async () => {
    await refused(
      ['COL-1'],
      () => api.call('POST', '/api/tasks/COL-1.FIRST_CONTACT/outcome', { as: 'risk', body: { outcome: 'REACHED', decision: 'refer' } }),
      400,
      ['decision'],
    );
  });

  it('a RECALL_REVIEW is answered by risk with a decision, and refused without one (400 on decision) or with an unknown one', async () => {
    expect((await api.call('POST', '/api/loans/COL-3/events', { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['lost_ability'] } })).status).toBe(
      202,
    );
    await api.app.runtime.whenIdle();
    const review = (await view('COL-3')).tasks.find((t) => t.purpose === 'RECALL_REVIEW' && t.status === 'OPEN')!;
    expect(review).toMatchObject({ queue: 'review', decision: null });
    const path = `/api/tasks/${review.taskId}/outcome`;
    await refused(['COL-3'], () => api.call('POST', path, { as: 'risk', body: { outcome: 'REACHED', notes: 'looked at it' } }), 400, ['decision']);
    await refused(['COL-3'], () => api.call('POST', path, { as: 'risk', body: { outcome: 'REACHED', decision: 'pray' } }), 400, ['decision']);
    await refused(['COL-3'], () => api.call('POST', path, { as: 'agent', body: { outcome: 'REACHED', decision: 'continue' } }), 403);
    await refused(['COL-3'], () => api.call('POST', path, { as: 'senior', body: { outcome: 'REACHED', decision: 'continue' } }), 403);

    const answer = await api.call('POST', path, {
      as: 'risk',
      username: 'wang.fang',
      body: { outcome: 'REACHED', decision: 'continue', notes: 'income back next month' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await api.app.runtime.whenIdle();
    const loan = await view('COL-3');
    expect(loan.timeline).toContainEqual(
      expect.objectContaining({ type: 'REVIEW_DECIDED', purpose: 'RECALL_REVIEW', outcome: 'continue', taskId: review.taskId }),
    );
    expect(loan.tasks.find((t) => t.taskId === review.taskId)).toMatchObject({ status: 'DONE', decision: 'continue' });
    expect(loan.status).toBe('ACTIVE');
  });
});

describe('collection queues by tier', () => {
  it('files overdue calls by days past due: collection_early for agents, collection_middle for senior collectors (an agent is refused it)', async () => {
    // Nobody pays: COL-5 is 9 days past due, its DPD 3 and DPD 7 calls in the early tier.
    await api.demo.advance(40);
    await api.app.runtime.whenIdle();
    const early = taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks?queue=collection_early', { as: 'agent' })).body);
    const col5 = early.tasks.filter((t) => t.loanId === 'COL-5');
    expect(col5.length).toBeGreaterThan(0);
    expect(early.tasks.every((t) => t.queue === 'collection_early' && t.purpose === 'COLLECTION')).toBe(true);
    expect((await api.call('GET', '/api/tasks?queue=callback', { as: 'agent' })).body.tasks.some((t: { queue: string }) => t.queue !== 'callback')).toBe(false);
    expect(early.queues).toEqual(['callback', 'field', 'collection_early']);

    // COL-1 promises on its collection call, on the last day the policy allows (today, 2026-02-14, plus 14).
    const loanBefore = await view('COL-1');
    expect(loanBefore).toMatchObject({
      promiseEarliestDate: '2026-02-14',
      promiseLatestDate: '2026-02-28',
      phase: 'Collections',
      episode: { number: 1, brokenPromises: 0 },
    });
    const collectionCall = early.tasks.find((t) => t.loanId === 'COL-1')!;
    expect(collectionCall).toMatchObject({ promiseLatestDate: '2026-02-28' });
    const promise = (date: string) => ({ outcome: 'REACHED', findings: ['promise_to_pay'], promise: { date, amount: 1500.5 } });
    await refused(['COL-1'], () => api.call('POST', `/api/tasks/${collectionCall.taskId}/outcome`, { as: 'agent', body: promise('2026-03-01') }), 400, [
      'promise.date',
    ]);
    const answer = await api.call('POST', `/api/tasks/${collectionCall.taskId}/outcome`, { as: 'agent', username: 'li.na', body: promise('2026-02-28') });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await api.app.runtime.whenIdle();
    const promised = await view('COL-1');
    expect(promised.promise).toMatchObject({ date: '2026-02-28', amount: 1500.5 });
    expect(promised.timeline).toContainEqual(expect.objectContaining({ type: 'PROMISE_MADE', date: '2026-02-28', amount: 150050 }));
    expect(promised.tasks.find((t) => t.taskId === collectionCall.taskId)).toMatchObject({ status: 'DONE', promise: { date: '2026-02-28', amount: 1500.5 } });

    // 37 days past due: the DPD 36 call is the senior collectors'.
    await api.demo.advance(28);
    await api.app.runtime.whenIdle();
    const middle = taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks?queue=collection_middle', { as: 'senior' })).body);
    const call = middle.tasks.find((t) => t.loanId === 'COL-5');
    expect(call, JSON.stringify(middle.tasks.map((t) => t.taskId))).toBeDefined();
    expect(call).toMatchObject({ purpose: 'COLLECTION', queue: 'collection_middle' });
    expect(middle.tasks.every((t) => t.queue === 'collection_middle')).toBe(true);
    expect((await view('COL-5')).episode).toMatchObject({ number: 1, brokenPromises: 0 });
    expect((await view('COL-5')).phase).toBe('Collections');

    // Agents neither see the middle tier nor answer its calls; a senior collector does.
    expectProblem(await api.call('GET', '/api/tasks?queue=collection_middle', { as: 'agent' }), 403, ['queue']);
    expect((await api.call('GET', '/api/tasks', { as: 'agent' })).body.tasks.map((t: { taskId: string }) => t.taskId)).not.toContain(call!.taskId);
    expectProblem(await api.call('GET', '/api/tasks?queue=collection_late', { as: 'senior' }), 403, ['queue']);
    const refusedCall = await refused(
      ['COL-5'],
      () => api.call('POST', `/api/tasks/${call!.taskId}/outcome`, { as: 'agent', body: { outcome: 'NO_ANSWER' } }),
      403,
    );
    expect(refusedCall.body.detail).toContain('collection_middle');
    expect((await api.call('POST', `/api/tasks/${call!.taskId}/outcome`, { as: 'senior', username: 'chen.jie', body: { outcome: 'NO_ANSWER' } })).status).toBe(
      200,
    );
  });

  it('puts a case quiet for 90 days in the legal queue: the legal team lists and answers it, nobody else', async () => {
    // CASE-COL-2's last event was on the day it was referred; 98 days on, it needs a follow-up.
    await api.demo.advance(30);
    await api.app.runtime.whenIdle();
    const legal = taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks', { as: 'legal' })).body);
    expect(legal.queues).toEqual(['legal']);
    const followUp = legal.tasks.find((t) => t.loanId === 'COL-2');
    expect(followUp, JSON.stringify(legal.tasks)).toMatchObject({ purpose: 'LEGAL_FOLLOW_UP', queue: 'legal', contactNow: null, promiseLatestDate: null });
    expect(legal.tasks.every((t) => t.queue === 'legal')).toBe(true);
    expectProblem(await api.call('GET', '/api/tasks?queue=callback', { as: 'legal' }), 403, ['queue']);
    expectProblem(await api.call('GET', '/api/tasks?queue=legal', { as: 'risk' }), 403, ['queue']);
    expect((await api.call('GET', '/api/tasks', { as: 'risk' })).body.tasks.map((t: { taskId: string }) => t.taskId)).not.toContain(followUp!.taskId);

    await refused(['COL-2'], () => api.call('POST', `/api/tasks/${followUp!.taskId}/outcome`, { as: 'risk', body: { outcome: 'REACHED' } }), 403);
    const answer = await api.call('POST', `/api/tasks/${followUp!.taskId}/outcome`, {
      as: 'legal',
      username: 'zhao.lei',
      body: { outcome: 'REACHED', notes: 'hearing postponed by the court' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await api.app.runtime.whenIdle();
    expect((await view('COL-2')).tasks.find((t) => t.taskId === followUp!.taskId)).toMatchObject({ status: 'DONE', completedBy: 'zhao.lei' });
  });
});
