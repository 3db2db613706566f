// Every entry point refuses bad input with an error naming the field and the reason, and writes nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { ClientError } from '../../functions/errors.js';
import { onboardLoan } from '../../functions/onboard-loan.js';
import { recordCallbackOutcome } from '../../functions/record-callback-outcome.js';
import { recordLegalEvent } from '../../functions/record-legal-event.js';
import { recordPayment } from '../../functions/record-payment.js';
import { reportLoanEvent } from '../../functions/report-loan-event.js';
import { previewRestructure, restructureLoan } from '../../functions/restructure-loan.js';
import { PortfolioError, readPortfolio } from '../../local/portfolio-file.js';
import { loadPolicy, PolicyValidationError, parsePolicy } from '../../workflows/policy/load-policy.js';
import car from '../../workflows/policy/car.json' with { type: 'json' };
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import type { Product } from '../../workflows/domain/types.js';
import { loanRequestBody } from '../support/loans.js';

const store = new MemoryLoanStore();
const starts: string[] = [];
const ports = {
  store,
  logger: new Logger({ logLevel: 'SILENT' }),
  clock: () => new Date('2026-01-05T02:00:00Z'),
  workflow: {
    startExecution: async (input: { name: string }) => (starts.push(input.name), { executionArn: `arn:${input.name}`, alreadyRunning: false }),
    sendTaskSuccess: async () => 'DELIVERED' as const,
  },
  policies: (product: Product) => loadAllPolicies()[product],
};
const onboard = onboardLoan(ports);
const payment = recordPayment(ports);
const outcome = recordCallbackOutcome(ports);
const event = reportLoanEvent(ports);
const legal = recordLegalEvent(ports);
const restructurePreview = previewRestructure(ports);
const restructure = restructureLoan(ports);

const loan = loanRequestBody({ loanId: 'GOOD-1', product: 'car', principal: 120000, annualRate: 0.05, termMonths: 36, email: 'wang@example.com' });
const without = (field: keyof typeof loan) => Object.fromEntries(Object.entries(loan).filter(([k]) => k !== field));

beforeAll(async () => {
  // One good loan and task, so the bad cases below also prove they change nothing that exists.
  expect(await onboard({ ...loan })).toMatchObject({ created: true });
  const task = {
    loanId: 'GOOD-1',
    priority: 100,
    status: 'OPEN',
    createdAt: '2026-01-05T02:00:00.000Z',
    dueBy: '2026-01-12T02:00:00.000Z',
    requeues: 0,
  } as const;
  await store.commitDecision(
    'GOOD-1',
    0,
    {
      state: (await store.getSnapshot('GOOD-1'))!.state,
      instalments: [],
      changedInstalments: [],
      timeline: [],
      action: 'WAIT',
      wakeAt: null,
      effects: [
        { kind: 'CREATE_TASK', task: { ...task, taskId: 'GOOD-1.FIRST_CONTACT', purpose: 'FIRST_CONTACT', queue: 'callback' } },
        { kind: 'CREATE_TASK', task: { ...task, taskId: 'GOOD-1.RECALL_REVIEW.1', purpose: 'RECALL_REVIEW', queue: 'review' } },
      ],
    },
    [],
  );
  // A loan with the legal team, and one whose case has closed.
  for (const [loanId, status] of [
    ['LEGAL-1', 'LEGAL'],
    ['LEGAL-2', 'CLOSED'],
  ] as const) {
    expect(await onboard({ ...loan, loanId })).toMatchObject({ created: true });
    const state = (await store.getSnapshot(loanId))!.state;
    await store.commitDecision(
      loanId,
      0,
      {
        state: {
          ...state,
          status,
          legalCaseId: `CASE-${loanId}`,
          ...(status === 'CLOSED' ? { closedAt: '2026-01-05T02:00:00.000Z', closedReason: 'WRITTEN_OFF' as const } : {}),
        },
        instalments: [],
        changedInstalments: [],
        timeline: [],
        action: status === 'CLOSED' ? 'CLOSE' : 'WAIT',
        wakeAt: null,
        effects: [],
      },
      [],
    );
  }
});

type Case = [label: string, input: unknown, field: string];

/** Everything the store holds, read back: equal before and after means nothing was written. */
async function contents(): Promise<string> {
  const loans = await store.listLoans();
  const parts = await Promise.all(
    loans.map(async (l) => [
      await store.getSnapshot(l.loanId),
      await store.getContact(l.loanId),
      await store.listTimeline(l.loanId),
      await store.listInbox(l.loanId),
      await store.listTasks(l.loanId),
    ]),
  );
  return JSON.stringify([loans, parts]);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function expectRefused(handler: (e: unknown) => Promise<unknown>, input: unknown, field: string, status = 400) {
  const before = await contents();
  const startsBefore = starts.length;
  const error = await handler(input).then(
    (result) => {
      throw new Error(`not refused: ${JSON.stringify(result)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  const refusal = error as ClientError;
  expect(refusal.statusCode).toBe(status);
  expect(refusal.field).toBe(field);
  expect(refusal.message).toMatch(new RegExp(`${escapeRegExp(field)}: \\S`));
  expect(await contents()).toBe(before);
  expect(starts.length).toBe(startsBefore);
}

const onboardCases: Case[] = [
  ...(Object.keys(loan) as (keyof typeof loan)[]).map(
    (f, i): Case => [`missing ${f}`, f === 'loanId' ? without(f) : { ...without(f), loanId: `MISSING-${i}` }, f],
  ),
  ['body is not an object', 'loan please', '(body)'],
  ['body is an array', [loan], '(body)'],
  ['body is null', null, '(body)'],
  ['unknown field', { ...loan, loanId: 'NEW-2', nickname: 'x' }, 'nickname'],
  ['principal as a string', { ...loan, loanId: 'NEW-3', principal: '120000' }, 'principal'],
  ['principal negative', { ...loan, loanId: 'NEW-4', principal: -5 }, 'principal'],
  ['principal zero', { ...loan, loanId: 'NEW-5', principal: 0 }, 'principal'],
  ['principal absurd', { ...loan, loanId: 'NEW-6', principal: 1e15 }, 'principal'],
  ['principal with 3 decimals', { ...loan, loanId: 'NEW-7', principal: 100.123 }, 'principal'],
  ['principal NaN-like', { ...loan, loanId: 'NEW-8', principal: null }, 'principal'],
  ['annualRate negative', { ...loan, loanId: 'NEW-9', annualRate: -0.01 }, 'annualRate'],
  ['annualRate as percent', { ...loan, loanId: 'NEW-10', annualRate: 6.5 }, 'annualRate'],
  ['termMonths fractional', { ...loan, loanId: 'NEW-11', termMonths: 12.5 }, 'termMonths'],
  ['termMonths too long', { ...loan, loanId: 'NEW-12', termMonths: 600 }, 'termMonths'],
  ['termMonths zero', { ...loan, loanId: 'NEW-13', termMonths: 0 }, 'termMonths'],
  ['termMonths as text', { ...loan, loanId: 'NEW-14', termMonths: 'thirty' }, 'termMonths'],
  ['product unknown', { ...loan, loanId: 'NEW-15', product: 'boat' }, 'product'],
  ['product wrong type', { ...loan, loanId: 'NEW-16', product: 3 }, 'product'],
  ['riskRating unknown', { ...loan, loanId: 'NEW-17', riskRating: 'extreme' }, 'riskRating'],
  ['borrowerType unknown', { ...loan, loanId: 'NEW-18', borrowerType: 'alien' }, 'borrowerType'],
  ['locale unknown', { ...loan, loanId: 'NEW-19', locale: 'fr' }, 'locale'],
  ['disbursedAt impossible day', { ...loan, loanId: 'NEW-20', disbursedAt: '2026-02-30T10:00:00+08:00' }, 'disbursedAt'],
  ['disbursedAt month 13', { ...loan, loanId: 'NEW-21', disbursedAt: '2026-13-01T10:00:00+08:00' }, 'disbursedAt'],
  ['disbursedAt date only', { ...loan, loanId: 'NEW-22', disbursedAt: '2026-01-05' }, 'disbursedAt'],
  ['disbursedAt free text', { ...loan, loanId: 'NEW-23', disbursedAt: 'yesterday' }, 'disbursedAt'],
  ['disbursedAt hour 25', { ...loan, loanId: 'NEW-24', disbursedAt: '2026-01-05T25:00:00+08:00' }, 'disbursedAt'],
  ['timezone unknown', { ...loan, loanId: 'NEW-25', timezone: 'Mars/Olympus' }, 'timezone'],
  ['timezone an offset', { ...loan, loanId: 'NEW-26', timezone: '+08:00 China' }, 'timezone'],
  ['timezone empty', { ...loan, loanId: 'NEW-27', timezone: '' }, 'timezone'],
  ['timezone wrong type', { ...loan, loanId: 'NEW-28', timezone: 8 }, 'timezone'],
  ['phone too short', { ...loan, loanId: 'NEW-29', phone: '+86123' }, 'phone'],
  ['phone letters', { ...loan, loanId: 'NEW-30', phone: 'call me maybe' }, 'phone'],
  ['phone without country', { ...loan, loanId: 'NEW-31', phone: '13812345678' }, 'phone'],
  ['phone impossible number', { ...loan, loanId: 'NEW-32', phone: '+10005550100' }, 'phone'],
  ['phone wrong type', { ...loan, loanId: 'NEW-33', phone: 8613812345678 }, 'phone'],
  ['email without at', { ...loan, loanId: 'NEW-34', email: 'wang.example.com' }, 'email'],
  ['email without domain', { ...loan, loanId: 'NEW-35', email: 'wang@' }, 'email'],
  ['email with spaces', { ...loan, loanId: 'NEW-36', email: 'wang @example.com' }, 'email'],
  ['email with markup', { ...loan, loanId: 'NEW-37', email: '<script>@example.com' }, 'email'],
  ['loanId with a dot', { ...loan, loanId: 'A.B' }, 'loanId'],
  ['loanId with markup', { ...loan, loanId: '<script>alert(1)</script>' }, 'loanId'],
  ['loanId with SQL', { ...loan, loanId: "1'; DROP TABLE loans;--" }, 'loanId'],
  ['loanId with spaces', { ...loan, loanId: 'LOAN 1' }, 'loanId'],
  ['loanId too long', { ...loan, loanId: 'L'.repeat(41) }, 'loanId'],
  ['loanId empty', { ...loan, loanId: '' }, 'loanId'],
  ['loanId wrong type', { ...loan, loanId: 42 }, 'loanId'],
];

describe('onboard-loan refuses', () => {
  it.each(onboardCases)('%s', async (_label, input, field) => expectRefused(onboard, input, field));

  it('a different body for an existing loan id (409, nothing overwritten)', async () => {
    await expectRefused(onboard, { ...loan, principal: 99999 }, 'loanId', 409);
    expect((await store.getLoan('GOOD-1'))!.loan.principal).toBe(12_000_000);
  });
});

const paymentCases: Case[] = [
  ['missing loanId', { amount: 10 }, 'loanId'],
  ['missing amount', { loanId: 'GOOD-1' }, 'amount'],
  ['negative amount', { loanId: 'GOOD-1', amount: -10 }, 'amount'],
  ['zero amount', { loanId: 'GOOD-1', amount: 0 }, 'amount'],
  ['absurd amount', { loanId: 'GOOD-1', amount: 5e12 }, 'amount'],
  ['amount as text', { loanId: 'GOOD-1', amount: '100' }, 'amount'],
  ['amount with 3 decimals', { loanId: 'GOOD-1', amount: 10.005 }, 'amount'],
  ['impossible paidAt', { loanId: 'GOOD-1', amount: 10, paidAt: '2026-02-31T10:00:00Z' }, 'paidAt'],
  ['paidAt without offset', { loanId: 'GOOD-1', amount: 10, paidAt: '2026-02-01 10:00' }, 'paidAt'],
  ['paymentId with markup', { loanId: 'GOOD-1', amount: 10, paymentId: '<img src=x>' }, 'paymentId'],
  ['unknown field', { loanId: 'GOOD-1', amount: 10, currency: 'USD' }, 'currency'],
  ['loanId injection', { loanId: '../../etc/passwd', amount: 10 }, 'loanId'],
];

describe('record-payment refuses', () => {
  it.each(paymentCases)('%s', async (_label, input, field) => expectRefused(payment, input, field));
  it('an unknown loan id (404)', async () => expectRefused(payment, { loanId: 'NO-SUCH-LOAN', amount: 10 }, 'loanId', 404));
});

const outcomeCases: Case[] = [
  ['missing taskId', { outcome: 'REACHED' }, 'taskId'],
  ['taskId without occurrence', { taskId: 'GOOD-1', outcome: 'REACHED' }, 'taskId'],
  ['taskId with markup', { taskId: '<b>.x', outcome: 'REACHED' }, 'taskId'],
  ['missing outcome', { taskId: 'GOOD-1.FIRST_CONTACT' }, 'outcome'],
  ['unknown outcome', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'MAYBE' }, 'outcome'],
  ['outcome wrong type', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: true }, 'outcome'],
  ['unknown finding', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', findings: ['won_lottery'] }, 'findings.0'],
  ['findings not a list', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', findings: 'hardship' }, 'findings'],
  ['notes too long', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', notes: 'x'.repeat(2001) }, 'notes'],
  ['notes with a script tag', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', notes: 'ok <script>alert(1)</script>' }, 'notes'],
  ['notes with an image tag', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', notes: '<img src=x onerror=alert(1)>' }, 'notes'],
  ['notes with control characters', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', notes: 'a\u0000b' }, 'notes'],
  ['agentId with spaces', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', agentId: 'agent smith' }, 'agentId'],
  ['unknown field', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', mood: 'happy' }, 'mood'],
  // Today is 2026-01-05 in Shanghai; car loans take a promise at most 14 days ahead.
  [
    'a promise in the past',
    { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', findings: ['promise_to_pay'], promise: { date: '2026-01-04', amount: 100 } },
    'promise.date',
  ],
  [
    'a promise beyond the policy bound',
    { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', findings: ['promise_to_pay'], promise: { date: '2026-01-20', amount: 100 } },
    'promise.date',
  ],
  [
    'a promise on an impossible day',
    { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', findings: ['promise_to_pay'], promise: { date: '2026-02-30', amount: 100 } },
    'promise.date',
  ],
  [
    'a promise of nothing',
    { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', findings: ['promise_to_pay'], promise: { date: '2026-01-10', amount: 0 } },
    'promise.amount',
  ],
  ['a decision on a call', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', decision: 'refer' }, 'decision'],
  ['an unknown decision', { taskId: 'GOOD-1.RECALL_REVIEW.1', outcome: 'REACHED', decision: 'forgive' }, 'decision'],
  ['a recall review answered without a decision', { taskId: 'GOOD-1.RECALL_REVIEW.1', outcome: 'REACHED', notes: 'seen' }, 'decision'],
  // Car loans are recalled 7 to 30 days ahead: 2026-01-12 to 2026-02-04.
  ['a recall date too soon', { taskId: 'GOOD-1.RECALL_REVIEW.1', outcome: 'REACHED', decision: 'recall', recallDueDate: '2026-01-11' }, 'recallDueDate'],
  ['a recall date too late', { taskId: 'GOOD-1.RECALL_REVIEW.1', outcome: 'REACHED', decision: 'recall', recallDueDate: '2026-02-05' }, 'recallDueDate'],
  [
    'a recall date on an impossible day',
    { taskId: 'GOOD-1.RECALL_REVIEW.1', outcome: 'REACHED', decision: 'recall', recallDueDate: '2026-01-32' },
    'recallDueDate',
  ],
  ['a recall date in free text', { taskId: 'GOOD-1.RECALL_REVIEW.1', outcome: 'REACHED', decision: 'recall', recallDueDate: 'in two weeks' }, 'recallDueDate'],
  [
    'a recall date with another decision',
    { taskId: 'GOOD-1.RECALL_REVIEW.1', outcome: 'REACHED', decision: 'continue', recallDueDate: '2026-01-20' },
    'recallDueDate',
  ],
  ['a recall date on a call', { taskId: 'GOOD-1.FIRST_CONTACT', outcome: 'REACHED', recallDueDate: '2026-01-20' }, 'recallDueDate'],
];

describe('record-callback-outcome refuses', () => {
  it.each(outcomeCases)('%s', async (_label, input, field) => expectRefused(outcome, input, field));
  it('an unknown task id (404)', async () => expectRefused(outcome, { taskId: 'GOOD-1.NOPE', outcome: 'REACHED' }, 'taskId', 404));
});

const eventCases: Case[] = [
  ['missing type', { loanId: 'GOOD-1' }, 'type'],
  ['unknown type', { type: 'WON_LOTTERY', loanId: 'GOOD-1' }, 'type'],
  ['hardship without findings', { type: 'HARDSHIP_REPORTED', loanId: 'GOOD-1', findings: [] }, 'findings'],
  ['hardship with an unknown finding', { type: 'HARDSHIP_REPORTED', loanId: 'GOOD-1', findings: ['sad'] }, 'findings.0'],
  ['contact change with a bad phone', { type: 'CONTACT_CHANGED', loanId: 'GOOD-1', phone: '12' }, 'phone'],
  ['contact change with a bad email', { type: 'CONTACT_CHANGED', loanId: 'GOOD-1', email: 'x@' }, 'email'],
  ['contact change with nothing to change', { type: 'CONTACT_CHANGED', loanId: 'GOOD-1' }, 'phone'],
  ['opt-out of an unknown channel', { type: 'OPTED_OUT', loanId: 'GOOD-1', channels: ['PIGEON'] }, 'channels.0'],
  ['opt-out of nothing', { type: 'OPTED_OUT', loanId: 'GOOD-1', channels: [] }, 'channels'],
  ['do-not-contact with free text instead of a reason code', { type: 'DO_NOT_CONTACT', loanId: 'GOOD-1', reason: 'borrower Zhang Wei called angry' }, 'reason'],
  ['do-not-contact without a reason', { type: 'DO_NOT_CONTACT', loanId: 'GOOD-1' }, 'reason'],
  ['payoff with extra fields', { type: 'PAYOFF', loanId: 'GOOD-1', amount: 5 }, 'amount'],
  ['bad loan id', { type: 'PAYOFF', loanId: 'a b' }, 'loanId'],
];

describe('report-loan-event refuses', () => {
  it.each(eventCases)('%s', async (_label, input, field) => expectRefused(event, input, field));
  it('an unknown loan id (404)', async () => expectRefused(event, { type: 'PAYOFF', loanId: 'NO-SUCH-LOAN' }, 'loanId', 404));
});

// GOOD-1 is a car loan at 5%: at most 24 months' extension, 6 of grace, a rate between 0.02 and 0.05.
const restructureCases: Case[] = [
  ['missing loanId', { extendMonths: 6 }, 'loanId'],
  ['bad loanId', { loanId: 'a b', extendMonths: 6 }, 'loanId'],
  ['extension past the policy', { loanId: 'GOOD-1', extendMonths: 25 }, 'extendMonths'],
  ['extension past any policy', { loanId: 'GOOD-1', extendMonths: 61 }, 'extendMonths'],
  ['negative extension', { loanId: 'GOOD-1', extendMonths: -1 }, 'extendMonths'],
  ['fractional extension', { loanId: 'GOOD-1', extendMonths: 2.5 }, 'extendMonths'],
  ['extension as text', { loanId: 'GOOD-1', extendMonths: 'six' }, 'extendMonths'],
  ['rate under the policy', { loanId: 'GOOD-1', annualRate: 0.01 }, 'annualRate'],
  ['rate above the current one', { loanId: 'GOOD-1', annualRate: 0.06 }, 'annualRate'],
  ['rate as a percent', { loanId: 'GOOD-1', annualRate: 4 }, 'annualRate'],
  ['grace past the policy', { loanId: 'GOOD-1', graceMonths: 7 }, 'graceMonths'],
  ['unknown arrears', { loanId: 'GOOD-1', extendMonths: 6, arrears: 'waive' }, 'arrears'],
  ['requestId with markup', { loanId: 'GOOD-1', extendMonths: 6, requestId: '<script>x</script>' }, 'requestId'],
  ['unknown field', { loanId: 'GOOD-1', extendMonths: 6, waiveFees: true }, 'waiveFees'],
  ['body is not an object', 'six more months', '(body)'],
];

describe('restructure (preview and commit) refuses', () => {
  for (const [name, handler] of [
    ['preview', restructurePreview],
    ['commit', restructure],
  ] as const) {
    it.each(restructureCases)(`${name}: %s`, async (_label, input, field) => expectRefused(handler, input, field));
    it(`${name}: a plan that changes nothing (409)`, async () => expectRefused(handler, { loanId: 'GOOD-1', annualRate: 0.05 }, 'plan', 409));
    it(`${name}: a loan with the legal team (409)`, async () => expectRefused(handler, { loanId: 'LEGAL-1', extendMonths: 6 }, 'loanId', 409));
    it(`${name}: a closed loan (409)`, async () => expectRefused(handler, { loanId: 'LEGAL-2', extendMonths: 6 }, 'loanId', 409));
    it(`${name}: an unknown loan (404)`, async () => expectRefused(handler, { loanId: 'NO-SUCH-LOAN', extendMonths: 6 }, 'loanId', 404));
  }
});

const legalCases: Case[] = [
  ['missing caseId', { event: 'judgment' }, 'caseId'],
  ['caseId that is a loan id', { caseId: 'LEGAL-1', event: 'judgment' }, 'caseId'],
  ['caseId with markup', { caseId: 'CASE-<b>', event: 'judgment' }, 'caseId'],
  ['missing event', { caseId: 'CASE-LEGAL-1' }, 'event'],
  ['unknown event', { caseId: 'CASE-LEGAL-1', event: 'appeal_lost' }, 'event'],
  ['settled without amount', { caseId: 'CASE-LEGAL-1', event: 'settled' }, 'amount'],
  ['recovered without amount', { caseId: 'CASE-LEGAL-1', event: 'recovered' }, 'amount'],
  ['amount on a hearing', { caseId: 'CASE-LEGAL-1', event: 'hearing_scheduled', amount: 100 }, 'amount'],
  ['amount on a write-off', { caseId: 'CASE-LEGAL-1', event: 'written_off', amount: 100 }, 'amount'],
  ['negative amount', { caseId: 'CASE-LEGAL-1', event: 'settled', amount: -100 }, 'amount'],
  ['amount as text', { caseId: 'CASE-LEGAL-1', event: 'settled', amount: '100' }, 'amount'],
  ['impossible date', { caseId: 'CASE-LEGAL-1', event: 'judgment', date: '2026-02-30' }, 'date'],
  ['eventId with markup', { caseId: 'CASE-LEGAL-1', event: 'judgment', eventId: '<script>x</script>' }, 'eventId'],
  ['unknown field', { caseId: 'CASE-LEGAL-1', event: 'judgment', court: 'Pudong' }, 'court'],
];

describe('record-legal-event refuses', () => {
  it.each(legalCases)('%s', async (_label, input, field) => expectRefused(legal, input, field));
  it('an unknown case (404)', async () => expectRefused(legal, { caseId: 'CASE-NO-SUCH-LOAN', event: 'judgment' }, 'caseId', 404));
  it('the case of a loan never referred (404)', async () => expectRefused(legal, { caseId: 'CASE-GOOD-1', event: 'judgment' }, 'caseId', 404));
  it('a closed case (409)', async () => expectRefused(legal, { caseId: 'CASE-LEGAL-2', event: 'recovered', amount: 100 }, 'caseId', 409));
});

const HEADER = 'loanId,product,riskRating,principal,annualRate,termMonths,disbursedAt,timezone,phone,email,payments,reports,answerRate';
const GOOD_ROW = 'C-1,car,low,1000,0.05,12,2026-01-05T10:00:00+08:00,Asia/Shanghai,+8613812345678,a@example.com,,,';
const csvCases: [label: string, row: string, field: string][] = [
  ['too few columns', 'C-2,car,low', '(row)'],
  ['bad product', GOOD_ROW.replace('car', 'boat').replace('C-1', 'C-2'), 'product'],
  ['bad principal', GOOD_ROW.replace(',1000,', ',lots,').replace('C-1', 'C-2'), 'principal'],
  ['bad time zone', GOOD_ROW.replace('Asia/Shanghai', 'Asia/Atlantis').replace('C-1', 'C-2'), 'timezone'],
  ['bad phone', GOOD_ROW.replace('+8613812345678', '555').replace('C-1', 'C-2'), 'phone'],
  ['bad email', GOOD_ROW.replace('a@example.com', 'nobody').replace('C-1', 'C-2'), 'email'],
  ['bad payments token', GOOD_ROW.replace(',,,', ',P Q,,').replace('C-1', 'C-2'), 'payments'],
  ['bad reports entry', GOOD_ROW.replace(',,,', ',,eight:hardship,').replace('C-1', 'C-2'), 'reports'],
  ['unknown report finding', GOOD_ROW.replace(',,,', ',,8:lottery,').replace('C-1', 'C-2'), 'reports'],
  ['answerRate above 1', GOOD_ROW.replace(/,$/, ',1.5').replace('C-1', 'C-2'), 'answerRate'],
  ['duplicate loan id', GOOD_ROW, 'loanId'],
  ['impossible date', GOOD_ROW.replace('2026-01-05', '2026-02-30').replace('C-1', 'C-2'), 'disbursedAt'],
];

describe('portfolio files refuse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bad-portfolio-'));
  it.each(csvCases)('a CSV row with %s, naming line and field', (_label, row, field) => {
    const file = join(dir, `${field}-${Math.random().toString(36).slice(2)}.csv`);
    writeFileSync(file, `${HEADER}\n${GOOD_ROW}\n${row}\n`);
    let error: unknown;
    try {
      readPortfolio(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PortfolioError);
    expect((error as PortfolioError).problems).toContainEqual(expect.objectContaining({ line: 3, field }));
  });

  it('a JSON-lines row that is not JSON', () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"loanId": "J-1"\n');
    expect(() => readPortfolio(file)).toThrow(/line 1: \(row\): malformed JSON/);
  });
});

const policyCases: [label: string, patch: (p: any) => void, path: string][] = [
  ['unknown field', (p) => (p.surprise = 1), 'surprise'],
  ['low-risk interval of 13 months', (p) => (p.periodic.intervalMonths.low = 13), 'periodic.intervalMonths.low'],
  ['interval as text', (p) => (p.periodic.intervalMonths.medium = 'monthly'), 'periodic.intervalMonths.medium'],
  ['day 60 before day 30', (p) => (p.checks.day60 = 20), 'checks.day60'],
  ['collection days out of order', (p) => (p.overdue.collectionDpd = [7, 3]), 'overdue.collectionDpd'],
  ['reminder time not HH:mm', (p) => (p.reminders.localTime = '10am'), 'reminders.localTime'],
  ['unknown finding', (p) => (p.anomalyFindings = ['boredom']), 'anomalyFindings[0]'],
  ['missing section', (p) => delete p.handover, 'handover'],
  ['support email invalid', (p) => (p.contact.supportEmail = 'care'), 'contact.supportEmail'],
  ['classification thresholds out of order', (p) => (p.classification.doubtfulMaxDpd = 100), 'classification'],
  ['message spreading past the contact hours', (p) => (p.reminders.spreadMinutes = 700), 'reminders.spreadMinutes'],
  ['message spreading past 21:00 from a late start', (p) => ((p.reminders.localTime = '20:00'), (p.reminders.spreadMinutes = 90)), 'reminders.spreadMinutes'],
  ['messages before the contact hours open', (p) => (p.reminders.localTime = '07:00'), 'reminders.localTime'],
  ['task spreading before 08:00', (p) => (p.tasks.spreadMinutes = 90), 'tasks.spreadMinutes'],
  ['spreading minutes as text', (p) => (p.tasks.spreadMinutes = 'an hour'), 'tasks.spreadMinutes'],
  ['spreading minutes negative', (p) => (p.reminders.spreadMinutes = -5), 'reminders.spreadMinutes'],
  ['spreading minutes missing', (p) => delete p.reminders.spreadMinutes, 'reminders.spreadMinutes'],
];

describe('policy files refuse', () => {
  it.each(policyCases)('%s, naming the field', (_label, patch, path) => {
    const policy = structuredClone(car) as any;
    patch(policy);
    let error: unknown;
    try {
      parsePolicy(policy, 'car.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyValidationError);
    expect((error as PolicyValidationError).message).toContain(`car.json: ${path}`);
  });

  it('a file that is not JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bad-policy-')), 'car.json');
    writeFileSync(file, '{ "product": "car", ');
    expect(() => loadPolicy('car', file)).toThrow(/not valid JSON/);
  });
});

it('covers at least 100 bad inputs', () => {
  const total =
    onboardCases.length +
    1 +
    paymentCases.length +
    1 +
    outcomeCases.length +
    1 +
    eventCases.length +
    1 +
    legalCases.length +
    3 +
    2 * (restructureCases.length + 4) +
    csvCases.length +
    1 +
    policyCases.length +
    1;
  expect(total).toBeGreaterThanOrEqual(100);
});
