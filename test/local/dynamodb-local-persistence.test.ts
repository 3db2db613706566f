import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { createLocalDynamoClient, ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';

const TABLE = 'persistence-test';
const dataDir = mkdtempSync(join(tmpdir(), 'dynamodb-local-test-'));
const servers: DynamoDbLocal[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<DynamoDbLocal> {
  const server = await startDynamoDbLocal({ dataDir });
  servers.push(server);
  return server;
}

describe('DynamoDB Local with a data folder', () => {
  it('keeps items across a restart', async () => {
    const first = await start();
    const writer = createLocalDynamoClient(first.endpoint);
    await ensureTable(writer, TABLE);
    await writer.send(new PutCommand({ TableName: TABLE, Item: { pk: 'LOAN#1', sk: 'LOAN', status: 'ACTIVE' } }));
    writer.destroy();
    await first.stop();
    await first.stop(); // a second stop is harmless

    const second = await start();
    const reader = createLocalDynamoClient(second.endpoint);
    await ensureTable(reader, TABLE);
    const { Item } = await reader.send(new GetCommand({ TableName: TABLE, Key: { pk: 'LOAN#1', sk: 'LOAN' } }));
    reader.destroy();
    expect(Item).toEqual({ pk: 'LOAN#1', sk: 'LOAN', status: 'ACTIVE' });
  });
});

describe('start-up failures', () => {
  it('names the missing Java and how to install it', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dataDir, 'no-java-here');
    try {
      await expect(startDynamoDbLocal()).rejects.toThrow('Java 17 is required: apt-get install -y openjdk-17-jre-headless');
    } finally {
      process.env.PATH = path;
    }
  });

  it('reports the Java output when the server cannot start', async () => {
    const taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, listening));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startDynamoDbLocal({ port })).rejects.toThrow(/port \d+ is in use[\s\S]*Failed to bind/);
    } finally {
      taken.close();
    }
  });
});
