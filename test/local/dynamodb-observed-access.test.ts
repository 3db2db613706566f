// Least privilege from observed calls: the workflow's functions run a small book on the local engine against
// DynamoDB Local, every table call charged to the function it was made in (local/adapters/observed-table-calls.ts),
// and what the template grants each function must be exactly what it was seen to send: an action granted and
// never sent, or sent and not granted, fails here.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/adapters/table-keys.js';
import { synthesizeStack } from '../../infra/asl.js';
import { HANDLER_FILES, type HandlerName } from '../../infra/constructs/follow-up-functions.js';
import { observeTableCalls } from '../../local/adapters/observed-table-calls.js';
import { currentFunction, invokeInProcess } from '../../local/lambda-invoker.js';
import { createAwaitEventHandler } from '../../functions/await-event.js';
import { macDestinationHasher } from '../../functions/adapters/destination-hash.js';
import type { DynamoLoanStore } from '../../functions/adapters/dynamo-loan-store.js';
import { sendKeyTag } from '../../functions/adapters/send-key-tag.js';
import { createRecordDeliveryReceiptHandler } from '../../functions/record-delivery-receipt.js';
import { LocalMacSigner } from '../../local/adapters/local-mac-signer.js';
import { sesSendEvent, smsDeliveryLog, smsLogsEvent } from '../support/receipt-events.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startLocalApp } from '../../local/local-app.js';
import { runPortfolio } from '../../local/run-portfolio.js';
import { behaviour } from '../../local/world/borrower-behaviour.js';
import { SimulatedWorld } from '../../local/world/simulated-world.js';
import { loanRequest } from '../support/story-harness.js';

type Statement = { Effect: string; Action: string | string[] };
let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>>;
let observed = new Map<string, Set<string>>();
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
      destinationHasher: macDestinationHasher(new LocalMacSigner(Buffer.alloc(32, 7))),
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
  } finally {
    await app.stop();
  }
}, 180_000);

afterAll(async () => {
  await dynamo?.stop();
});

const { stack, template } = synthesizeStack();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: any }>;

/** The table actions the template lets the function's role take. */
function grantedTableActions(name: HandlerName): string[] {
  const fnId = stack.getLogicalId(stack.functions[name].node.defaultChild as never);
  const roleId = resources[fnId]!.Properties.Role['Fn::GetAtt'][0];
  const statements: Statement[] = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: any) => role.Ref === roleId))
    .flatMap((r) => r.Properties.PolicyDocument.Statement);
  return [
    ...new Set(
      statements
        .filter((s) => s.Effect === 'Allow')
        .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
        .filter((a) => a.startsWith('dynamodb:'))
        .map((a) => a.slice('dynamodb:'.length)),
    ),
  ].sort();
}

const WORKFLOW = Object.entries(HANDLER_FILES) as [HandlerName, string][];

describe('what the workflow functions are granted on the table is what they were seen to send', () => {
  it('the book reached every path: a corrupted record flagged its loan', () => {
    expect(flagged).toBe(true);
  });

  it.each(WORKFLOW)('%s', (name, file) => {
    const seen = [...(observed.get(file) ?? [])].sort();
    expect(seen.length, `${file} sent nothing: the book did not reach it`).toBeGreaterThan(0);
    expect(grantedTableActions(name)).toEqual(seen);
  });
});
