// The HTTP adapter as AWS calls it: a payload 2.0 event whose claims the Cognito JWT authorizer filled in.
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { createHttpHandler, ORIGIN_VERIFY_HEADER, type HttpEvent, type RouteHandler } from '../../functions/http/http-handler.js';
import { principalFromClaims } from '../../functions/http/principal.js';
import { ROUTE } from '../../functions/http/routes.js';
import { getTasks } from '../../functions/http/get-tasks.js';
import { createDevTokens, DevLoginError } from '../../local/dev-tokens.js';
import { advanceFollowUp } from '../../workflows/domain/advance-follow-up.js';
import { initialState } from '../../workflows/domain/follow-up-state.js';
import { buildInstalmentSchedule } from '../../workflows/domain/schedule.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { testLoan } from '../support/loans.js';

const logger = new Logger({ logLevel: 'SILENT' });
const context = { functionName: 'api', awsRequestId: 'r1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(overrides: Partial<HttpEvent> & { claims?: Record<string, unknown> | null } = {}): HttpEvent {
  const { claims = { sub: 'u-1', username: 'li.na', 'cognito:groups': '[agent risk]' }, ...rest } = overrides;
  return {
    version: '2.0',
    routeKey: 'GET /api/tasks',
    rawPath: '/api/tasks',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: 'r1', http: { method: 'GET', path: '/api/tasks' }, ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}) },
    ...rest,
  } as unknown as HttpEvent;
}

describe('principalFromClaims', () => {
  it('reads groups as an array or as the HTTP API’s flattened string, and ignores unknown groups', () => {
    expect(principalFromClaims({ sub: 's', username: 'a', 'cognito:groups': ['legal', 'ops'] })).toEqual({ sub: 's', username: 'a', groups: ['legal'] });
    expect(principalFromClaims({ sub: 's', 'cognito:username': 'b', 'cognito:groups': '[admin agent]' })).toEqual({
      sub: 's',
      username: 'b',
      groups: ['agent', 'admin'],
    });
    expect(principalFromClaims({ sub: 's' })).toEqual({ sub: 's', username: 's', groups: [] });
    expect(() => principalFromClaims(undefined)).toThrow(/bearer token/);
  });
});

describe('createHttpHandler', () => {
  const echo: RouteHandler = async (request) => ({ status: 200, body: { user: request.principal.username, query: request.query } });

  it('hands the route the caller and the validated query', async () => {
    const handler = createHttpHandler(ROUTE.listTasks, echo, { logger });
    const result = await handler(event({ queryStringParameters: { purpose: 'COLLECTION,PERIODIC', limit: '5' } }), context);
    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(result.body!)).toEqual({ user: 'li.na', query: { purpose: ['COLLECTION', 'PERIODIC'], limit: 5 } });
  });

  it('answers 401 without claims and 403 outside the route’s groups, as problem details', async () => {
    const handler = createHttpHandler(ROUTE.listReferrals, echo, { logger });
    const unauthorized = await handler(event({ claims: null }), context);
    expect(unauthorized).toMatchObject({ statusCode: 401, headers: { 'content-type': 'application/problem+json' } });
    const forbidden = await handler(event(), context);
    expect(forbidden.statusCode).toBe(403);
    expect(JSON.parse(forbidden.body!)).toMatchObject({ type: '/problems/forbidden', title: 'Forbidden', status: 403, instance: '/api/tasks' });
  });

  it('hides what failed inside: a bare 500', async () => {
    const handler = createHttpHandler(
      ROUTE.listTasks,
      async () => {
        throw new Error('table loans-prod: secret detail');
      },
      { logger },
    );
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret');
    expect(JSON.parse(result.body!)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      detail: 'The request could not be completed; it has been logged.',
      instance: '/api/tasks',
      errors: [],
    });
  });

  it('reads a base64 JSON body and names a malformed one', async () => {
    const seen: unknown[] = [];
    const handler = createHttpHandler(ROUTE.recordTaskOutcome, async (request) => (seen.push(request.body), { status: 200, body: {} }), { logger });
    const body = Buffer.from(JSON.stringify({ outcome: 'REACHED' })).toString('base64');
    const ok = await handler(
      event({ headers: { 'content-type': 'application/json' }, body, isBase64Encoded: true, pathParameters: { id: 'L-1.FIRST_CONTACT' } }),
      context,
    );
    expect(ok.statusCode).toBe(200);
    expect(seen).toEqual([{ outcome: 'REACHED' }]);
    const bad = await handler(event({ headers: { 'Content-Type': 'application/json' }, body: '{', pathParameters: { id: 'L-1.FIRST_CONTACT' } }), context);
    expect(JSON.parse(bad.body!).errors).toEqual([{ field: '(body)', reason: 'must be valid JSON' }]);
    const badId = await handler(event({ headers: { 'content-type': 'application/json' }, body: '{}', pathParameters: { id: 'no-dot' } }), context);
    expect(JSON.parse(badId.body!).errors).toEqual([{ field: 'id', reason: 'must be a task id such as L-1.FIRST_CONTACT' }]);
  });

  it('runs a real route on its ports', async () => {
    const handler = createHttpHandler(
      ROUTE.listTasks,
      getTasks({ store: new MemoryLoanStore(), clock: () => new Date('2026-01-05T02:00:00Z'), policies: (product) => loadAllPolicies()[product] }),
      { logger },
    );
    const result = await handler(event(), context);
    expect(JSON.parse(result.body!)).toEqual({
      now: '2026-01-05T02:00:00.000Z',
      queues: ['callback', 'field', 'collection_early', 'collection_middle', 'collection_late', 'review'],
      tasks: [],
    });
  });
});

describe('the origin secret CloudFront adds (the API called around CloudFront and its WAF)', () => {
  const secret = 'c0ffee'.repeat(8);
  let called = 0;
  const counting: RouteHandler = async () => {
    called += 1;
    return { status: 200, body: {} };
  };

  it.each([
    ['no header', {}],
    ['a wrong value', { [ORIGIN_VERIFY_HEADER]: `${secret.slice(1)}x` }],
    ['a shorter value', { [ORIGIN_VERIFY_HEADER]: secret.slice(0, 8) }],
  ])('noncompliant: %s is refused with a 403 before the route runs, public route or not', async (_, headers) => {
    called = 0;
    for (const route of [ROUTE.listTasks, ROUTE.unsubscribe]) {
      const handler = createHttpHandler(route, counting, { logger, originSecret: secret });
      const answer = await handler(event({ headers, claims: route.public ? null : undefined }), context);
      expect(answer.statusCode, route.operationId).toBe(403);
      expect(JSON.parse(answer.body!).detail).toContain('only through the console');
    }
    expect(called).toBe(0);
  });

  it('compliant: the request CloudFront forwarded, with the secret, reaches the route', async () => {
    const handler = createHttpHandler(ROUTE.listTasks, counting, { logger, originSecret: secret });
    expect((await handler(event({ headers: { [ORIGIN_VERIFY_HEADER]: secret } }), context)).statusCode).toBe(200);
  });

  it('is not checked where no secret is configured (the local server, npm start)', async () => {
    const before = process.env.ORIGIN_VERIFY_SECRET;
    delete process.env.ORIGIN_VERIFY_SECRET;
    try {
      expect((await createHttpHandler(ROUTE.listTasks, counting, { logger })(event(), context)).statusCode).toBe(200);
    } finally {
      if (before !== undefined) process.env.ORIGIN_VERIFY_SECRET = before;
    }
  });
});

describe('dev tokens', () => {
  let now = Date.parse('2026-01-05T00:00:00Z');
  const tokens = createDevTokens({ now: () => now });

  it('verifies what it issued, as the claims Cognito would give', () => {
    const { token, claims } = tokens.issue('li.na', 'agent');
    expect(tokens.verify(token)).toEqual(claims);
    expect(principalFromClaims(tokens.verify(token))).toEqual({ sub: 'dev-li.na', username: 'li.na', groups: ['agent'] });
  });

  it('refuses a changed, foreign or expired token, and a bad name or group', () => {
    const { token } = tokens.issue('li.na', 'agent');
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(Buffer.from(payload!, 'base64url').toString().replace('"agent"', '"admin"')).toString('base64url');
    expect(tokens.verify(`${header}.${forged}.${signature}`)).toBeUndefined();
    expect(createDevTokens().verify(token)).toBeUndefined();
    expect(tokens.verify('a.b')).toBeUndefined();
    now += 13 * 3600_000;
    expect(tokens.verify(token)).toBeUndefined();
    expect(() => tokens.issue('li na', 'agent')).toThrow(DevLoginError);
    expect(() => tokens.issue('li', 'boss' as never)).toThrow(/group: must be one of agent, senior, risk, legal, admin/);
  });
});

describe('a loan whose first step comes weeks after its disbursement (an import)', () => {
  it('writes each task once per step, even one created and re-queued in the same step', () => {
    const loan = testLoan({ loanId: 'OLD-1' });
    const now = '2026-02-04T03:00:00.000Z';
    const decision = advanceFollowUp(
      { snapshot: { loan, instalments: buildInstalmentSchedule(loan), state: initialState(now), openTasks: [] }, events: [], now, generation: 0, iteration: 0 },
      loadAllPolicies().consumer,
    );
    const written = decision.effects.flatMap((e) => (e.kind === 'CREATE_TASK' || e.kind === 'UPDATE_TASK' ? [e.task.taskId] : []));
    expect(new Set(written).size).toBe(written.length);
    expect(decision.effects).toContainEqual({ kind: 'CREATE_TASK', task: expect.objectContaining({ taskId: 'OLD-1.FIRST_CONTACT', requeues: 1 }) });
  });
});
