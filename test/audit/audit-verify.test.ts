// The chain as the product writes it: a real story on DynamoDB Local, then tampering with a stored record.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeVerdict, verifyLoanChain } from '../../local/audit-verify.js';
import { createLocalDynamoClient, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { loanRequest, runStory, type StoryResult } from '../support/story-harness.js';

let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>>;
let story: StoryResult;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  story = await runStory(dynamo.endpoint, loanRequest({ loanId: 'AUDIT-1', termMonths: 12 }), { payments: 'P L4 M' }, 5);
});

afterAll(async () => {
  await story?.app.stop();
  await dynamo?.stop();
});

describe('audit chain of a loan', () => {
  it('covers every contact, outcome and state change, and verifies', async () => {
    const types = new Set(story.timeline.map((e) => e.type));
    for (const type of ['LOAN_ONBOARDED', 'MESSAGE_SENT', 'CALLBACK_CREATED', 'CALLBACK_COMPLETED', 'PAYMENT_RECEIVED', 'CLASSIFICATION_CHANGED'])
      expect(types).toContain(type);
    expect(story.timeline.every((e) => typeof e.seq === 'number' && typeof e.hash === 'string')).toBe(true);
    const verdict = await verifyLoanChain(story.app.store, 'AUDIT-1');
    expect(verdict).toMatchObject({ ok: true, links: story.timeline.length });
    expect(describeVerdict('AUDIT-1', verdict)).toMatch(/intact/);
  });

  it("names a deleted tail: the newest record removed from the table, the loan's head still pointing past it", async () => {
    const last = story.timeline.reduce((a, b) => ((b.seq as number) > (a.seq as number) ? b : a));
    const db = createLocalDynamoClient(dynamo.endpoint);
    const tableName = (story.app.store as unknown as { tableName: string }).tableName;
    const key = { pk: 'LOAN#AUDIT-1', sk: `EVT#${last.at}#${last.key}` };
    const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key }));
    await db.send(new DeleteCommand({ TableName: tableName, Key: key }));
    const verdict = await verifyLoanChain(story.app.store, 'AUDIT-1');
    expect(verdict).toMatchObject({ ok: false, brokenAt: { seq: (last.seq as number) - 1, reason: expect.stringContaining('newest records were deleted') } });
    // Put back for the next test.
    await db.send(new PutCommand({ TableName: tableName, Item }));
    db.destroy();
    expect((await verifyLoanChain(story.app.store, 'AUDIT-1')).ok).toBe(true);
  });

  it('names the first record someone altered in the table', async () => {
    const victim = story.timeline.find((e) => e.type === 'PAYMENT_RECEIVED')!;
    const db = createLocalDynamoClient(dynamo.endpoint);
    const tableName = (story.app.store as unknown as { tableName: string }).tableName;
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `LOAN#AUDIT-1`, sk: `EVT#${victim.at}#${victim.key}` },
        UpdateExpression: 'SET #e.amount = :a',
        ExpressionAttributeNames: { '#e': 'event' },
        ExpressionAttributeValues: { ':a': 1 },
      }),
    );
    db.destroy();
    const verdict = await verifyLoanChain(story.app.store, 'AUDIT-1');
    expect(verdict).toMatchObject({ ok: false, brokenAt: { seq: victim.seq, key: victim.key } });
    expect(describeVerdict('AUDIT-1', verdict)).toContain(`BROKEN at record ${victim.seq}`);
  });
});
