// Local data lives in a folder: a second run on it carries on where the first stopped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalApp } from '../../local/local-app.js';
import type { OutboxEntry } from '../../local/outbox-senders.js';
import { runPortfolio } from '../../local/run-portfolio.js';
import { behaviour } from '../../local/world/borrower-behaviour.js';
import { SimulatedWorld } from '../../local/world/simulated-world.js';
import { loanRequest } from '../support/loans.js';

const dataDir = mkdtempSync(join(tmpdir(), 'loan-followup-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const request = loanRequest({ loanId: 'RESTART-1', termMonths: 12 });
const rows = [{ line: 2, request, behaviour: behaviour({}) }];
const behaviours = new Map([[request.loanId, rows[0]!.behaviour]]);

async function runUntil(until: string, outbox: OutboxEntry[]) {
  const app = await startLocalApp({
    dataDir,
    time: { kind: 'virtual', start: new Date(request.disbursedAt), until: new Date(until) },
    outbox: { append: (e) => void outbox.push(e) },
    world: ({ store, api }) => new SimulatedWorld(store, api, behaviours, 3),
  });
  try {
    const result = await runPortfolio(app, rows, new Date(until));
    return { result, timeline: await app.store.listTimeline(request.loanId) };
  } finally {
    await app.stop();
  }
}

describe('a restart on the same data folder', () => {
  it('resumes the loan from its last step without repeating anything', async () => {
    const first: OutboxEntry[] = [];
    const before = await runUntil('2026-03-01T00:00:00Z', first);
    expect(before.result).toEqual({ onboarded: 1, resumed: 0 });
    expect(before.timeline.filter((e) => e.type === 'PAYMENT_RECEIVED')).toHaveLength(1);

    const second: OutboxEntry[] = [];
    const after = await runUntil('2026-05-01T00:00:00Z', second);
    expect(after.result).toEqual({ onboarded: 0, resumed: 1 });
    expect(after.timeline.filter((e) => e.type === 'PAYMENT_RECEIVED')).toHaveLength(3);
    expect(second.filter((m) => m.purpose === 'WELCOME')).toHaveLength(0);
    expect(second.every((m) => m.at >= '2026-03-01')).toBe(true);
    const keys = after.timeline.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
