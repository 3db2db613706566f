// FlagForOperations: what supervisors are told when a loan's step failed for good. The execution then ends in its
// ExecutionFailed Fail state, so a redrive would only re-run that Fail state: the message (and the runbook it
// points to) say to start the next generation instead.
import { readFileSync } from 'node:fs';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { createFlagForOperationsHandler, operationsMessage, REJECTED_HEAD_NOTE } from '../../functions/flag-for-operations.js';
import { testAuditSigner } from '../support/test-audit-signer.js';
import { onboardLoan } from '../../functions/onboard-loan.js';
import type { TeamNotifier, WorkflowControl } from '../../functions/ports.js';
import { chainEvents, GENESIS, verifyChain } from '../../workflows/audit/hash-chain.js';
import { loanRequest } from '../support/loans.js';

const context = { functionName: 'test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const logger = new Logger({ logLevel: 'SILENT' });
const workflow: WorkflowControl = { startExecution: async () => ({ executionArn: 'arn:local', alreadyRunning: false }), sendTaskSuccess: async () => 'STALE' };

describe('FlagForOperations tells the supervisors what to do', () => {
  it('pins the message: do not redrive, start the next generation by name and input, see the runbook', () => {
    expect(operationsMessage('CAR-0100', 'States.TaskFailed', 2)).toBe(
      'The follow-up workflow of loan CAR-0100 failed with States.TaskFailed; the loan is flagged and its execution has ended in ExecutionFailed. ' +
        'Do not redrive it (that only re-runs the Fail state). Fix the cause, then start its next generation: execution CAR-0100-g3 with input {"loanId":"CAR-0100","generation":3,"iteration":0}. ' +
        'Nothing already sent goes out again. Steps: docs/deploying-and-security.md, Runbook.',
    );
    expect(operationsMessage('CAR-0100', 'x', undefined)).toContain('execution <loanId>-g<n+1>');
  });

  it('sends it to the supervisors with the generation from the failed execution’s state', async () => {
    const store = new MemoryLoanStore();
    const clock = () => new Date('2026-01-05T02:00:00Z');
    await onboardLoan({ store, workflow, clock, logger })(loanRequest({ loanId: 'L-1', termMonths: 6 }));
    const sent: Parameters<TeamNotifier['notify']>[0][] = [];
    const teams: TeamNotifier = {
      notify: async (message) => {
        sent.push(message);
        return 'message-1';
      },
    };
    const state = { loanId: 'L-1', generation: 0, iteration: 7, failure: { Error: 'States.TaskFailed', Cause: 'boom' } };
    await createFlagForOperationsHandler({ store, teams, clock, logger, auditSigner: testAuditSigner() })(state, context);
    expect(sent).toEqual([expect.objectContaining({ team: 'supervisors', message: operationsMessage('L-1', 'States.TaskFailed', 0) })]);
    expect(sent[0]!.message).toContain('L-1-g1');
    expect(sent[0]!.message).not.toMatch(/then redrive/i);
  });

  it('links EXECUTION_FAILED into the loan’s audit chain in the same write as the flag, from the head on the loan’s record', async () => {
    const store = new MemoryLoanStore();
    let now = new Date('2026-01-05T02:00:00Z');
    const clock = () => now;
    await onboardLoan({ store, workflow, clock, logger })(loanRequest({ loanId: 'L-2', termMonths: 6 }));
    const teams: TeamNotifier = { notify: async () => 'message-1' };
    const auditSigner = testAuditSigner();
    const flag = createFlagForOperationsHandler({ store, teams, clock, logger, auditSigner });
    await flag({ loanId: 'L-2', generation: 0, failure: { Error: 'States.TaskFailed' } }, context);
    now = new Date('2026-01-06T02:00:00Z');
    await flag({ loanId: 'L-2', generation: 1, failure: { Error: 'States.Timeout' } }, context);

    const timeline = await store.listTimeline('L-2');
    expect(timeline.map((e) => [e.type, e.error, e.seq])).toEqual([
      ['EXECUTION_FAILED', 'States.TaskFailed', 1],
      ['EXECUTION_FAILED', 'States.Timeout', 2],
    ]);
    const verdict = verifyChain(timeline);
    expect(verdict).toMatchObject({ ok: true, links: 2 });
    const stored = (await store.getLoan('L-2'))!;
    expect(stored.state.auditHead).toMatchObject(verdict.ok ? verdict.head : {});
    // The new head carries its MAC over (loan, seq, hash).
    const head = stored.state.auditHead!;
    expect(await auditSigner.verify('L-2', head, head.mac!)).toBe(true);
    expect((await store.getLoanView('L-2'))!.flagged).toEqual({ reason: 'States.Timeout', at: '2026-01-06T02:00:00.000Z' });
  });

  it('a head that fails its MAC is not extended (that would sign a forgery): the loan is flagged alone and the supervisors told to check the trail', async () => {
    const store = new MemoryLoanStore();
    const clock = () => new Date('2026-01-05T02:00:00Z');
    await onboardLoan({ store, workflow, clock, logger })(loanRequest({ loanId: 'L-3', termMonths: 6 }));
    const sent: string[] = [];
    const teams: TeamNotifier = { notify: async (m) => (sent.push(m.message), 'message-1') };
    // A writer of the table put a head of its own making, MAC and all, without the key.
    const forged = chainEvents(GENESIS, [{ loanId: 'L-3', at: '2026-01-05T01:00:00Z', type: 'NOTE', key: 'NOTE:1' } as never]);
    await store.markFlagged('L-3', 'x', '2026-01-05T01:00:00Z', { records: forged.events, from: null, to: { ...forged.head, mac: 'A'.repeat(43) } });
    await createFlagForOperationsHandler({ store, teams, clock, logger, auditSigner: testAuditSigner() })(
      { loanId: 'L-3', generation: 0, failure: { Error: 'AuditHeadRejectedError' } },
      context,
    );
    expect((await store.listTimeline('L-3')).map((e) => e.type)).toEqual(['NOTE']);
    expect((await store.getLoan('L-3'))!.state.auditHead).toMatchObject(forged.head);
    expect((await store.getLoanView('L-3'))!.flagged).toEqual({ reason: 'AuditHeadRejectedError', at: '2026-01-05T02:00:00.000Z' });
    expect(sent[0]).toContain(REJECTED_HEAD_NOTE.replace('<loanId>', 'L-3'));
  });

  it('the runbook it names says the same: start-execution of the next generation, redrive only for a failure outside a step', () => {
    const doc = readFileSync(new URL('../../docs/deploying-and-security.md', import.meta.url), 'utf8');
    const runbook = doc.slice(doc.indexOf('### Runbook'));
    expect(runbook).toMatch(/^### Runbook/);
    expect(runbook).toContain('aws stepfunctions start-execution');
    expect(runbook).toContain('--name "$LOAN-g$NEXT"');
    expect(runbook).toContain('\\"generation\\":$NEXT,\\"iteration\\":0');
    expect(runbook).toMatch(/redrive would only re-run that Fail state/);
  });
});
