// The collections life of a loan through the operations API, on the local server with DynamoDB Local: legal
// events recorded by the legal team (and the end they bring), promise dates bounded by the policy, review
// decisions, and the collection queues by tier with the groups that work them. Every refusal names its field
// and writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legalEventAcceptedSchema, loanViewResponseSchema, taskQueueResponseSchema } from '../../functions/http/http-schemas.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import type { LoanRequestBody } from '../support/loans.js';
import { advanceTo, expectProblem, onboarded, startOperationsHarness, writtenFor, type OperationsHarness } from '../support/operations-harness.js';

let dynamo: DynamoDbLocal;
let api: OperationsHarness;

// 11:00 in Shanghai on the day the loans are paid out; their first instalment falls due on 2026-02-05. Each test
// onboards the loans it uses; the tests that read the clock on this day come before the collection queues', which
// move it.
const START = '2026-01-05T03:00:00Z';

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  api = await startOperationsHarness({ start: START, endpoint: dynamo.endpoint });
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

/** Onboards a loan of the test's own and has it referred to the legal team (case CASE-<loanId>). */
async function referredForEvasion(loanId: string, loan: Partial<LoanRequestBody> = {}): Promise<void> {
  await onboarded(api, { ...loan, loanId });
  expect((await api.call('POST', `/api/loans/${loanId}/events`, { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['evasion'] } })).status).toBe(202);
  await api.app.runtime.whenIdle();
  expect(await view(loanId)).toMatchObject({ status: 'LEGAL', legalCaseId: `CASE-${loanId}`, phase: 'Legal' });
}

describe('POST /api/referrals/{caseId}/events', () => {
  it('records a hearing by the legal team: LEGAL_EVENT on the timeline once the loan wakes, the case still open', async () => {
    await referredForEvasion('COL-2');
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
    await referredForEvasion('COL-FIELDS');
    await refused(['COL-FIELDS'], () => legalEvent('CASE-COL-FIELDS', { event: 'party' }), 400, ['event']);
    await refused(['COL-FIELDS'], () => legalEvent('CASE-COL-FIELDS', {}), 400, ['event']);
    await refused(['COL-FIELDS'], () => legalEvent('CASE-COL-FIELDS', { event: 'settled' }), 400, ['amount']);
    await refused(['COL-FIELDS'], () => legalEvent('CASE-COL-FIELDS', { event: 'recovered', amount: -5 }), 400, ['amount']);
    await refused(['COL-FIELDS'], () => legalEvent('CASE-COL-FIELDS', { event: 'hearing_scheduled', amount: 100 }), 400, ['amount']);
    await refused(['COL-FIELDS'], () => legalEvent('CASE-COL-FIELDS', { event: 'judgment', date: '2026-02-30' }), 400, ['date']);
    await refused(['COL-FIELDS'], () => legalEvent('CASE-COL-FIELDS', { event: 'judgment', court: 'Pudong' }), 400, ['court']);
    await refused(
      ['COL-FIELDS'],
      () => api.call('POST', '/api/referrals/CASE-COL-FIELDS/events', { as: 'legal', body: 'event=judgment', contentType: 'text/plain' }),
      415,
      ['Content-Type'],
    );
    await refused(['COL-FIELDS'], () => legalEvent('COL-FIELDS', { event: 'judgment' }), 400, ['caseId']);
  });

  it('refuses an unknown case (404), a loan that was never referred (404), and the wrong group (403), writing nothing', async () => {
    await referredForEvasion('COL-CASE');
    await onboarded(api, { loanId: 'COL-UNREFERRED' });
    const unknown = await refused(['COL-CASE'], () => legalEvent('CASE-NOPE-9', { event: 'judgment' }), 404, ['caseId']);
    expect(unknown.body.type).toBe('/problems/legal-case-not-found');
    await refused(['COL-UNREFERRED'], () => legalEvent('CASE-COL-UNREFERRED', { event: 'judgment' }), 404, ['caseId']);
    for (const group of ['agent', 'senior', 'risk']) await refused(['COL-CASE'], () => legalEvent('CASE-COL-CASE', { event: 'judgment' }, group), 403);
    await refused(['COL-CASE'], () => legalEvent('CASE-COL-CASE', { event: 'judgment' }, 'not.a.token'), 401, ['Authorization']);
  });

  it('written_off closes the case and the loan (WRITTEN_OFF, classified LOSS) and ends its execution; the closed case then refuses events (409)', async () => {
    await referredForEvasion('COL-4');
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
    await onboarded(api, { loanId: 'COL-1' });
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
    await onboarded(api, { loanId: 'COL-PROMISE' });
    const past = await refused(
      ['COL-PROMISE'],
      () => api.call('POST', '/api/tasks/COL-PROMISE.FIRST_CONTACT/outcome', { as: 'agent', body: promiseCall('2026-01-04') }),
      400,
      ['promise.date'],
    );
    expect(past.body.errors[0].reason).toMatch(/past/);
    const beyond = await refused(
      ['COL-PROMISE'],
      () => api.call('POST', '/api/tasks/COL-PROMISE.FIRST_CONTACT/outcome', { as: 'agent', body: promiseCall('2026-01-20') }),
      400,
      ['promise.date'],
    );
    expect(beyond.body.errors[0].reason).toMatch(/14 days ahead \(2026-01-19/);
    await refused(['COL-PROMISE'], () => api.call('POST', '/api/tasks/COL-PROMISE.FIRST_CONTACT/outcome', { as: 'agent', body: promiseCall('19 Jan') }), 400, [
      'promise.date',
    ]);
  });

  it('refuses a decision on a task that takes none (400 on decision), writing nothing', async () => {
    await onboarded(api, { loanId: 'COL-DECISION' });
    await refused(
      ['COL-DECISION'],
      () => api.call('POST', '/api/tasks/COL-DECISION.FIRST_CONTACT/outcome', { as: 'risk', body: { outcome: 'REACHED', decision: 'refer' } }),
      400,
      ['decision'],
    );
  });

  it('a RECALL_REVIEW is answered by risk with a decision, and refused without one (400 on decision) or with an unknown one', async () => {
    await onboarded(api, { loanId: 'COL-3' });
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
    // Two loans paid out on 2026-01-05. Nobody pays: on 2026-02-14 COL-5 is 9 days past due, its DPD 3 and DPD 7
    // calls in the early tier.
    await onboarded(api, { loanId: 'COL-5' });
    await onboarded(api, { loanId: 'COL-PTP' });
    await advanceTo(api, '2026-02-14T03:00:00Z');
    const early = taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks?queue=collection_early', { as: 'agent' })).body);
    const col5 = early.tasks.filter((t) => t.loanId === 'COL-5');
    expect(col5.length).toBeGreaterThan(0);
    expect(early.tasks.every((t) => t.queue === 'collection_early' && t.purpose === 'COLLECTION')).toBe(true);
    expect((await api.call('GET', '/api/tasks?queue=callback', { as: 'agent' })).body.tasks.some((t: { queue: string }) => t.queue !== 'callback')).toBe(false);
    expect(early.queues).toEqual(['callback', 'field', 'collection_early']);

    // COL-PTP promises on its collection call, on the last day the policy allows (today, 2026-02-14, plus 14).
    const loanBefore = await view('COL-PTP');
    expect(loanBefore).toMatchObject({
      promiseEarliestDate: '2026-02-14',
      promiseLatestDate: '2026-02-28',
      phase: 'Collections',
      episode: { number: 1, brokenPromises: 0 },
    });
    const collectionCall = early.tasks.find((t) => t.loanId === 'COL-PTP')!;
    expect(collectionCall).toMatchObject({ promiseLatestDate: '2026-02-28' });
    const promise = (date: string) => ({ outcome: 'REACHED', findings: ['promise_to_pay'], promise: { date, amount: 1500.5 } });
    await refused(['COL-PTP'], () => api.call('POST', `/api/tasks/${collectionCall.taskId}/outcome`, { as: 'agent', body: promise('2026-03-01') }), 400, [
      'promise.date',
    ]);
    const answer = await api.call('POST', `/api/tasks/${collectionCall.taskId}/outcome`, { as: 'agent', username: 'li.na', body: promise('2026-02-28') });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await api.app.runtime.whenIdle();
    const promised = await view('COL-PTP');
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
    // A loan paid out today (whenever the test runs) and referred at once: the case's last event was on the day it
    // was referred; 98 days on, it needs a follow-up.
    await referredForEvasion('COL-QUIET', { disbursedAt: api.demo.state().now });
    await api.demo.advance(98);
    await api.app.runtime.whenIdle();
    const legal = taskQueueResponseSchema.parse((await api.call('GET', '/api/tasks', { as: 'legal' })).body);
    expect(legal.queues).toEqual(['legal']);
    const followUp = legal.tasks.find((t) => t.loanId === 'COL-QUIET');
    expect(followUp, JSON.stringify(legal.tasks)).toMatchObject({ purpose: 'LEGAL_FOLLOW_UP', queue: 'legal', contactNow: null, promiseLatestDate: null });
    expect(legal.tasks.every((t) => t.queue === 'legal')).toBe(true);
    expectProblem(await api.call('GET', '/api/tasks?queue=callback', { as: 'legal' }), 403, ['queue']);
    expectProblem(await api.call('GET', '/api/tasks?queue=legal', { as: 'risk' }), 403, ['queue']);
    expect((await api.call('GET', '/api/tasks', { as: 'risk' })).body.tasks.map((t: { taskId: string }) => t.taskId)).not.toContain(followUp!.taskId);

    await refused(['COL-QUIET'], () => api.call('POST', `/api/tasks/${followUp!.taskId}/outcome`, { as: 'risk', body: { outcome: 'REACHED' } }), 403);
    const answer = await api.call('POST', `/api/tasks/${followUp!.taskId}/outcome`, {
      as: 'legal',
      username: 'zhao.lei',
      body: { outcome: 'REACHED', notes: 'hearing postponed by the court' },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    await api.app.runtime.whenIdle();
    expect((await view('COL-QUIET')).tasks.find((t) => t.taskId === followUp!.taskId)).toMatchObject({ status: 'DONE', completedBy: 'zhao.lei' });
  });
});
