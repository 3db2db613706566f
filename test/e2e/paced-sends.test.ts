// The paced path end to end: the synthesized definition on the local engine, the handlers in-process, the
// counters on DynamoDB Local. Five loans disbursed at the same instant share an SMS identity allowed one
// message a minute: each welcome SMS waits its turn, goes once, and the wait is on the timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startLocalApp } from '../../local/local-app.js';
import type { OutboxEntry } from '../../local/outbox-senders.js';
import { runPortfolio } from '../../local/run-portfolio.js';
import { behaviour } from '../../local/world/borrower-behaviour.js';
import { SimulatedWorld } from '../../local/world/simulated-world.js';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { loanRequest } from '../support/loans.js';

let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>>;
const LOANS = ['PACE-1', 'PACE-2', 'PACE-3', 'PACE-4', 'PACE-5'];
const outbox: OutboxEntry[] = [];
const timelines = new Map<string, TimelineEvent[]>();
const flagged: string[] = [];

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  const requests = LOANS.map((loanId) => loanRequest({ loanId, termMonths: 6 }));
  const start = new Date(requests[0]!.disbursedAt);
  const until = new Date(start.getTime() + 2 * 86_400_000);
  const behaviours = new Map(LOANS.map((id) => [id, behaviour({})]));
  const app = await startLocalApp({
    endpoint: dynamo.endpoint,
    tableName: `paced-${process.pid}`,
    time: { kind: 'virtual', start, until },
    outbox: { append: (entry) => void outbox.push(entry) },
    pacing: { SMS: { identity: 'long-code', perSecond: 1 / 60 }, EMAIL: { identity: 'ses', perSecond: 14 } },
    world: ({ store, api }) => new SimulatedWorld(store, api, behaviours, 5),
  });
  try {
    await runPortfolio(
      app,
      requests.map((request, i) => ({ line: i + 1, request, behaviour: behaviours.get(request.loanId)! })),
      until,
    );
    for (const loanId of LOANS) {
      timelines.set(loanId, await app.store.listTimeline(loanId));
      if ((await app.store.getLoanView(loanId))?.flagged) flagged.push(loanId);
    }
  } finally {
    await app.stop();
  }
}, 120_000);

afterAll(async () => {
  await dynamo?.stop();
});

describe('five loans on an SMS identity of one message a minute', () => {
  it('sends every welcome SMS once, one a minute, and every email at once', () => {
    const sms = outbox.filter((m) => m.channel === 'SMS' && m.purpose === 'WELCOME');
    expect(sms.map((m) => m.loanId).sort()).toEqual(LOANS);
    const minutes = sms.map((m) => m.at.slice(0, 16)).sort();
    expect(new Set(minutes).size).toBe(5);
    const first = Date.parse(`${minutes[0]}:00Z`);
    expect(minutes.map((m) => (Date.parse(`${m}:00Z`) - first) / 60_000)).toEqual([0, 1, 2, 3, 4]);
    const emails = outbox.filter((m) => m.channel === 'EMAIL' && m.purpose === 'WELCOME');
    expect(new Set(emails.map((m) => m.at)).size).toBe(1);
    expect(flagged).toEqual([]);
  });

  it('records each wait as MESSAGE_DEFERRED with its slot, then MESSAGE_SENT at that slot', () => {
    const deferred = LOANS.flatMap((id) => timelines.get(id)!.filter((e) => e.type === 'MESSAGE_DEFERRED'));
    expect(deferred).toHaveLength(4);
    for (const wait of deferred) {
      expect(wait).toMatchObject({ channel: 'SMS', purpose: 'WELCOME', reason: 'RATE' });
      const sent = timelines.get(wait.loanId)!.filter((e) => e.type === 'MESSAGE_SENT' && e.channel === 'SMS' && e.purpose === 'WELCOME');
      expect(sent).toHaveLength(1);
      expect(Date.parse(sent[0]!.at)).toBe(Date.parse(String(wait.deferredUntil)));
    }
  });
});
