// The audit trail against the table's own writers, on the in-memory store with the real handlers: an edited
// record, a deleted tail, a chain recomputed without the key and a head rolled back to an earlier (genuinely
// signed) state are each detected and named by audit:verify's checks; the committing functions sign each head and
// refuse to extend one that fails its MAC; the anchor job signs every head as a whole.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { anchorAuditHeads, createAnchorAuditHeadsHandler } from '../../functions/anchor-audit-heads.js';
import { createAdvanceLoanHandler } from '../../functions/advance-loan.js';
import { AuditHeadRejectedError } from '../../functions/audit/audit-signer.js';
import { onboardLoan } from '../../functions/onboard-loan.js';
import type { WorkflowControl } from '../../functions/ports.js';
import { recordPayment } from '../../functions/record-payment.js';
import { LocalAnchorSigner, MemoryAnchorStore } from '../../local/adapters/local-audit.js';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { describeAudit, verifyAudit, type AuditVerifyPorts } from '../../local/audit-verify.js';
import { outboxSenders } from '../../local/outbox-senders.js';
import { anchorMessage, headMacMessage, type AuditHead } from '../../workflows/audit/audit-head.js';
import { chainEvents, GENESIS, type ChainedEvent } from '../../workflows/audit/hash-chain.js';
import type { FollowUpState, TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { loanRequest } from '../support/loans.js';
import { testPacer } from '../support/test-pacer.js';
import { testAuditSigner } from '../support/test-audit-signer.js';
import { testUnsubscribeLinks } from '../support/test-unsubscribe-links.js';

const context = { functionName: 'test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const logger = new Logger({ logLevel: 'SILENT' });
const policies = loadAllPolicies();
const workflow: WorkflowControl = { startExecution: async () => ({ executionArn: 'arn:local', alreadyRunning: false }), sendTaskSuccess: async () => 'STALE' };
const DAY = 86_400_000;
const anchorKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

let store: MemoryLoanStore;
let now: Date;
let ports: Omit<Parameters<typeof createAdvanceLoanHandler>[0], 'store'> & { store: MemoryLoanStore; workflow: WorkflowControl };
let anchors: MemoryAnchorStore;
let anchorSigner: LocalAnchorSigner;
let verifier: AuditVerifyPorts;

beforeEach(() => {
  store = new MemoryLoanStore();
  now = new Date('2026-01-05T02:00:00.000Z');
  const clock = () => now;
  ports = {
    store,
    clock,
    logger,
    workflow,
    policies: (p) => policies[p],
    unsubscribe: testUnsubscribeLinks(),
    auditSigner: testAuditSigner(),
    pacer: testPacer(),
    ...outboxSenders({ append: () => undefined }, clock),
  };
  anchors = new MemoryAnchorStore();
  anchorSigner = new LocalAnchorSigner(anchorKey());
  verifier = { store, signer: ports.auditSigner, anchors, anchorSigner };
});

const advance = (loanId = 'L-1') => createAdvanceLoanHandler(ports)({ loanId, generation: 0, iteration: 0 }, context);
const later = (ms: number) => (now = new Date(now.getTime() + ms));
const anchor = () => anchorAuditHeads({ heads: store, anchors, signer: anchorSigner, clock: () => later(1_000) });
const headOf = async (loanId = 'L-1') => (await store.getLoan(loanId))!.state.auditHead as AuditHead;
const chainOf = async (loanId = 'L-1') => (await store.listTimeline(loanId)) as ChainedEvent[];
const verify = (loan = 'L-1') => verifyAudit(verifier, { loan });

/** A loan a few steps into its life: onboarded and welcomed, one instalment paid, reminders of the next. */
async function loanWithHistory(loanId = 'L-1'): Promise<void> {
  await onboardLoan(ports)(loanRequest({ loanId, termMonths: 6 }));
  await advance(loanId);
  const due = (await store.getSnapshot(loanId))!.instalments[0]!;
  later(20 * DAY);
  await recordPayment(ports)({ loanId, amount: due.amount / 100, paidAt: now.toISOString(), paymentId: `P-${loanId}-1` });
  await advance(loanId);
  later(20 * DAY);
  await advance(loanId);
}

/** What any of the dozen roles that may write the table can do: items put, replaced and deleted as they are. */
const table = () =>
  store as unknown as {
    putItem(item: Record<string, unknown>): void;
    deleteItem(key: { pk: string; sk: string }): void;
    peek(key: { pk: string; sk: string }): Record<string, any>;
  };
const recordKey = (e: TimelineEvent) => ({ pk: 'LOAN#L-1', sk: `EVT#${e.at}#${e.key}` });
function putRecord(record: TimelineEvent): void {
  table().putItem({ ...recordKey(record), event: structuredClone(record) });
}
function deleteRecord(record: TimelineEvent): void {
  table().deleteItem(recordKey(record));
}
function setHead(head: AuditHead | undefined): void {
  const meta = table().peek({ pk: 'LOAN#L-1', sk: 'META' });
  table().putItem({ ...meta, state: { ...(meta.state as FollowUpState), auditHead: head } });
}

describe('the committing functions sign the head', () => {
  it('every step commits a head with a MAC over (loan, seq, hash) that the audit key verifies, and the trail verifies', async () => {
    await loanWithHistory();
    const head = await headOf();
    expect(head.seq).toBe((await chainOf()).length);
    expect(await ports.auditSigner.verify('L-1', head, head.mac!)).toBe(true);
    expect(headMacMessage('L-1', head)).toBe(`loan-followup/audit-head/v1\nL-1\n${head.seq}\n${head.hash}`);
    await anchor();
    const report = await verify();
    expect(report).toMatchObject({ ok: true, anchorProblems: [], loans: [{ loanId: 'L-1', problems: [], links: head.seq }] });
    expect(describeAudit(report).join('\n')).toMatch(
      /loan L-1: audit trail intact, \d+ records, head at record \d+ .*MAC valid, consistent with the anchor of/,
    );
  });

  it('another key cannot make a head that verifies (the unsubscribe key, a guess)', async () => {
    await loanWithHistory();
    const head = await headOf();
    expect(await testAuditSigner(randomBytes(32)).verify('L-1', head, head.mac!)).toBe(false);
    expect(await ports.auditSigner.verify('L-2', head, head.mac!)).toBe(false);
  });

  it('AdvanceLoan refuses to extend a head that fails its MAC (signing on top would launder it): nothing is committed', async () => {
    await loanWithHistory();
    const head = await headOf();
    setHead({ ...head, mac: undefined });
    const before = await store.getSnapshot('L-1');
    later(40 * DAY);
    await expect(advance()).rejects.toBeInstanceOf(AuditHeadRejectedError);
    expect((await store.getSnapshot('L-1'))!.version).toBe(before!.version);
    expect(await chainOf()).toHaveLength(head.seq);
  });
});

describe('audit:verify names what a writer of the table did', () => {
  it('an edited record: the chain breaks at it, named by sequence number and key', async () => {
    await loanWithHistory();
    const victim = (await chainOf()).find((e) => e.type === 'PAYMENT_RECEIVED')!;
    putRecord({ ...victim, amount: 1 });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.loans[0]!.problems).toEqual([
      { check: 'chain', seq: victim.seq, key: victim.key, reason: 'its content does not match its hash: the record was altered' },
    ]);
    expect(describeAudit(report)).toContain(`  [chain] record ${victim.seq} (${victim.key}): its content does not match its hash: the record was altered`);
  });

  it("a deleted tail: every remaining link holds, but the chain ends before the loan's head", async () => {
    await loanWithHistory();
    const chain = await chainOf();
    for (const record of chain.slice(-2)) deleteRecord(record);
    const report = await verify();
    expect(report.loans[0]!.problems).toEqual([
      expect.objectContaining({ check: 'chain', seq: chain.length - 2, reason: expect.stringContaining('the newest records were deleted') }),
    ]);
  });

  it('a chain recomputed without the key (a record changed, every hash and the head redone): the links hold, the MAC does not', async () => {
    await loanWithHistory();
    const chain = await chainOf();
    const head = await headOf();
    const edited = chain.map((e) => (e.type === 'PAYMENT_RECEIVED' ? { ...e, amount: 1 } : e));
    const recomputed = chainEvents(GENESIS, edited);
    for (const record of recomputed.events) putRecord(record);
    // The forger keeps the old MAC (or any other): without the key there is no right one to put.
    setHead({ ...recomputed.head, mac: head.mac });
    const report = await verify();
    expect(report.loans[0]!.problems).toEqual([
      {
        check: 'head-mac',
        seq: head.seq,
        reason:
          "the head's MAC does not match (loan, seq, hash): the head was written without the audit key (a chain recomputed, a head copied from another loan)",
      },
    ]);
    // Removing the MAC is named as well.
    setHead(recomputed.head);
    expect((await verify()).loans[0]!.problems).toEqual([expect.objectContaining({ check: 'head-mac', reason: expect.stringContaining('carries no MAC') })]);
  });

  it('a recomputed chain under an anchor: the anchor names the rewritten history too', async () => {
    await loanWithHistory();
    await anchor();
    const recomputed = chainEvents(
      GENESIS,
      (await chainOf()).map((e) => (e.type === 'PAYMENT_RECEIVED' ? { ...e, amount: 1 } : e)),
    );
    for (const record of recomputed.events) putRecord(record);
    setHead(recomputed.head);
    const problems = (await verify()).loans[0]!.problems;
    expect(problems.map((p) => p.check)).toEqual(['head-mac', 'anchor']);
    expect(problems[1]!.reason).toMatch(/^the head at record \d+ is not the one in the anchor of .*: the head was rewritten$/);
  });

  it('a head rolled back to an earlier, genuinely signed state (newer records deleted): chain and MAC hold, the anchor names it', async () => {
    await onboardLoan(ports)(loanRequest({ loanId: 'L-1', termMonths: 6 }));
    await advance();
    const earlier = await headOf();
    later(20 * DAY);
    await advance();
    later(20 * DAY);
    await advance();
    const anchored = await headOf();
    expect(anchored.seq).toBeGreaterThan(earlier.seq);
    await anchor();
    for (const record of (await chainOf()).filter((e) => e.seq > earlier.seq)) deleteRecord(record);
    setHead(earlier);

    // Without the anchor nothing is wrong: the chain ends at the head, and the head's MAC is genuine.
    const unanchored = await verifyAudit({ ...verifier, anchors: new MemoryAnchorStore() }, { loan: 'L-1' });
    expect(unanchored.ok).toBe(true);
    const report = await verify();
    expect(report.loans[0]!.problems).toEqual([
      {
        check: 'anchor',
        seq: earlier.seq,
        reason: `the loan's head is at record ${earlier.seq} but the anchor of ${report.anchor!.anchor.at} holds record ${anchored.seq}: the head was rolled back`,
      },
    ]);
  });

  it("a head copied from another loan (MAC and all): the MAC covers the loan's id", async () => {
    await loanWithHistory('L-1');
    await loanWithHistory('L-2');
    setHead(await headOf('L-2'));
    const problems = (await verify()).loans[0]!.problems.map((p) => p.check);
    expect(problems).toContain('head-mac');
  });

  it('--all: every loan of the table and of the anchor; a loan deleted since the anchor is named', async () => {
    await loanWithHistory('L-1');
    await loanWithHistory('L-2');
    await anchor();
    (store as unknown as { partitions: Map<string, unknown> }).partitions.delete('LOAN#L-2');
    const report = await verifyAudit(verifier, 'all');
    expect(report.loans.map((l) => [l.loanId, l.problems.map((p) => p.check)])).toEqual([
      ['L-1', []],
      ['L-2', ['anchor']],
    ]);
    expect(report.loans[1]!.problems[0]!.reason).toMatch(/the loan is not in the table but the anchor of .* holds it at record \d+: it was deleted/);
    expect(describeAudit(report).at(-1)).toBe('2 loans checked, 1 broken');
  });
});

describe('the anchor job', () => {
  it('writes one object per run: every head (seq, hash, MAC) by loan, signed as a whole; loans without a head yet are left out', async () => {
    await loanWithHistory('L-1');
    await onboardLoan(ports)(loanRequest({ loanId: 'L-0', termMonths: 6 }));
    const run = await createAnchorAuditHeadsHandler({ heads: store, anchors, signer: anchorSigner, clock: () => now, logger })({}, context);
    expect(run).toEqual({ at: now.toISOString(), loans: 1, location: expect.stringContaining('memory:') });
    const [{ anchor: written }] = await anchors.latest(1);
    expect(written!.heads).toEqual({ 'L-1': await headOf('L-1') });
    expect(written!.signature).toMatchObject({ algorithm: 'ECDSA_SHA_256', keyId: anchorSigner.keyId });
    const { signature, ...body } = written!;
    expect(await anchorSigner.verify(anchorMessage(body), signature)).toBe(true);
    expect(await anchorSigner.verify(anchorMessage({ ...body, heads: {} }), signature)).toBe(false);
  });

  it('an anchor not signed by the anchor key is named, and the newest one that is signed is used instead', async () => {
    await loanWithHistory();
    await anchor();
    const forger = new LocalAnchorSigner(anchorKey());
    // A writer of the bucket (not the anchor job) puts a newer anchor holding an earlier head, to cover a rollback.
    await anchorAuditHeads({ heads: { listAuditHeads: async () => [] }, anchors, signer: forger, clock: () => later(1_000) });
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.anchorProblems).toEqual([expect.stringMatching(/^anchor memory:.*: its signature does not verify with the anchor key/)]);
    expect(report.loans[0]!.anchoredAt).toBe((await anchors.latest(2))[1]!.anchor.at);
  });
});
