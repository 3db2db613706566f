// The operations API over HTTP, on the local server, with DynamoDB Local behind the real handlers: every route,
// its problem details and the group each is open to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUPS, type Group } from '../../functions/http/principal.js';
import { ROUTES, type RouteSpec } from '../../functions/http/routes.js';
import {
  casePackageSchema,
  eventAcceptedSchema,
  importReportSchema,
  loanViewResponseSchema,
  onboardResponseSchema,
  outcomeAcceptedSchema,
  problemSchema,
  referralListSchema,
  taskQueueResponseSchema,
} from '../../functions/http/http-schemas.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { onboarded, startOperationsHarness, type OperationsHarness } from '../support/operations-harness.js';
import { loanRequest } from '../support/loans.js';

let dynamo: DynamoDbLocal;
let api: OperationsHarness;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  // 11:00 in Shanghai on the day the test loans are paid out. Each test onboards the loans it uses; the tests that
  // read the clock at this hour come before 'shows the next task once the demo clock reaches it', which moves it.
  api = await startOperationsHarness({ start: '2026-01-05T03:00:00Z', endpoint: dynamo.endpoint });
});

afterAll(async () => {
  await api?.stop();
  await dynamo?.stop();
});

const body = (loanId: string, overrides: Record<string, unknown> = {}) => {
  const { by: _by, ...request } = loanRequest({ loanId });
  return { ...request, ...overrides };
};

function expectProblem(answer: { status: number; contentType: string; body: any }, status: number, fields: string[] = []) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.contentType).toContain('application/problem+json');
  expect(problemSchema.parse(answer.body)).toMatchObject({ status });
  expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(fields));
}

describe('POST /api/loans', () => {
  it('onboards a loan, then answers the same body with the same loan, and a different body with a 409', async () => {
    const created = await api.call('POST', '/api/loans', { as: 'admin', username: 'ann', body: body('API-1') });
    expect(created.status).toBe(201);
    expect(onboardResponseSchema.parse(created.body)).toMatchObject({ loanId: 'API-1', created: true, instalments: 12 });
    expect(created.headers.get('location')).toBe('/api/loans/API-1');

    const again = await api.call('POST', '/api/loans', { as: 'admin', username: 'bob', body: body('API-1') });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ loanId: 'API-1', created: false, executionArn: created.body.executionArn });

    const conflict = await api.call('POST', '/api/loans', { as: 'admin', body: body('API-1', { principal: 99999 }) });
    expectProblem(conflict, 409, ['loanId']);
    expect(conflict.body.type).toBe('/problems/loan-conflict');
    expect(conflict.body.instance).toBe('/api/loans');

    const timeline = await api.app.store.listTimeline('API-1');
    expect(timeline.find((e) => e.type === 'LOAN_ONBOARDED')).toMatchObject({ by: 'ann' });
  });

  it('names every invalid field, and refuses what is not a JSON object', async () => {
    const invalid = await api.call('POST', '/api/loans', { body: body('API-X', { principal: -5, phone: '12', colour: 'red' }) });
    expectProblem(invalid, 400, ['principal', 'phone', 'colour']);
    expect(invalid.body.type).toBe('/problems/validation');
    expect(invalid.body.errors).toContainEqual({ field: 'colour', reason: 'unknown field' });
    expectProblem(await api.call('POST', '/api/loans', { body: '{"loanId":', contentType: 'application/json' }), 400, ['(body)']);
    expectProblem(await api.call('POST', '/api/loans', { body: '[1,2]', contentType: 'application/json' }), 400, ['(body)']);
    expectProblem(await api.call('POST', '/api/loans', { body: 'loanId=1', contentType: 'application/x-www-form-urlencoded' }), 415, ['Content-Type']);
    expect(await api.app.store.getLoan('API-X')).toBeUndefined();
  });
});

describe('GET /api/loans/{id}', () => {
  it('shows schedule, payments, warning level, classification, next action and timeline', async () => {
    await onboarded(api, { loanId: 'API-VIEW' }, 'ann');
    const answer = await api.call('GET', '/api/loans/API-VIEW', { as: 'agent' });
    expect(answer.status).toBe(200);
    const view = loanViewResponseSchema.parse(answer.body);
    expect(view).toMatchObject({
      status: 'ACTIVE',
      warningLevel: 'NONE',
      classification: 'NORMAL',
      dpd: 0,
      borrowerLocalTime: '2026-01-05T11:00:00.000+08:00',
    });
    expect(view.loan).toMatchObject({ loanId: 'API-VIEW', principal: 36000, onboardedBy: 'ann' });
    expect(view.schedule).toHaveLength(12);
    expect(view.schedule[0]).toMatchObject({ seq: 1, dueDate: '2026-02-05', status: 'DUE' });
    expect(view.tasks).toContainEqual(expect.objectContaining({ taskId: 'API-VIEW.FIRST_CONTACT', status: 'OPEN', queue: 'callback' }));
    expect(view.timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['LOAN_ONBOARDED', 'MESSAGE_SENT', 'CALLBACK_CREATED']));
    expect(view.nextAction).not.toBeNull();
    expect(view.contactNow).toEqual({ allowed: true, reasons: [], retryAt: null });
  });

  it('is a 404 for an unknown loan and a 400 for a malformed id', async () => {
    expectProblem(await api.call('GET', '/api/loans/NOPE-1', { as: 'agent' }), 404, ['loanId']);
    expectProblem(await api.call('GET', `/api/loans/${encodeURIComponent('bad id!')}`, { as: 'agent' }), 400, ['id']);
  });
});

describe('GET /api/tasks and POST /api/tasks/{id}/outcome', () => {
  it('lists the open first-contact task with the borrower’s local time and whether a call is allowed now', async () => {
    await onboarded(api, { loanId: 'API-QUEUE' });
    const answer = await api.call('GET', '/api/tasks?purpose=FIRST_CONTACT', { as: 'agent' });
    expect(answer.status).toBe(200);
    const queue = taskQueueResponseSchema.parse(answer.body);
    expect(queue.tasks.find((t) => t.taskId === 'API-QUEUE.FIRST_CONTACT')).toMatchObject({
      loanId: 'API-QUEUE',
      purpose: 'FIRST_CONTACT',
      queue: 'callback',
      warningLevel: 'NONE',
      dpd: 0,
      timezone: 'Asia/Shanghai',
      borrowerLocalTime: '2026-01-05T11:00:00.000+08:00',
      contactNow: { allowed: true, reasons: [], retryAt: null },
    });
    expect(queue.tasks.every((t) => t.purpose === 'FIRST_CONTACT')).toBe(true);
    expect((await api.call('GET', '/api/tasks?queue=field', { as: 'agent' })).body.tasks).toEqual([]);
  });

  it('refuses a bad filter by name, and the review queue to agents', async () => {
    expectProblem(await api.call('GET', '/api/tasks?purpose=LUNCH', { as: 'agent' }), 400, ['purpose']);
    expectProblem(await api.call('GET', '/api/tasks?limit=0', { as: 'agent' }), 400, ['limit']);
    expectProblem(await api.call('GET', '/api/tasks?queue=review', { as: 'agent' }), 403, ['queue']);
    expect((await api.call('GET', '/api/tasks?queue=review', { as: 'risk' })).status).toBe(200);
  });

  it('records an outcome once, resumes the loan, and refuses a second answer with a 409', async () => {
    await onboarded(api, { loanId: 'API-OUTCOME' });
    expectProblem(
      await api.call('POST', '/api/tasks/API-OUTCOME.FIRST_CONTACT/outcome', { as: 'agent', body: { outcome: 'REACHED', findings: ['promise_to_pay'] } }),
      400,
      ['promise'],
    );
    expectProblem(await api.call('POST', '/api/tasks/API-OUTCOME.FIRST_CONTACT/outcome', { as: 'agent', body: { outcome: 'MAYBE' } }), 400, ['outcome']);

    const answer = await api.call('POST', '/api/tasks/API-OUTCOME.FIRST_CONTACT/outcome', {
      as: 'agent',
      username: 'agent.li',
      body: { outcome: 'REACHED', findings: ['funds_received', 'contact_details_confirmed'], notes: 'all fine', agentId: 'someone-else' },
    });
    expect(answer.status).toBe(200);
    expect(outcomeAcceptedSchema.parse(answer.body)).toEqual({ taskId: 'API-OUTCOME.FIRST_CONTACT', status: 'DONE', delivery: 'WOKEN' });

    const second = await api.call('POST', '/api/tasks/API-OUTCOME.FIRST_CONTACT/outcome', { as: 'agent', body: { outcome: 'REFUSED' } });
    expectProblem(second, 409, ['taskId']);
    expect(second.body.type).toBe('/problems/task-already-answered');
    expectProblem(await api.call('POST', '/api/tasks/API-OUTCOME.NOPE/outcome', { as: 'agent', body: { outcome: 'REACHED' } }), 404, ['taskId']);

    // The loan moved on before the answer came back: the call is on its timeline, by the agent, and its next
    // contact is planned.
    const view = (await api.call('GET', '/api/loans/API-OUTCOME', { as: 'agent' })).body;
    expect(view.timeline).toContainEqual(
      expect.objectContaining({ type: 'CALLBACK_COMPLETED', taskId: 'API-OUTCOME.FIRST_CONTACT', by: 'agent.li', outcome: 'REACHED' }),
    );
    expect(view.tasks.find((t: { taskId: string }) => t.taskId === 'API-OUTCOME.FIRST_CONTACT')).toMatchObject({
      status: 'DONE',
      completedBy: 'agent.li',
      notes: 'all fine',
    });
    expect((await api.call('GET', '/api/tasks', { as: 'agent' })).body.tasks.map((t: { taskId: string }) => t.taskId)).not.toContain(
      'API-OUTCOME.FIRST_CONTACT',
    );
  });

  it('noncompliant: refuses a call at 22:00 borrower time with a 409 saying when it is allowed, and records nothing', async () => {
    // 03:00 UTC is 22:00 the evening before in New York: the first contact is held until 08:00 there.
    const created = await api.call('POST', '/api/loans', {
      as: 'admin',
      body: body('API-NY', { timezone: 'America/New_York', disbursedAt: '2026-01-04T21:30:00-05:00' }),
    });
    expect(created.status).toBe(201);
    await api.app.runtime.whenIdle();
    const view = (await api.call('GET', '/api/loans/API-NY', { as: 'agent' })).body;
    expect(view.tasks[0]).toMatchObject({ taskId: 'API-NY.FIRST_CONTACT', heldUntil: '2026-01-05T13:00:00.000Z' });
    const queued = (await api.call('GET', '/api/tasks?purpose=FIRST_CONTACT', { as: 'agent' })).body.tasks.find(
      (t: { taskId: string }) => t.taskId === 'API-NY.FIRST_CONTACT',
    );
    expect(queued.contactNow).toMatchObject({ allowed: false, retryAt: '2026-01-05T13:00:00.000Z' });

    const refused = await api.call('POST', '/api/tasks/API-NY.FIRST_CONTACT/outcome', {
      as: 'agent',
      body: { outcome: 'REACHED', findings: ['funds_received'] },
    });
    expectProblem(refused, 409, ['taskId']);
    expect(refused.body).toMatchObject({
      type: '/problems/contact-not-allowed',
      blockedBy: ['OUTSIDE_CONTACT_HOURS'],
      retryAt: '2026-01-05T13:00:00.000Z',
      compliance: 'us@2026-11-01',
    });
    const after = (await api.call('GET', '/api/loans/API-NY', { as: 'agent' })).body;
    expect(after.tasks[0]).toMatchObject({ status: 'OPEN' });
    expect(after.timeline.filter((e: { type: string }) => e.type === 'CALLBACK_COMPLETED')).toEqual([]);
  });

  it('shows the next task once the demo clock reaches it', async () => {
    // A loan onboarded and reached on the day it is paid out: its day-30 check comes 30 days on.
    await onboarded(api, { loanId: 'API-DAY30' });
    const reached = await api.call('POST', '/api/tasks/API-DAY30.FIRST_CONTACT/outcome', {
      as: 'agent',
      body: { outcome: 'REACHED', findings: ['funds_received', 'contact_details_confirmed'] },
    });
    expect(reached.status, JSON.stringify(reached.body)).toBe(200);
    await api.call('POST', '/api/dev/clock', { as: 'agent', body: { advanceDays: 30 } });
    const queue = (await api.call('GET', '/api/tasks', { as: 'agent' })).body;
    expect(queue.tasks.map((t: { taskId: string }) => t.taskId)).toContain('API-DAY30.DAY30_CHECK');
    expect((await api.call('GET', '/api/dev/clock', { as: 'agent' })).body).toMatchObject({ mode: 'virtual', now: '2026-02-04T03:00:00.000Z', paused: true });
    expectProblem(await api.call('POST', '/api/dev/clock', { as: 'agent', body: { secondsPerDay: -1, advanceDays: 1.5 } }), 400, [
      'secondsPerDay',
      'advanceDays',
    ]);
  });
});

describe('POST /api/loans/{id}/payments and /events', () => {
  it('records a payment with who recorded it', async () => {
    await onboarded(api, { loanId: 'API-PAY' });
    const answer = await api.call('POST', '/api/loans/API-PAY/payments', { as: 'risk', username: 'risk.wu', body: { amount: 3131.63, paymentId: 'BANK-1' } });
    expect(answer.status).toBe(202);
    expect(eventAcceptedSchema.parse(answer.body)).toMatchObject({ loanId: 'API-PAY', eventId: 'BANK-1' });
    const view = (await api.call('GET', '/api/loans/API-PAY', { as: 'risk' })).body;
    expect(view.payments).toEqual([expect.objectContaining({ amount: 3131.63, by: 'risk.wu', eventId: 'BANK-1' })]);
    expectProblem(await api.call('POST', '/api/loans/NOPE-1/payments', { as: 'risk', body: { amount: 1 } }), 404, ['loanId']);
    expectProblem(await api.call('POST', '/api/loans/API-PAY/payments', { as: 'risk', body: { amount: 0.001 } }), 400, ['amount']);
  });

  it('raises a hardship to a restructure review that only risk officers see and answer', async () => {
    expect((await api.call('POST', '/api/loans', { body: body('API-2') })).status).toBe(201);
    const reported = await api.call('POST', '/api/loans/API-2/events', {
      as: 'risk',
      username: 'risk.wu',
      body: { type: 'HARDSHIP_REPORTED', findings: ['income_decline'] },
    });
    expect(reported.status).toBe(202);
    const view = (await api.call('GET', '/api/loans/API-2', { as: 'risk' })).body;
    expect(view.warningLevel).toBe('INTERMEDIATE');
    expect(view.timeline).toContainEqual(expect.objectContaining({ type: 'HARDSHIP_REPORTED', by: 'risk.wu' }));
    const review = view.tasks.find((t: { purpose: string }) => t.purpose === 'RESTRUCTURE_REVIEW');
    expect(review).toMatchObject({ status: 'OPEN', queue: 'review' });

    expect((await api.call('GET', '/api/tasks', { as: 'agent' })).body.tasks.map((t: { taskId: string }) => t.taskId)).not.toContain(review.taskId);
    const riskQueue = (await api.call('GET', '/api/tasks?queue=review', { as: 'risk' })).body.tasks;
    expect(riskQueue).toContainEqual(expect.objectContaining({ taskId: review.taskId, contactNow: null, warningLevel: 'INTERMEDIATE' }));
    expectProblem(await api.call('POST', `/api/tasks/${review.taskId}/outcome`, { as: 'agent', body: { outcome: 'REACHED' } }), 403);
    expect(
      (await api.call('POST', `/api/tasks/${review.taskId}/outcome`, { as: 'risk', body: { outcome: 'REACHED', notes: 'restructure approved' } })).status,
    ).toBe(200);

    expectProblem(await api.call('POST', '/api/loans/API-2/events', { as: 'risk', body: { type: 'CONTACT_CHANGED' } }), 400, ['phone']);
    expectProblem(await api.call('POST', '/api/loans/API-2/events', { as: 'risk', body: { type: 'LOTTERY_WIN' } }), 400, ['type']);
  });
});

describe('legal referrals', () => {
  it('lists a case for the legal team and downloads its package', async () => {
    expect((await api.call('POST', '/api/loans', { body: body('API-3') })).status).toBe(201);
    expect((await api.call('POST', '/api/loans/API-3/events', { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['evasion'] } })).status).toBe(202);
    const list = await api.call('GET', '/api/referrals', { as: 'legal' });
    expect(list.status).toBe(200);
    expect(referralListSchema.parse(list.body).referrals).toContainEqual(
      expect.objectContaining({ caseId: 'CASE-API-3', loanId: 'API-3', warningLevel: 'ADVANCED', principal: 36000 }),
    );

    const pkg = await api.call('GET', '/api/referrals/CASE-API-3/package', { as: 'legal' });
    expect(pkg.status).toBe(200);
    expect(pkg.headers.get('content-disposition')).toBe('attachment; filename="CASE-API-3.json"');
    expect(casePackageSchema.parse(pkg.body)).toMatchObject({ caseId: 'CASE-API-3', contact: { phone: '+8613812345678' } });
    expectProblem(await api.call('GET', '/api/referrals/CASE-NOPE/package', { as: 'legal' }), 404, ['caseId']);
    expectProblem(await api.call('GET', '/api/referrals', { as: 'agent' }), 403);
  });
});

describe('POST /api/loans/import', () => {
  const header = 'loanId,product,riskRating,principal,annualRate,termMonths,disbursedAt,timezone,phone,email,locale,borrowerType,payments,reports,answerRate';
  const row = (id: string, principal = 20000) =>
    `${id},consumer,low,${principal},0.1,12,2026-01-05T10:00:00+08:00,Asia/Shanghai,+8613800000111,imp@example.com,zh-CN,individual,P P X,,1`;

  it('onboards the valid rows paced, and reports every row', async () => {
    // A loan already onboarded, that a row with another principal conflicts with.
    await onboarded(api, { loanId: 'IMP-0' });
    const csv = [
      header,
      row('IMP-1'),
      row('IMP-2'),
      'IMP-3,consumer,low,-1,0.1,12,2026-01-05T10:00:00+08:00,Nowhere/City,+86,x,zh-CN,individual,,,',
      row('IMP-1'),
      row('IMP-0', 1),
      'too,few',
    ].join('\n');
    const answer = await api.call('POST', '/api/loans/import', { as: 'admin', username: 'ann', body: csv });
    expect(answer.status).toBe(200);
    const report = importReportSchema.parse(answer.body);
    expect(report).toMatchObject({ rows: 6, created: 2, existing: 0, rejected: 4, startsPerSecond: 50 });
    expect(report.report.map((r) => [r.line, r.loanId, r.status])).toEqual([
      [2, 'IMP-1', 'CREATED'],
      [3, 'IMP-2', 'CREATED'],
      [4, 'IMP-3', 'INVALID'],
      [5, 'IMP-1', 'INVALID'],
      [6, 'IMP-0', 'CONFLICT'],
      [7, null, 'INVALID'],
    ]);
    expect(report.report[2]!.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['principal', 'timezone', 'phone', 'email']));
    expect(report.report[3]!.errors).toEqual([{ field: 'loanId', reason: 'duplicate of line 2' }]);
    expect((await api.app.store.getLoan('IMP-1'))?.loan.onboardedBy).toBe('ann');

    const again = await api.call('POST', '/api/loans/import', { as: 'admin', body: [header, row('IMP-1')].join('\n') });
    expect(again.body).toMatchObject({ created: 0, existing: 1 });
    expectProblem(await api.call('POST', '/api/loans/import', { as: 'admin', body: '{}', contentType: 'application/json' }), 415);
    expectProblem(
      await api.call('POST', '/api/loans/import', { as: 'admin', body: [header, ...Array.from({ length: 501 }, (_, i) => row(`BIG-${i}`))].join('\n') }),
      413,
      ['(body)'],
    );
  });
});

describe('auth matrix', () => {
  // Its own loans, only read: AUTH-1 active, AUTH-2 referred to the legal team (case CASE-AUTH-2).
  beforeAll(async () => {
    await onboarded(api, { loanId: 'AUTH-1' });
    await onboarded(api, { loanId: 'AUTH-2' });
    expect((await api.call('POST', '/api/loans/AUTH-2/events', { as: 'risk', body: { type: 'HARDSHIP_REPORTED', findings: ['evasion'] } })).status).toBe(202);
    await api.app.runtime.whenIdle();
    expect((await api.call('GET', '/api/referrals/CASE-AUTH-2/package', { as: 'legal' })).status).toBe(200);
  });

  // A request per route that passes validation far enough to show the group check was passed.
  const probes: Record<string, { path: string; body?: unknown; contentType?: string }> = {
    onboardLoan: { path: '/api/loans', body: {} },
    importLoans: { path: '/api/loans/import', body: 'loanId\n', contentType: 'text/csv' },
    getLoan: { path: '/api/loans/AUTH-1' },
    recordPayment: { path: '/api/loans/AUTH-1/payments', body: {} },
    reportLoanEvent: { path: '/api/loans/AUTH-1/events', body: {} },
    createLoanTask: { path: '/api/loans/AUTH-1/tasks', body: {} },
    changeRiskRating: { path: '/api/loans/AUTH-1/risk-rating', body: {} },
    previewRestructure: { path: '/api/loans/AUTH-1/restructure/preview', body: {} },
    restructureLoan: { path: '/api/loans/AUTH-1/restructure', body: {} },
    listTasks: { path: '/api/tasks' },
    recordTaskOutcome: { path: '/api/tasks/AUTH-1.NOPE/outcome', body: {} },
    listReferrals: { path: '/api/referrals' },
    getReferralPackage: { path: '/api/referrals/CASE-AUTH-2/package' },
    recordLegalEvent: { path: '/api/referrals/CASE-AUTH-2/events', body: {} },
  };
  const expected: Record<string, Group[]> = {
    onboardLoan: ['admin'],
    importLoans: ['admin'],
    getLoan: ['agent', 'senior', 'risk', 'legal', 'admin'],
    recordPayment: ['risk', 'admin'],
    reportLoanEvent: ['risk', 'admin'],
    // Reviews only for risk and admin: the handler checks the purpose's queue (steering-api.test.ts).
    createLoanTask: ['agent', 'senior', 'risk', 'admin'],
    changeRiskRating: ['risk', 'admin'],
    previewRestructure: ['risk', 'admin'],
    restructureLoan: ['risk', 'admin'],
    // Every queue worker; the handlers check the groups of each queue (collections-api.test.ts).
    listTasks: ['agent', 'senior', 'risk', 'legal', 'admin'],
    recordTaskOutcome: ['agent', 'senior', 'risk', 'legal', 'admin'],
    listReferrals: ['legal', 'admin'],
    getReferralPackage: ['legal', 'admin'],
    recordLegalEvent: ['legal', 'admin'],
  };

  // The borrowers' unsubscribe link is the only public route: its own proof is tested in unsubscribe.test.ts.
  const staffRoutes = (ROUTES as readonly RouteSpec[]).filter((r) => !r.public);

  it('covers every route of the table', () => {
    expect(Object.keys(probes).sort()).toEqual(staffRoutes.map((r) => r.operationId).sort());
    expect(ROUTES.filter((r) => !staffRoutes.includes(r)).map((r) => r.path)).toEqual(['/api/unsubscribe', '/api/unsubscribe']);
    for (const route of staffRoutes) expect([...route.groups].sort(), route.operationId).toEqual([...expected[route.operationId]!].sort());
  });

  for (const route of staffRoutes) {
    it(`${route.method} ${route.path}: 401 without a valid token, 403 outside ${expected[route.operationId]!.join('/')}`, async () => {
      const probe = probes[route.operationId]!;
      const send = (as: string | null) => api.call(route.method, probe.path, { as, body: probe.body, contentType: probe.contentType });
      expectProblem(await send(null), 401);
      expectProblem(await send('not.a.token'), 401);
      for (const group of GROUPS) {
        const answer = await send(group);
        if (expected[route.operationId]!.includes(group)) expect([401, 403], `${group} ${JSON.stringify(answer.body)}`).not.toContain(answer.status);
        else expectProblem(answer, 403);
      }
    });
  }

  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await api.call('GET', '/api/nothing', { as: 'admin' }), 404);
    expectProblem(await api.call('DELETE', '/api/loans/AUTH-1', { as: 'admin' }), 404);
  });
});

describe('GET /openapi.json', () => {
  it('documents every route from the same schemas, without the fields the server sets', async () => {
    const answer = await api.call('GET', '/openapi.json', { as: null });
    expect(answer.status).toBe(200);
    const doc = answer.body;
    expect(doc.openapi).toBe('3.1.0');
    for (const route of ROUTES) {
      const operation = doc.paths[route.path][route.method.toLowerCase()];
      expect(operation.operationId).toBe(route.operationId);
      expect(operation['x-groups']).toEqual(route.groups);
      if ((route as RouteSpec).public) expect([operation.security, operation.responses['401']]).toEqual([[], undefined]);
      else expect(operation.responses['401'].content['application/problem+json']).toBeDefined();
    }
    const payment = doc.paths['/api/loans/{id}/payments'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(payment.properties).sort()).toEqual(['amount', 'paidAt', 'paymentId']);
    expect(payment.required).toEqual(['amount']);
    const outcome = doc.paths['/api/tasks/{id}/outcome'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(outcome.properties)).not.toContain('agentId');
    expect(outcome.properties.outcome.enum).toEqual(['REACHED', 'NO_ANSWER', 'WRONG_NUMBER', 'REFUSED']);
    expect(outcome.properties.decision.enum).toEqual(['refer', 'recall', 'restructure', 'continue']);
    expect(outcome.properties.recallDueDate).toBeDefined();
    for (const path of ['/api/loans/{id}/restructure/preview', '/api/loans/{id}/restructure']) {
      const restructure = doc.paths[path].post;
      expect(Object.keys(restructure.requestBody.content['application/json'].schema.properties).sort()).toEqual([
        'annualRate',
        'arrears',
        'extendMonths',
        'graceMonths',
        'requestId',
      ]);
      expect(restructure.requestBody.content['application/json'].schema.properties.arrears.enum).toEqual(['keep_due', 'capitalise']);
      expect(Object.keys(restructure.responses).sort()).toEqual([path.endsWith('preview') ? '200' : '202', '400', '401', '403', '404', '409', '500']);
      expect(restructure['x-groups']).toEqual(['risk', 'admin']);
    }
    const legal = doc.paths['/api/referrals/{caseId}/events'].post;
    expect(Object.keys(legal.requestBody.content['application/json'].schema.properties).sort()).toEqual(['amount', 'date', 'event', 'eventId']);
    expect(legal.requestBody.content['application/json'].schema.properties.event.enum).toEqual([
      'hearing_scheduled',
      'judgment',
      'settled',
      'recovered',
      'written_off',
    ]);
    expect(Object.keys(legal.responses).sort()).toEqual(['202', '400', '401', '403', '404', '409', '500']);
    const tasks = doc.paths['/api/tasks'].get;
    expect(tasks.parameters.find((p: { name: string }) => p.name === 'queue').schema).toBeDefined();
    expect(tasks.responses['200'].content['application/json'].schema.properties.tasks.items.properties.queue.enum).toEqual([
      'callback',
      'field',
      'collection_early',
      'collection_middle',
      'collection_late',
      'review',
      'legal',
    ]);
    expect((await api.call('GET', '/api/openapi.json', { as: null })).body).toEqual(doc);
  });
});
