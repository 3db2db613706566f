// The local app with the operations API on a paused demo clock, and a small HTTP client for it.
import { expect } from 'vitest';
import { problemSchema } from '../../functions/http/http-schemas.js';
import { GROUPS, type Group } from '../../functions/http/principal.js';
import { DemoClock } from '../../local/demo-clock.js';
import { startLocalApp, type LocalApi, type LocalApp } from '../../local/local-app.js';
import type { LoanStore } from '../../functions/ports.js';
import { borrowersOnly, startLocalOperations } from '../../local/operations.js';
import type { OutboxEntry } from '../../local/outbox-senders.js';
import type { PortfolioRow } from '../../local/portfolio-file.js';
import { runPortfolio } from '../../local/run-portfolio.js';
import { SimulatedWorld } from '../../local/world/simulated-world.js';
import { loanRequestBody, type LoanRequestBody } from './loans.js';

let tables = 0;
const DAY = 86_400_000;

export interface ApiAnswer {
  status: number;
  contentType: string;
  headers: Headers;
  body: any;
}

export interface OperationsHarness {
  app: LocalApp;
  demo: DemoClock;
  url: string;
  outbox: OutboxEntry[];
  token(group: Group, username?: string): string;
  call(method: string, path: string, options?: { as?: Group | string | null; body?: unknown; contentType?: string; username?: string }): Promise<ApiAnswer>;
  stop(): Promise<void>;
}

/**
 * `portfolio`: loans onboarded each at its own disbursement (run up to `start`), their borrowers paying as
 * scripted; the tasks are left to whoever uses the API, as in `npm start`.
 */
export async function startOperationsHarness(options: { start: string; endpoint?: string; portfolio?: PortfolioRow[] }): Promise<OperationsHarness> {
  const outbox: OutboxEntry[] = [];
  const start = new Date(options.start);
  const app = await startLocalApp({
    ...(options.endpoint ? { endpoint: options.endpoint, tableName: `api-${process.pid}-${++tables}` } : { store: 'memory' as const }),
    time: { kind: 'virtual', start, until: start },
    outbox: { append: (entry) => void outbox.push(entry) },
    ...(options.portfolio
      ? {
          world: ({ store, api }: { store: LoanStore; api: LocalApi }) =>
            new SimulatedWorld(borrowersOnly(store), api, new Map(options.portfolio!.map((r) => [r.request.loanId, r.behaviour])), 1),
        }
      : {}),
  });
  if (options.portfolio) await runPortfolio(app, options.portfolio, start);
  const demo = new DemoClock({ app, start, paused: true, secondsPerDay: 3 });
  const server = await startLocalOperations(app, { demo, port: 0 });
  const token = (group: Group, username = `${group}-user`) => server.tokens.issue(username, group).token;
  return {
    app,
    demo,
    url: server.url,
    outbox,
    token,
    async call(method, path, { as = 'admin', body, contentType, username } = {}) {
      const headers: Record<string, string> = {};
      if (as) headers.authorization = `Bearer ${(GROUPS as readonly string[]).includes(as) ? token(as as Group, username) : as}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers['content-type'] = contentType ?? (typeof body === 'string' ? 'text/csv' : 'application/json');
      }
      const response = await fetch(new URL(path, server.url), { method, headers, body: payload });
      const text = await response.text();
      const type = response.headers.get('content-type') ?? '';
      return { status: response.status, contentType: type, headers: response.headers, body: type.includes('json') && text ? JSON.parse(text) : text };
    },
    async stop() {
      await demo.stop();
      await server.close();
      await app.stop();
    },
  };
}

/** A refusal as the API gives it: problem details with this status, naming exactly `fields`, each with its reason. */
export function expectProblem(answer: ApiAnswer, status: number, fields: string[] = []): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.contentType).toContain('application/problem+json');
  expect(problemSchema.parse(answer.body)).toMatchObject({ status });
  expect(answer.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
  for (const e of answer.body.errors as { reason: string }[]) expect(e.reason.length).toBeGreaterThan(3);
}

/** Everything the API could have written for a loan (record, timeline, inbox, tasks, schedule): equal before and after means nothing was. */
export async function writtenFor(store: LoanStore, loanId: string): Promise<string> {
  return JSON.stringify([
    await store.getLoan(loanId),
    await store.listTimeline(loanId),
    await store.listInbox(loanId),
    await store.listTasks(loanId),
    (await store.getSnapshot(loanId))?.instalments,
  ]);
}

/**
 * Onboards a loan of its own for a test: the test loan's body (loanRequestBody) with `overrides`, sent by an admin
 * (`username` if given), then waits until the loan's first steps are done. A test that onboards what it uses
 * stands alone: run by itself or after any other, it finds its loan as it left it.
 */
export async function onboarded(api: OperationsHarness, overrides: Partial<LoanRequestBody> & { loanId: string }, username?: string): Promise<string> {
  const answer = await api.call('POST', '/api/loans', { as: 'admin', username, body: loanRequestBody(overrides) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  await api.app.runtime.whenIdle();
  return overrides.loanId;
}

/**
 * Moves the demo clock, shared by every test of the file, forward to `at` (whole days from its now) and waits
 * until the loans are idle: a test that needs the clock on a given day gets it whether it runs alone or after
 * tests that moved the clock less far. The clock never goes back, so a test that reads it at the start (the day
 * the test loans are paid out) must come before every test that moves it.
 */
export async function advanceTo(api: OperationsHarness, at: string): Promise<void> {
  const now = api.demo.state().now;
  const days = (Date.parse(at) - Date.parse(now)) / DAY;
  expect(Number.isInteger(days) && days >= 0, `the demo clock is at ${now}: it cannot move to ${at}`).toBe(true);
  await api.demo.advance(days);
  await api.app.runtime.whenIdle();
}
