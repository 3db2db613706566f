import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countDynamoOperations } from '../../local/adapters/counting-dynamo-client.js';
import { DynamoLoanStore } from '../../functions/adapters/dynamo-loan-store.js';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import type { LoanStore } from '../../functions/ports.js';
import { createLocalDynamoClient, ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { callEvent, describeLoanStoreContract, testInstalments, contractLoan, testTask } from './loan-store-contract.js';

let server: DynamoDbLocal;
let tables = 0;

beforeAll(async () => {
  server = await startDynamoDbLocal({});
});

afterAll(async () => {
  await server?.stop();
});

async function freshTable(): Promise<{ db: DynamoDBDocumentClient; tableName: string; cleanup: () => Promise<void> }> {
  const db = createLocalDynamoClient(server.endpoint);
  const tableName = `loan-store-contract-${process.pid}-${++tables}`;
  await ensureTable(db, tableName);
  return {
    db,
    tableName,
    cleanup: async () => {
      await db.send(new DeleteTableCommand({ TableName: tableName }));
      db.destroy();
    },
  };
}

describeLoanStoreContract('DynamoLoanStore on DynamoDB Local', async () => {
  const { db, tableName, cleanup } = await freshTable();
  return { store: new DynamoLoanStore(db, tableName), cleanup };
});

describe('countDynamoOperations', () => {
  it('counts reads and writes by command, items for batches and transactions', async () => {
    const { db, tableName, cleanup } = await freshTable();
    try {
      const counts = countDynamoOperations(db);
      expect(counts).toEqual({ reads: 0, writes: 0 });
      await db.send(new PutCommand({ TableName: tableName, Item: { pk: 'P', sk: 'A' } }));
      await db.send(new GetCommand({ TableName: tableName, Key: { pk: 'P', sk: 'A' } }));
      await db.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'P' } }));
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName, Item: { pk: 'P', sk: 'B' } } },
            { Put: { TableName: tableName, Item: { pk: 'P', sk: 'C' } } },
            { Delete: { TableName: tableName, Key: { pk: 'P', sk: 'A' } } },
          ],
        }),
      );
      expect(counts).toEqual({ reads: 2, writes: 4 });
    } finally {
      await cleanup();
    }
  });

  it('agrees with MemoryLoanStore stats for the same work', async () => {
    const { db, tableName, cleanup } = await freshTable();
    try {
      const counts = countDynamoOperations(db);
      const memory = new MemoryLoanStore();
      await sameWork(new DynamoLoanStore(db, tableName));
      await sameWork(memory);
      expect(counts).toEqual(memory.stats);
      expect(counts.reads).toBeGreaterThan(5);
    } finally {
      await cleanup();
    }
  });
});

/** A loan's first days, touching most of the store (including refused writes, which are billed too). */
async function sameWork(store: LoanStore): Promise<void> {
  const now = '2026-03-02T02:00:00.000Z';
  await store.createLoan({
    loan: contractLoan(),
    contact: { phone: '+8613800138000', email: 'a@example.com' },
    instalments: testInstalments(),
    requestHash: 'h',
    now,
  });
  await store.createLoan({
    loan: contractLoan(),
    contact: { phone: '+8613800138000', email: 'a@example.com' },
    instalments: testInstalments(),
    requestHash: 'h',
    now,
  });
  await store.setWaitToken('L-100', 0, 'token');
  await store.appendInbox('L-100', { type: 'PAYMENT_RECEIVED', eventId: 'E1', at: now, amount: 100 });
  const snapshot = (await store.getSnapshot('L-100'))!;
  const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
  const decision = {
    state: { ...snapshot.state, done: ['TASK:FIRST_CONTACT'] },
    instalments: snapshot.instalments,
    changedInstalments: [1],
    effects: [{ kind: 'CREATE_TASK' as const, task }],
    timeline: Array.from({ length: 30 }, (_, n) => ({ loanId: 'L-100', at: now, type: 'T', key: `T:${n}` })),
    action: 'WAIT' as const,
    wakeAt: null,
  };
  await store.commitDecision('L-100', 0, decision, snapshot.inbox);
  await store.commitDecision('L-100', 0, decision, snapshot.inbox).catch(() => undefined);
  await store.claimSend('L-100', 'WELCOME:SMS', now);
  await store.claimSend('L-100', 'WELCOME:SMS', now);
  await store.markSent('L-100', 'WELCOME:SMS', 'm-1');
  const answer = { outcome: 'REACHED' as const, findings: [], final: true, at: now, by: 'agent' };
  await store.recordCallAttempt({ taskId: task.taskId, seenAttempts: 0, outcome: answer, event: callEvent(task.taskId, 1, answer) });
  await store.recordCallAttempt({ taskId: task.taskId, seenAttempts: 0, outcome: answer, event: callEvent(task.taskId, 1, answer) }).catch(() => undefined);
  await store.appendTimeline(Array.from({ length: 30 }, (_, n) => ({ loanId: 'L-100', at: now, type: 'U', key: `U:${n}` })));
  await store.updateContact('L-100', { email: 'b@example.com' });
  await store.markFlagged('L-100', 'x', now);
  await store.listTimeline('L-100');
  await store.listTasks('L-100');
  await store.listInbox('L-100');
  await store.listLoans();
  await store.getLoan('L-100');
  await store.getContact('L-100');
  await store.getWaitToken('L-100');
  await store.getTask(task.taskId);
  await store.getLegalCase('L-100');
}
