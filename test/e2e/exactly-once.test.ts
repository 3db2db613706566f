// End to end on the local engine: a Lambda that dies around a send is retried by the state machine, and the
// message still goes out exactly once (the outbox is the local provider and answers for in-doubt sends).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startLocalApp } from '../../local/local-app.js';
import type { OutboxEntry, OutboxSink } from '../../local/outbox-senders.js';
import { runPortfolio } from '../../local/run-portfolio.js';
import { behaviour } from '../../local/world/borrower-behaviour.js';
import { SimulatedWorld } from '../../local/world/simulated-world.js';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { loanRequest } from '../support/loans.js';

let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>>;
let tables = 0;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
});

afterAll(async () => {
  await dynamo?.stop();
});

/** What Lambda reports when a function runs out of time; the definition retries AdvanceLoan on it. */
const lambdaTimeout = () => Object.assign(new Error('Task timed out after 30.00 seconds'), { name: 'Sandbox.Timedout' });

/**
 * An outbox whose first message of `purpose` on `channel` ends its Lambda: `after` the provider took it (the
 * message is in the outbox, the handler never learns its id) or `before`.
 */
function crashingOutbox(channel: OutboxEntry['channel'], purpose: string, when: 'after' | 'before') {
  const entries: OutboxEntry[] = [];
  let crashes = 0;
  const sink: OutboxSink = {
    append(entry) {
      const crash = crashes === 0 && entry.channel === channel && entry.purpose === purpose;
      if (crash) crashes += 1;
      if (crash && when === 'before') throw lambdaTimeout();
      entries.push(entry);
      if (crash) throw lambdaTimeout();
    },
    find: (messageId) => entries.find((e) => e.messageId === messageId),
  };
  return { sink, entries, crashes: () => crashes };
}

async function runLoan(
  loanId: string,
  outbox: OutboxSink,
  script: Parameters<typeof behaviour>[0] = {},
): Promise<{ timeline: TimelineEvent[]; flagged: boolean }> {
  const request = loanRequest({ loanId, termMonths: 6 });
  const start = new Date(request.disbursedAt);
  const until = new Date(start.getTime() + 40 * 86_400_000);
  const behaviours = new Map([[loanId, behaviour(script)]]);
  const app = await startLocalApp({
    endpoint: dynamo.endpoint,
    tableName: `exactly-once-${process.pid}-${++tables}`,
    time: { kind: 'virtual', start, until },
    outbox,
    world: ({ store, api }) => new SimulatedWorld(store, api, behaviours, 5),
  });
  try {
    await runPortfolio(app, [{ line: 1, request, behaviour: behaviours.get(loanId)! }], until);
    const view = await app.store.getLoanView(loanId);
    return { timeline: await app.store.listTimeline(loanId), flagged: view?.flagged !== undefined };
  } finally {
    await app.stop();
  }
}

const welcomeSms = (entries: OutboxEntry[]) => entries.filter((m) => m.channel === 'SMS' && m.purpose === 'WELCOME');
const sentRecords = (timeline: TimelineEvent[], key: string) => timeline.filter((e) => e.type === 'MESSAGE_SENT' && e.key === `MESSAGE_SENT:${key}`);

describe('a Lambda that times out around a send', () => {
  it('after the provider took the message: retried, the message is in the outbox once and MESSAGE_SENT recorded once', async () => {
    const outbox = crashingOutbox('SMS', 'WELCOME', 'after');
    const { timeline, flagged } = await runLoan('ONCE-AFTER', outbox.sink);
    expect(outbox.crashes()).toBe(1);
    expect(welcomeSms(outbox.entries)).toHaveLength(1);
    const sent = sentRecords(timeline, 'WELCOME:SMS');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ messageId: welcomeSms(outbox.entries)[0]!.messageId });
    // The step carried on: the welcome email and the first-contact task came with it, and nothing was flagged.
    expect(outbox.entries.filter((m) => m.channel === 'EMAIL' && m.purpose === 'WELCOME')).toHaveLength(1);
    expect(timeline.filter((e) => e.type === 'CALLBACK_CREATED' && String(e.taskId).endsWith('.FIRST_CONTACT'))).toHaveLength(1);
    expect(flagged).toBe(false);
    const keys = timeline.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('before the provider took the message: retried, the message goes on the retry, once', async () => {
    const outbox = crashingOutbox('SMS', 'WELCOME', 'before');
    const { timeline, flagged } = await runLoan('ONCE-BEFORE', outbox.sink);
    expect(outbox.crashes()).toBe(1);
    expect(welcomeSms(outbox.entries)).toHaveLength(1);
    expect(sentRecords(timeline, 'WELCOME:SMS')).toHaveLength(1);
    expect(flagged).toBe(false);
  });

  it('after a team notification went to its topic: the supervisors hear of it once', async () => {
    // Nobody answers the first-contact call: 7 days later the supervisors are told, and the Lambda dies.
    const outbox = crashingOutbox('TEAM', 'OVERDUE', 'after');
    const { timeline, flagged } = await runLoan('ONCE-TEAM', outbox.sink, { answerRate: 0 });
    const team = outbox.entries.filter((m) => m.channel === 'TEAM');
    expect(outbox.crashes()).toBe(1);
    expect(team.length).toBeGreaterThan(0);
    expect(new Set(team.map((m) => m.messageId)).size).toBe(team.length);
    expect(timeline.filter((e) => e.type === 'TEAM_NOTIFIED')).toHaveLength(team.length);
    expect(flagged).toBe(false);
  });
});
