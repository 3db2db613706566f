// `npm run test:faults` (and part of `npm test`): a portfolio over two years on the local engine with faults
// injected throughout, against a fault-free reference run of the same portfolio. Every expected message sent
// exactly once, every task created exactly once, no execution failed for good.
//   200 loans on the in-memory store (the same contract as DynamoDB): SNS/SES throttling and server errors,
//   Lambda crashes after a send, store throttling outlasting the SDK, duplicate and out-of-order payment
//   notices, the runtime killed mid-run and restarted on its data.
//   The same 200 against DynamoDB Local (FAULTS_DYNAMODB_LOANS): all of the above with DynamoDB's own
//   throttling and server errors on the wire (the SDK's retries, then ours), and DynamoDB Local stopped mid-run
//   and started again on its data folder.
// FAULTS_LOANS and FAULTS_DYNAMODB_LOANS change the sizes (FAULTS_DYNAMODB_LOANS=16 for a quick run: about 1 min).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS, type FaultKind } from '../../local/faults/fault-ledger.js';
import { FAULT_SUITE_PLAN } from '../../local/faults/fault-plan.js';
import { faultPortfolio } from '../../local/faults/fault-portfolio.js';
import { formatFaultReport } from '../../local/faults/fault-report.js';
import { runWithFaults, type FaultRunResult } from '../../local/faults/fault-run.js';
import { compareRuns, type Comparison } from '../../local/faults/run-comparison.js';

const LOANS = Number(process.env.FAULTS_LOANS ?? 200);
const DYNAMODB_LOANS = Math.min(LOANS, Number(process.env.FAULTS_DYNAMODB_LOANS ?? 200));
const MONTHS = 24;
const WORLD_SEED = 3;
const RUN_TIMEOUT_MS = 30 * 60_000;

const portfolio = faultPortfolio({ loans: LOANS, months: MONTHS, seed: 7 });
const dataDir = mkdtempSync(join(tmpdir(), 'loan-followup-faults-'));
const common = { until: portfolio.until, plan: FAULT_SUITE_PLAN, worldSeed: WORLD_SEED };

interface Checked {
  run: FaultRunResult;
  comparison: Comparison;
}
const runs: Record<'memory' | 'dynamodb', Checked> = {} as never;

beforeAll(async () => {
  const reference = await runWithFaults({ ...common, rows: portfolio.rows, mode: 'reference', store: 'memory' });
  const onDynamo = portfolio.rows.slice(0, DYNAMODB_LOANS);
  const stepsOf = (rows: typeof onDynamo) => rows.reduce((n, row) => n + (reference.stepsByLoan.get(row.request.loanId) ?? 0), 0);
  // Side by side: the in-memory run keeps the CPU busy while the DynamoDB run waits out its retries.
  const [memory, dynamodb] = await Promise.all([
    runWithFaults({ ...common, rows: portfolio.rows, mode: 'faulted', store: 'memory', expectedSteps: reference.steps }),
    runWithFaults({ ...common, rows: onDynamo, mode: 'faulted', store: 'dynamodb', dataDir, expectedSteps: stepsOf(onDynamo) }),
  ]);
  for (const [name, run] of [
    ['memory', memory],
    ['dynamodb', dynamodb],
  ] as const) {
    runs[name] = { run, comparison: compareRuns(reference, run) };
    console.log(`${formatFaultReport({ title: 'Fault injection', from: portfolio.from, until: portfolio.until }, run, runs[name].comparison)}\n`);
  }
}, RUN_TIMEOUT_MS);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const first = (items: string[]) => items.slice(0, 10).join('\n');

describe.each([
  ['on the in-memory store', 'memory'],
  ['against DynamoDB Local', 'dynamodb'],
] as const)('a portfolio over two years with faults injected, %s', (_, store) => {
  const checked = () => runs[store];

  it('injected every kind of fault the plan asks for', () => {
    const { run } = checked();
    const kinds: FaultKind[] = [
      'sms-throttled',
      'sms-server-error',
      'email-throttled',
      'email-server-error',
      'crash-after-send',
      'payment-duplicate',
      'payment-out-of-order',
      'runtime-killed',
    ];
    if (store === 'memory') kinds.push('store-throttled', 'store-lost-response');
    else kinds.push('dynamodb-throttled', 'dynamodb-server-error', 'dynamodb-beyond-sdk', 'dynamodb-lost-response', 'dynamodb-restarted');
    const missing = kinds.filter((kind) => !(run.ledger.injected.get(kind)! > 0)).map((kind) => FAULT_KINDS[kind]);
    expect(missing, 'faults never injected').toEqual([]);
    expect(run.ledger.totalRetries()).toBeGreaterThan(0);
  });

  it('sent every expected message exactly once: none lost, none twice, none the reference did not send', () => {
    const { messages } = checked().comparison;
    expect(messages.expected).toBeGreaterThan(0);
    expect(messages.lost.length, `lost:\n${first(messages.lost)}`).toBe(0);
    expect(messages.sentTwice.length, `sent twice:\n${first(messages.sentTwice)}`).toBe(0);
    expect(messages.unexpected.length, `not in the reference:\n${first(messages.unexpected)}`).toBe(0);
    expect(messages.sent).toBe(messages.expected);
  });

  it('the paced path held messages back for their slots (MESSAGE_DEFERRED), and each went or was held by the gate', () => {
    const { run } = checked();
    let deferred = 0;
    const unaccounted: string[] = [];
    for (const loan of run.loans) {
      for (const wait of loan.timeline.filter((e) => e.type === 'MESSAGE_DEFERRED')) {
        deferred += 1;
        const key = wait.key.replace(/^MESSAGE_DEFERRED:/, '').replace(/@[^@]*$/, '');
        const settled = loan.timeline.some(
          (e) =>
            (e.type === 'MESSAGE_SENT' && e.key === `MESSAGE_SENT:${key}`) ||
            (e.type === 'CONTACT_SUPPRESSED' && e.key.startsWith(`CONTACT_SUPPRESSED:${key}@`) && e.at >= wait.at),
        );
        // A loan that closed (or went to the legal team) before the slot sends nothing more; one past the horizon has not got there.
        if (!settled && loan.status === 'ACTIVE' && String(wait.deferredUntil) < portfolio.until.toISOString()) unaccounted.push(`${loan.loanId} ${wait.key}`);
      }
    }
    // A book this size always has loans whose messages meet in one minute; a quick run of a few loans may not.
    if (run.loans.length >= 50) expect(deferred).toBeGreaterThan(0);
    expect(unaccounted).toEqual([]);
  });

  it('a Lambda that died after the provider took a message: the retry found it there and did not send it again', () => {
    const { run, comparison } = checked();
    const crashes = run.ledger.injected.get('crash-after-send') ?? 0;
    expect(crashes).toBeGreaterThan(0);
    expect(run.ledger.inDoubtReconciled).toBeGreaterThanOrEqual(crashes);
    expect(comparison.messages.sentTwice).toEqual([]);
  });

  it('created every expected task exactly once', () => {
    const { tasks } = checked().comparison;
    expect(tasks.expected).toBeGreaterThan(0);
    expect(tasks.missing.length, `missing:\n${first(tasks.missing)}`).toBe(0);
    expect(tasks.createdTwice.length, `created twice:\n${first(tasks.createdTwice)}`).toBe(0);
    expect(tasks.unexpected.length, `not in the reference:\n${first(tasks.unexpected)}`).toBe(0);
    expect(tasks.created).toBe(tasks.expected);
  });

  it('applied every payment once, notices received twice or out of order included', () => {
    const { run, comparison } = checked();
    expect(comparison.payments.missing.length, `missing:\n${first(comparison.payments.missing)}`).toBe(0);
    expect(comparison.payments.appliedTwice.length, `applied twice:\n${first(comparison.payments.appliedTwice)}`).toBe(0);
    expect(comparison.payments.applied).toBe(comparison.payments.expected);
    expect(comparison.duplicatePaymentsIgnored).toBe(new Set(run.duplicatedPayments.map((p) => `${p.loanId}/${p.paymentId}`)).size);
  });

  it('delivered every call outcome the agents recorded to its loan, once', () => {
    const { callOutcomes } = checked().comparison;
    expect(callOutcomes.expected).toBeGreaterThan(0);
    expect(callOutcomes.missing.length, `missing:\n${first(callOutcomes.missing)}`).toBe(0);
    expect(callOutcomes.recordedTwice.length, `recorded twice:\n${first(callOutcomes.recordedTwice)}`).toBe(0);
    expect(callOutcomes.unexpected.length, `not in the reference:\n${first(callOutcomes.unexpected)}`).toBe(0);
    expect(callOutcomes.wrongTime.length, `recorded at another time than the agent called:\n${first(callOutcomes.wrongTime)}`).toBe(0);
  });

  it('failed no execution for good and flagged no loan: every execution succeeded or waits beyond the horizon', () => {
    const { run, comparison } = checked();
    expect(run.clientRefusals, 'calls of the bank and the agents refused for good').toEqual([]);
    expect(comparison.failedExecutions.length, `failed:\n${first(comparison.failedExecutions)}`).toBe(0);
    expect(comparison.flaggedLoans.length, `flagged:\n${first(comparison.flaggedLoans)}`).toBe(0);
    expect(comparison.unfinishedExecutions, 'neither SUCCEEDED nor RUNNING at the horizon').toEqual([]);
  });
});
