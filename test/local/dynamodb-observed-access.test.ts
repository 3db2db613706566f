// Least privilege from observed calls: a small book runs on the local engine against DynamoDB Local, the world
// calling the operations API's route functions, then every other route is called once, and the email feedback
// recorder and the retention job run. Each DynamoDB, Step
// Functions, SNS, SES and KMS call is charged to the function it was made in (local/adapters/observed-calls.ts):
// the handlers reach the engine through the production SfnWorkflowControl, and the production SNS, SES and KMS
// adapters run beside the local stand-ins on clients that send nothing (local/adapters/shadow-aws-adapters.ts).
// What the template grants each workflow function and each route's function must be exactly what it was seen to
// send: an action granted and never sent, or sent and not granted, fails here. Nothing else keeps a copy.
import type { SFNClient } from '@aws-sdk/client-sfn';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/table-keys.js';
import { synthesizeStack } from '../../infra/asl.js';
import { HANDLER_FILES, type HandlerName } from '../../infra/constructs/follow-up-functions.js';
import { observeSdkCalls, observeTableCalls } from '../../local/adapters/observed-calls.js';
import { shadowMacSigner, type ShadowClients } from '../../local/adapters/shadow-aws-adapters.js';
import { ROUTES, type OperationId } from '../../functions/http/routes.js';
import { functionNameOf } from '../../local/route-lambdas.js';
import { currentFunction, invokeInProcess } from '../../local/lambda-invoker.js';
import { createAwaitEventHandler } from '../../functions/await-event.js';
import { macDestinationHasher } from '../../functions/adapters/destination-hash.js';
import type { DynamoLoanStore } from '../../functions/adapters/dynamo-loan-store.js';
import { sendKeyTag } from '../../functions/adapters/send-key-tag.js';
import { createRecordDeliveryReceiptHandler } from '../../functions/record-delivery-receipt.js';
import { createRecordEmailFeedbackHandler } from '../../functions/record-email-feedback.js';
import { createAnonymiseClosedLoansHandler } from '../../functions/anonymise-closed-loans.js';
import { SfnWorkflowControl } from '../../functions/adapters/sfn-workflow-control.js';
import { STATE_MACHINE_ARN } from '../../local/local-step-functions.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { LocalMacSigner } from '../../local/adapters/local-mac-signer.js';
import { sesSendEvent, smsDeliveryLog, smsLogsEvent } from '../support/receipt-events.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startLocalApp } from '../../local/local-app.js';
import { runPortfolio } from '../../local/run-portfolio.js';
import { behaviour } from '../../local/world/borrower-behaviour.js';
import { SimulatedWorld } from '../../local/world/simulated-world.js';
import { loanRequest } from '../support/loans.js';

type Statement = { Effect: string; Action: string | string[]; Resource?: unknown };
let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>>;
let observed = new Map<string, Set<string>>();
/** Step Functions, SNS, SES and KMS actions, per function. */
const observedAws = new Map<string, Set<string>>();
let shadows: (ShadowClients & { sfn: SFNClient }) | undefined;
let flagged = false;

/** The book: on time, late twice and cured, never paying (collections up to the legal referral), paid off early. */
const BOOK: [string, Parameters<typeof behaviour>[0]][] = [
  ['OBS-ONTIME', { payments: 'P P P P P P' }],
  ['OBS-LATE', { payments: 'P L5 L10 P P P', answerRate: 0.6 }],
  ['OBS-NOPAY', { payments: 'M M M M M M', answerRate: 0.5 }],
  ['OBS-PAYOFF', { payments: 'P X' }],
];

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  const requests = BOOK.map(([loanId]) => loanRequest({ loanId, termMonths: 6 }));
  const start = new Date(requests[0]!.disbursedAt);
  const until = new Date(start.getTime() + 200 * 86_400_000);
  const behaviours = new Map(BOOK.map(([id, script]) => [id, behaviour(script)]));
  let db: DynamoDBDocumentClient | undefined;
  const table = `observed-${process.pid}`;
  const app = await startLocalApp({
    endpoint: dynamo.endpoint,
    tableName: table,
    time: { kind: 'virtual', start, until },
    outbox: { append: () => undefined },
    onDynamoClient: (client) => {
      db = client;
      observed = observeTableCalls(client);
    },
    onAwsClients: (clients) => {
      observeSdkCalls(clients.sfn, 'states', observedAws);
      observeSdkCalls(clients.sns, 'sns', observedAws);
      observeSdkCalls(clients.ses, 'ses', observedAws);
      observeSdkCalls(clients.kms, 'kms', observedAws);
      shadows = clients;
    },
    world: ({ store, api }) => new SimulatedWorld(store, api, behaviours, 5),
  });
  try {
    const rows = requests.map((request, i) => ({ line: i + 1, request, behaviour: behaviours.get(request.loanId)! }));
    await runPortfolio(app, rows, until);
    // The unpaying loan waits with the legal team. Its record is corrupted in the table (a product no policy
    // knows), and a payment wakes it: the step fails for good and FlagForOperations flags the loan, chaining
    // its EXECUTION_FAILED record.
    await db!.send(
      new UpdateCommand({
        TableName: table,
        Key: keys.meta('OBS-NOPAY'),
        UpdateExpression: 'SET loan.product = :p',
        ExpressionAttributeValues: { ':p': 'houseboat' },
      }),
    );
    await app.api.recordPayment({ loanId: 'OBS-NOPAY', amount: 100, paidAt: new Date(app.clocks!.now('OBS-NOPAY')).toISOString(), paymentId: 'OBS-CORRUPT' });
    await app.runtime.whenIdle();
    flagged = (await app.store.getLoanView('OBS-NOPAY'))?.flagged !== undefined;

    // Two paths the book reaches only by chance of timing or size are taken directly, on the store the functions
    // use, under the name of the one function whose code takes them:
    // AwaitEvent finding events that came in while the step ran (it reads the inbox and wakes itself) ...
    const waiting = (await app.store.getSnapshot('OBS-NOPAY'))!;
    await app.store.appendInbox('OBS-NOPAY', { type: 'PAYMENT_RECEIVED', eventId: 'OBS-LATE-EVENT', at: until.toISOString(), amount: 100 });
    const awaitEvent = createAwaitEventHandler({
      store: app.store,
      workflow: { startExecution: async () => ({ executionArn: 'x', alreadyRunning: true }), sendTaskSuccess: async () => 'STALE' },
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    const woke = await invokeInProcess(HANDLER_FILES.awaitEvent, awaitEvent, {
      loanId: 'OBS-NOPAY',
      generation: waiting.state.generation,
      wakeAt: null,
      waitSeconds: 60,
      taskToken: 'token',
    });
    expect(woke).toEqual({ parked: false });
    // The receipt recorder, which AWS invokes with SES send events and SNS SMS delivery logs (no local provider
    // sends it any), with one of each.
    const recorder = createRecordDeliveryReceiptHandler({
      receipts: app.store as DynamoLoanStore,
      destinationHasher: macDestinationHasher(shadowMacSigner(shadows!, new LocalMacSigner(Buffer.alloc(32, 7)), 'receipt')),
      logger: new Logger({ logLevel: 'SILENT' }),
    });
    await invokeInProcess(HANDLER_FILES.recordDeliveryReceipt, recorder, sesSendEvent({ loanId: ['OBS-ONTIME'], sendKey: [sendKeyTag('WELCOME:EMAIL')] }));
    await invokeInProcess(HANDLER_FILES.recordDeliveryReceipt, recorder, smsLogsEvent([smsDeliveryLog('sns-sms-obs')]));
    // ... and AdvanceLoan committing a step larger than one transaction (a loan that slept through more than 100
    // events), in chunks each guarded by a ConditionCheck of the version.
    const snapshot = (await app.store.getSnapshot('OBS-ONTIME'))!;
    const [task] = await app.store.listTasks('OBS-ONTIME');
    const effects = Array.from({ length: 120 }, (_, i) => ({ kind: 'CREATE_TASK' as const, task: { ...task!, taskId: `${task!.taskId}-big-${i}` } }));
    const decision = {
      state: snapshot.state,
      instalments: snapshot.instalments,
      changedInstalments: [],
      effects,
      timeline: [],
      action: 'CLOSE' as const,
      wakeAt: null,
      phase: snapshot.state.phase ?? ('Servicing' as const),
    };
    await currentFunction.run(HANDLER_FILES.advanceLoan, () => app.store.commitDecision('OBS-ONTIME', snapshot.version, decision, []));
    await callEveryRoute(app, until);
    await runTheOtherFunctions(app);
  } finally {
    await app.stop();
  }
}, 180_000);

/**
 * Each route the book's world does not call, and the paths of those it does that only some requests take: on a
 * new loan that waits for its first contact, and on the unpaying loan the legal team holds.
 */
async function callEveryRoute(app: Awaited<ReturnType<typeof startLocalApp>>, at: Date): Promise<void> {
  const call = app.api.call;
  const fresh = loanRequest({ loanId: 'OBS-ROUTES', termMonths: 12, disbursedAt: at.toISOString() });
  const header = 'loanId,product,riskRating,principal,annualRate,termMonths,disbursedAt,timezone,phone,email';
  const csv = [header, `OBS-IMPORT,consumer,low,12000,0.08,12,${fresh.disbursedAt.slice(0, 10)},Asia/Shanghai,+8613800000999,imp@example.com`].join('\n');
  // Each twice: the second finds the loan there, reads it, and starts nothing new.
  await call('importLoans', { csv });
  await call('importLoans', { csv });
  await app.api.onboardLoan(fresh);
  await app.api.onboardLoan(fresh);
  await app.runtime.whenIdle();
  const id = { id: 'OBS-ROUTES' };
  const inThreeDays = new Date(app.clock('OBS-ROUTES').getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
  await call('getLoan', { params: id });
  await call('listTasks', { query: { purpose: 'FIRST_CONTACT' } });
  await call('reportLoanEvent', { params: id, body: { type: 'CONTACT_CHANGED', email: 'new@example.com' } });
  await call('createLoanTask', { params: id, body: { purpose: 'PERIODIC', dueBy: inThreeDays, note: 'Observed.' } });
  await call('changeRiskRating', { params: id, body: { riskRating: 'high', reason: 'CORRECTION' } });
  const plan = { extendMonths: 6, annualRate: null, graceMonths: 0, arrears: 'keep_due', requestId: 'obs-plan' };
  await call('previewRestructure', { params: id, body: plan });
  await call('restructureLoan', { params: id, body: plan, as: 'obs-risk' });
  // The same call outcome twice: the second is a replay, read back from the task.
  const outcome = { outcome: 'NO_ANSWER', requestId: 'obs-outcome' };
  await call('recordTaskOutcome', { params: { id: 'OBS-ROUTES.FIRST_CONTACT' }, body: outcome, as: 'obs-agent' });
  await call('recordTaskOutcome', { params: { id: 'OBS-ROUTES.FIRST_CONTACT' }, body: outcome, as: 'obs-agent' });
  const link = new URL(await app.unsubscribe.linkFor('OBS-ROUTES', new Date(app.clock('OBS-ROUTES').getTime() + 86_400_000)));
  const query = Object.fromEntries(link.searchParams);
  await call('showUnsubscribe', { query });
  await call('unsubscribe', { query, body: {} });
  const referrals = await call('listReferrals', {});
  const caseId = referrals.referrals?.[0]?.caseId ?? (await app.store.getSnapshot('OBS-NOPAY'))?.state.legalCaseId;
  await call('getReferralPackage', { params: { caseId } });
  await call('recordLegalEvent', { params: { caseId }, body: { event: 'hearing_scheduled', date: fresh.disbursedAt.slice(0, 10), eventId: 'obs-hearing' } });
  await app.runtime.whenIdle();
}

/**
 * The email feedback recorder (SES bounce events from EventBridge) and the daily retention job (EventBridge
 * Scheduler), under their own names: a permanent bounce of a waiting loan's email, and a run ten years on.
 */
async function runTheOtherFunctions(app: Awaited<ReturnType<typeof startLocalApp>>): Promise<void> {
  const logger = new Logger({ logLevel: 'SILENT' });
  const feedback = createRecordEmailFeedbackHandler({ store: app.store, workflow: new SfnWorkflowControl(shadows!.sfn, STATE_MACHINE_ARN), logger });
  const bounce = {
    source: 'aws.ses',
    'detail-type': 'Email Bounced',
    detail: {
      eventType: 'Bounce',
      mail: { messageId: 'obs-ses-1', tags: { loanId: ['OBS-ROUTES'], sendKey: [sendKeyTag('WELCOME:EMAIL')] } },
      bounce: { bounceType: 'Permanent', timestamp: app.clock('OBS-ROUTES').toISOString() },
    },
  };
  expect(await invokeInProcess(FEEDBACK_FILE, feedback, bounce)).toMatchObject({ result: 'OPTED_OUT', delivery: 'WOKEN' });
  const policies = loadAllPolicies();
  const retention = createAnonymiseClosedLoansHandler({
    store: app.store,
    policies: (product) => policies[product],
    auditSigner: app.audit.signer,
    clock: () => new Date('2036-06-01T00:00:00Z'),
    logger,
  });
  expect((await invokeInProcess(RETENTION_FILE, retention, {})).anonymised).toContain('OBS-PAYOFF');
  await app.runtime.whenIdle();
}

afterAll(async () => {
  await dynamo?.stop();
});

const { stack, template } = synthesizeStack();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;

/**
 * The table actions (`Query (index)` on a secondary index) and the Step Functions, SNS, SES and KMS actions the
 * template lets the function's role take.
 */
function granted(fn: { node: { defaultChild?: unknown } }): { table: string[]; aws: string[] } {
  const fnId = stack.getLogicalId(fn.node.defaultChild as never);
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
  const statements: Statement[] = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: any) => role.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement)
    .filter((s: Statement) => s.Effect === 'Allow');
  const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
  const onIndex = (s: Statement) => JSON.stringify(s.Resource).includes('/index/');
  const table = statements.flatMap((s) =>
    actions(s)
      .filter((a) => a.startsWith('dynamodb:'))
      .map((a) => `${a.slice('dynamodb:'.length)}${onIndex(s) ? ' (index)' : ''}`),
  );
  const aws = statements.flatMap(actions).filter((a) => /^(states|sns|ses):/.test(a) || (a.startsWith('kms:') && !ENCRYPTION_AT_REST.has(a)));
  return { table: [...new Set(table)].sort(), aws: [...new Set(aws)].sort() };
}

/** KMS actions no code calls: DynamoDB, SQS and the logs use them for encryption at rest, on the caller's behalf. */
const ENCRYPTION_AT_REST = new Set(['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKey*', 'kms:ReEncrypt*']);

const seen = (from: Map<string, Set<string>>, name: string) => [...(from.get(name) ?? [])].sort();

const WORKFLOW = Object.entries(HANDLER_FILES) as [HandlerName, string][];
const FEEDBACK_FILE = 'record-email-feedback';
const RETENTION_FILE = 'anonymise-closed-loans';

describe('what the workflow functions are granted on the table is what they were seen to send', () => {
  it('the book reached every path: a corrupted record flagged its loan', () => {
    expect(flagged).toBe(true);
  });

  it.each(WORKFLOW)('%s', (name, file) => {
    expect(seen(observed, file).length, `${file} sent nothing: the book did not reach it`).toBeGreaterThan(0);
    expect(granted(stack.functions[name])).toEqual({ table: seen(observed, file), aws: seen(observedAws, file) });
  });
});

describe('what the event-driven and scheduled functions are granted is what they were seen to send', () => {
  it.each([
    ['the email feedback recorder', FEEDBACK_FILE, () => stack.emailFeedback],
    ['the retention job', RETENTION_FILE, () => stack.retention.function],
  ] as const)('%s (%s)', (_what, file, fn) => {
    expect(seen(observed, file).length, `${file} sent nothing`).toBeGreaterThan(0);
    expect(granted(fn())).toEqual({ table: seen(observed, file), aws: seen(observedAws, file) });
  });
});

const ROUTE_FUNCTIONS = ROUTES.map((route) => [route.operationId, functionNameOf(route.file)] as [OperationId, string]);

describe('what each route’s function is granted is what it was seen to send', () => {
  it.each(ROUTE_FUNCTIONS)('%s (%s)', (operationId, name) => {
    const sent = seen(observed, name);
    expect(sent.length, `${name} sent nothing: no call reached it`).toBeGreaterThan(0);
    expect(granted(stack.operationsApi.functions[operationId])).toEqual({ table: sent, aws: seen(observedAws, name) });
  });
});
