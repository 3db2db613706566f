// The chain as the product writes it: a real story on DynamoDB Local, then tampering with a stored record.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeAudit, describeVerdict, verifyAudit, verifyLoanChain, type AuditVerifyPorts } from '../../local/audit-verify.js';
import { chainEvents, GENESIS, type ChainedEvent } from '../../workflows/audit/hash-chain.js';
import { createLocalDynamoClient, startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { runStory, type StoryResult } from '../support/story-harness.js';
import { loanRequest } from '../support/loans.js';

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

describe('audit:verify end to end on DynamoDB Local: MAC and anchor', () => {
  const ports = (): AuditVerifyPorts => ({
    store: story.app.store,
    signer: story.app.audit.signer,
    anchors: story.app.audit.anchors,
    anchorSigner: story.app.audit.anchorSigner,
  });
  const table = () => (story.app.store as unknown as { tableName: string }).tableName;
  const recordKey = (e: { at: string; key: string }) => ({ pk: 'LOAN#AUDIT-1', sk: `EVT#${e.at}#${e.key}` });

  /** Runs `tamper` with a client of the table (any writer's role), checks, then puts every item back as it was. */
  async function tampered(tamper: (db: ReturnType<typeof createLocalDynamoClient>, name: string) => Promise<void>) {
    const db = createLocalDynamoClient(dynamo.endpoint);
    const name = table();
    const { Item: meta } = await db.send(new GetCommand({ TableName: name, Key: { pk: 'LOAN#AUDIT-1', sk: 'META' } }));
    const records = story.timeline.map((e) => ({ pk: 'LOAN#AUDIT-1', sk: `EVT#${e.at}#${e.key}`, event: e }));
    try {
      await tamper(db, name);
      return await verifyAudit(ports(), { loan: 'AUDIT-1' });
    } finally {
      for (const item of [meta!, ...records]) await db.send(new PutCommand({ TableName: name, Item: item }));
      db.destroy();
    }
  }

  beforeAll(async () => {
    // The tests above leave a record altered: every record back as the story wrote it.
    const db = createLocalDynamoClient(dynamo.endpoint);
    for (const e of story.timeline) await db.send(new PutCommand({ TableName: table(), Item: { ...recordKey(e), event: e } }));
    db.destroy();
  });

  it('every head the story committed carries a MAC; with an anchor taken, the whole trail verifies', async () => {
    await story.app.audit.anchor();
    const report = await verifyAudit(ports(), 'all');
    expect(report).toMatchObject({ ok: true, anchorProblems: [], loans: [{ loanId: 'AUDIT-1', problems: [], anchoredAt: report.anchor!.anchor.at }] });
    expect(report.anchor!.anchor.heads['AUDIT-1']).toEqual((await story.app.store.getLoan('AUDIT-1'))!.state.auditHead);
    expect(describeAudit(report)[1]).toMatch(/^loan AUDIT-1: audit trail intact, \d+ records, head at record \d+ .*MAC valid, consistent with the anchor of /);
  });

  it("names a chain recomputed without the key: every link holds, the head's MAC does not, and the anchor disagrees", async () => {
    const report = await tampered(async (db, name) => {
      const victim = story.timeline.find((e) => e.type === 'PAYMENT_RECEIVED')!;
      const recomputed = chainEvents(
        GENESIS,
        story.timeline.map((e) => (e.key === victim.key ? { ...e, amount: 1 } : e)),
      );
      for (const record of recomputed.events) await db.send(new PutCommand({ TableName: name, Item: { ...recordKey(record), event: record } }));
      await db.send(
        new UpdateCommand({
          TableName: name,
          Key: { pk: 'LOAN#AUDIT-1', sk: 'META' },
          UpdateExpression: 'SET #s.auditHead.#h = :h',
          ExpressionAttributeNames: { '#s': 'state', '#h': 'hash' },
          ExpressionAttributeValues: { ':h': recomputed.head.hash },
        }),
      );
    });
    expect(report.ok).toBe(false);
    expect(report.loans[0]!.problems.map((p) => p.check)).toEqual(['head-mac', 'anchor']);
    expect(describeAudit(report).join('\n')).toContain('[head-mac] record');
  });

  it('names a head rolled back to an earlier, genuinely signed state with the newer records deleted: only the anchor can tell', async () => {
    const chain = (story.timeline as ChainedEvent[]).slice().sort((a, b) => a.seq - b.seq);
    const earlier = chain[Math.floor(chain.length / 2)]!;
    const latest = chain.at(-1)!;
    const report = await tampered(async (db, name) => {
      for (const record of chain.filter((e) => e.seq > earlier.seq)) await db.send(new DeleteCommand({ TableName: name, Key: recordKey(record) }));
      // A head a step really committed once: its MAC is the one the audit key gave it then (HMAC is deterministic).
      const head = { seq: earlier.seq, hash: earlier.hash, mac: await story.app.audit.signer.sign('AUDIT-1', earlier) };
      await db.send(
        new UpdateCommand({
          TableName: name,
          Key: { pk: 'LOAN#AUDIT-1', sk: 'META' },
          UpdateExpression: 'SET #s.auditHead = :h',
          ExpressionAttributeNames: { '#s': 'state' },
          ExpressionAttributeValues: { ':h': head },
        }),
      );
    });
    expect(report.loans[0]!.problems).toEqual([
      {
        check: 'anchor',
        seq: earlier.seq,
        reason: `the loan's head is at record ${earlier.seq} but the anchor of ${report.anchor!.anchor.at} holds record ${latest.seq}: the head was rolled back`,
      },
    ]);
    // Put back: intact again.
    expect((await verifyAudit(ports(), { loan: 'AUDIT-1' })).ok).toBe(true);
  });
});
