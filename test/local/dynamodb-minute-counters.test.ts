// The pacing counters on DynamoDB Local behave as the in-memory ones: the same slots for the same calls, and
// never one slot twice, however many steps ask at once.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoMinuteCounters } from '../../functions/adapters/dynamo-minute-counters.js';
import { keys } from '../../functions/adapters/table-keys.js';
import { createSendPacer, type MinuteCounters } from '../../functions/pacing/send-pacer.js';
import { MemoryMinuteCounters } from '../../local/adapters/memory-minute-counters.js';
import { createLocalDynamoClient, ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';

const TABLE = 'minute-counters-test';
let server: DynamoDbLocal;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  server = await startDynamoDbLocal();
  db = createLocalDynamoClient(server.endpoint);
  await ensureTable(db, TABLE);
});

afterAll(async () => {
  db?.destroy();
  await server?.stop();
});

const MINUTE = '2026-03-05T02:00:00.000Z';

describe('the pacing counters on DynamoDB Local', () => {
  it('hands out the same slots as the in-memory counters for the same calls', async () => {
    const calls: [string, number, number][] = [
      ['SMS#a', 3, 0],
      ['SMS#a', 3, 0],
      ['SMS#b', 3, 2],
      ['SMS#a', 3, 0],
      ['SMS#a', 3, 0],
      ['SMS#b', 3, 0],
      ['SMS#b', 3, 0],
      ['SMS#c', 5, 1],
      ['SMS#c', 5, 3],
      ['SMS#c', 5, 0],
      // The first slot not gone by is past the minute's last: the minute is full for this caller.
      ['SMS#d', 4, 4],
      ['SMS#d', 4, 0],
    ];
    const run = async (counters: MinuteCounters) => {
      const out: (number | null)[] = [];
      for (const [key, capacity, from] of calls) out.push(await counters.take(key, MINUTE, capacity, from));
      return out;
    };
    const dynamo = await run(new DynamoMinuteCounters(db, TABLE));
    expect(dynamo).toEqual(await run(new MemoryMinuteCounters()));
    expect(dynamo).toEqual([0, 1, 2, 2, null, null, null, 1, 3, 4, null, 0]);
  });

  it('never gives one slot twice to steps asking at the same moment', async () => {
    const counters = new DynamoMinuteCounters(db, TABLE);
    const taken = await Promise.all(Array.from({ length: 40 }, () => counters.take('EMAIL#race', MINUTE, 25, 0)));
    const granted = taken.filter((t): t is number => t !== null).sort((a, b) => a - b);
    expect(granted).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(taken.filter((t) => t === null)).toHaveLength(15);
  });

  it('keeps one item a minute per identity, in its own partition, with an expiry', async () => {
    const pacer = createSendPacer(new DynamoMinuteCounters(db, TABLE), {
      SMS: { identity: 'long-code', perSecond: 10 },
      EMAIL: { identity: 'ses', perSecond: 14 },
    });
    await pacer.reserve('SMS', '2026-03-05T03:00:10.000Z');
    const item = (await db.send(new GetCommand({ TableName: TABLE, Key: keys.paceCounter('SMS#long-code', '2026-03-05T03:00:00.000Z') }))).Item;
    expect(item).toMatchObject({ pk: 'PACE#SMS#long-code', sk: '2026-03-05T03:00:00.000Z', taken: 101 });
    expect(item!.expiresAt).toBe(Date.parse('2026-03-06T03:00:00.000Z') / 1000);
  });
});
