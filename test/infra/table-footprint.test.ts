// Least privilege, proved on the code: each code path held by an IAM condition runs on DynamoDB Local (the table
// and its gsi1 projection as the stack creates them), every request it sends is recorded, and each must be allowed
// by the statements the synthesized template gives its function: action, table or index, and the conditions
// (dynamodb:LeadingKeys, dynamodb:Attributes, dynamodb:Select), evaluated as IAM would on the names the request
// carries (item, key, update, condition, projection and filter). A code path that outgrows its grant fails here.
import { chainEvents, GENESIS } from '../../workflows/audit/hash-chain.js';
import { Logger } from '@aws-lambda-powertools/logger';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoLoanStore } from '../../functions/adapters/dynamo-loan-store.js';
import { deliverEvent } from '../../functions/deliver-event.js';
import { getReferrals } from '../../functions/http/get-referrals.js';
import { getTasks } from '../../functions/http/get-tasks.js';
import type { RouteHandler } from '../../functions/http/http-handler.js';
import { postLoanPayments } from '../../functions/http/post-loan-payments.js';
import type { LegalCasePackage, WorkflowControl } from '../../functions/ports.js';
import { synthesizeStack } from '../../infra/asl.js';
import { ROUTE_ACCESS } from '../../infra/constructs/operations-api.js';
import { INBOX_WRITER } from '../../infra/constructs/table-conditions.js';
import { createLocalDynamoClient, ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local.js';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import type { Product } from '../../workflows/domain/types.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { testInstalments, contractLoan, testTask } from '../contract/loan-store-contract.js';

const { template, stack } = synthesizeStack();
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const idOf = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as never);

type Statement = { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

/** A request as IAM sees it: the action, table or index, the partition keys and the attribute names it names. */
interface TableRequest {
  action: string;
  on: 'table' | 'index';
  leadingKeys: string[];
  attributes: string[];
  select?: string;
}

const TABLE_ARN = JSON.stringify({ 'Fn::GetAtt': [idOf(stack.table.table), 'Arn'] });

function statementsOf(fn: { node: { defaultChild?: unknown } }): Statement[] {
  const role = resources[idOf(fn)]!.Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === role))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Statement[]);
}

const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(value);

/** Whether the condition block holds for the request; a key this evaluator does not know fails it. */
function conditionHolds(condition: Record<string, Record<string, unknown>> | undefined, request: TableRequest): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const values = (Array.isArray(expected) ? expected : [expected]) as string[];
      const actual =
        key === 'dynamodb:Attributes'
          ? request.attributes
          : key === 'dynamodb:LeadingKeys'
            ? request.leadingKeys
            : key === 'dynamodb:Select'
              ? [request.select]
              : undefined;
      if (!actual) return false;
      if (operator === 'ForAllValues:StringEquals' && !actual.every((a) => values.includes(a!))) return false;
      else if (operator === 'ForAllValues:StringLike' && !actual.every((a) => values.some((v) => glob(v, a!)))) return false;
      else if (operator === 'StringEquals' && !(actual.length === 1 && values.includes(actual[0]!))) return false;
      else if (!['ForAllValues:StringEquals', 'ForAllValues:StringLike', 'StringEquals'].includes(operator)) return false;
    }
  }
  return true;
}

function allowed(statements: Statement[], request: TableRequest): boolean {
  return statements.some((s) => {
    if (s.Effect !== 'Allow') return false;
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (!actions.includes(`dynamodb:${request.action}`)) return false;
    const targets = (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => JSON.stringify(r));
    const onTarget = targets.some((t) =>
      request.on === 'table' ? t === TABLE_ARN : t.includes(TABLE_ARN) && t.includes(`/index/${TABLE_SCHEMA.queueIndex.name}`),
    );
    return onTarget && conditionHolds(s.Condition, request);
  });
}

const KEYWORDS = new Set([
  'SET',
  'REMOVE',
  'ADD',
  'DELETE',
  'AND',
  'OR',
  'NOT',
  'BETWEEN',
  'IN',
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
  'if_not_exists',
  'list_append',
]);

/** The top-level attribute names an expression names (`#x` resolved, values and functions left out). */
function namesIn(expression: string | undefined, names: Record<string, string> = {}): string[] {
  if (!expression) return [];
  return expression
    .replace(/:[A-Za-z0-9_]+/g, ' ')
    .split(/[^A-Za-z0-9_#.[\]]+/)
    .map((token) => token.split(/[.[]/)[0]!)
    .filter((top) => top !== '' && !KEYWORDS.has(top) && !/^\d/.test(top))
    .map((top) => (top.startsWith('#') ? names[top]! : top));
}

/** A string as the store wrote it, or as the document client marshalled it for the plain client under it. */
const text = (value: unknown): string => (typeof value === 'object' && value !== null && 'S' in value ? (value as { S: string }).S : (value as string));

/** Command names from the document client and from the plain client under it. */
const COMMANDS: Record<string, string> = {
  GetItemCommand: 'GetCommand',
  PutItemCommand: 'PutCommand',
  UpdateItemCommand: 'UpdateCommand',
  DeleteItemCommand: 'DeleteCommand',
  TransactWriteItemsCommand: 'TransactWriteCommand',
  BatchGetItemCommand: 'BatchGetCommand',
  BatchWriteItemCommand: 'BatchWriteCommand',
};

function requestsOf(name: string, input: Record<string, any>): TableRequest[] {
  const command = COMMANDS[name] ?? name;
  const expressions = (i: Record<string, any>) =>
    ['UpdateExpression', 'ConditionExpression', 'ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'].flatMap((e) =>
      namesIn(i[e], i.ExpressionAttributeNames),
    );
  const item = (action: string, i: Record<string, any>, attributes: string[]): TableRequest => ({
    action,
    on: 'table',
    leadingKeys: [text((i.Key ?? i.Item).pk)],
    attributes: [...new Set([...attributes, ...expressions(i)])],
    ...(action === 'GetItem' ? { select: i.ProjectionExpression ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES' } : {}),
  });
  switch (command) {
    case 'GetCommand':
      return [item('GetItem', input, Object.keys(input.Key))];
    case 'PutCommand':
      return [item('PutItem', input, Object.keys(input.Item))];
    case 'UpdateCommand':
      return [item('UpdateItem', input, Object.keys(input.Key))];
    case 'DeleteCommand':
      return [item('DeleteItem', input, Object.keys(input.Key))];
    case 'TransactWriteCommand':
      return (input.TransactItems as Record<string, any>[]).map((t) => {
        const [kind, i] = Object.entries(t)[0]!;
        const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind]!;
        return item(action, i, Object.keys(i.Item ?? i.Key));
      });
    case 'BatchGetCommand':
      return Object.values(input.RequestItems as Record<string, { Keys: Record<string, string>[]; ProjectionExpression?: string }>).flatMap((r) =>
        r.Keys.map((key) => ({
          action: 'BatchGetItem',
          on: 'table' as const,
          leadingKeys: [text(key.pk)],
          attributes: Object.keys(key),
          select: r.ProjectionExpression ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES',
        })),
      );
    case 'QueryCommand': {
      const partitionKey = input.IndexName ? TABLE_SCHEMA.queueIndex.partitionKey : TABLE_SCHEMA.partitionKey;
      const placeholder = new RegExp(`${partitionKey} = (:[A-Za-z0-9_]+)`).exec(input.KeyConditionExpression)![1]!;
      return [
        {
          action: 'Query',
          on: input.IndexName ? 'index' : 'table',
          leadingKeys: [text(input.ExpressionAttributeValues[placeholder])],
          attributes: [...new Set(expressions(input))],
          select: input.Select ?? (input.ProjectionExpression ? 'SPECIFIC_ATTRIBUTES' : input.IndexName ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES'),
        },
      ];
    }
    case 'ScanCommand':
      return [
        {
          action: 'Scan',
          on: input.IndexName ? 'index' : 'table',
          leadingKeys: [],
          attributes: [...new Set(expressions(input))],
          select: input.Select ?? (input.ProjectionExpression ? 'SPECIFIC_ATTRIBUTES' : 'ALL_ATTRIBUTES'),
        },
      ];
    default:
      return [{ action: command.replace(/Command$/, ''), on: 'table', leadingKeys: [], attributes: [] }];
  }
}

let server: DynamoDbLocal;
let db: DynamoDBDocumentClient;
let store: DynamoLoanStore;
const sent: TableRequest[] = [];
let recording = false;

const NOW = '2026-03-02T02:00:00.000Z';
const logger = new Logger({ logLevel: 'SILENT' });
const workflow: WorkflowControl = { startExecution: async () => ({ executionArn: 'arn', alreadyRunning: false }), sendTaskSuccess: async () => 'DELIVERED' };
const ports = {
  store: undefined as unknown as DynamoLoanStore,
  workflow,
  clock: () => new Date(NOW),
  logger,
  policies: (product: Product) => loadAllPolicies()[product],
};
const principal = { sub: 'u-1', username: 'admin-user', groups: ['admin' as const] };

beforeAll(async () => {
  server = await startDynamoDbLocal({});
  db = createLocalDynamoClient(server.endpoint);
  const tableName = `footprint-${process.pid}`;
  // DynamoDB Local's table as the stack's LoanTable makes it (gsi1 projects only the queue's fields).
  await ensureTable(db, tableName);
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (recording) sent.push(...requestsOf(String(context.commandName), (args.input ?? {}) as Record<string, any>));
      return next(args);
    },
    { step: 'initialize', name: 'recordTableRequests' },
  );
  store = new DynamoLoanStore(db, tableName);
  ports.store = store;

  // Two loans with open tasks (one called once), one referred to the legal team.
  for (const loanId of ['FP-1', 'FP-2']) {
    await store.createLoan({
      loan: contractLoan(loanId),
      contact: { phone: '+8613800000000', email: 'b@example.com' },
      instalments: testInstalments(),
      requestHash: loanId,
      now: NOW,
    });
    const snapshot = (await store.getSnapshot(loanId))!;
    const task = testTask(loanId, 'FIRST_CONTACT', 'FIRST_CONTACT', { queue: 'callback', note: 'after 6pm', adHoc: true, requestedBy: 'agent-1' });
    await store.commitDecision(
      loanId,
      0,
      {
        state: snapshot.state,
        instalments: snapshot.instalments,
        changedInstalments: [],
        effects: [{ kind: 'CREATE_TASK', task }],
        timeline: [],
        action: 'WAIT',
        wakeAt: null,
      },
      [],
    );
  }
  const outcome = { outcome: 'NO_ANSWER' as const, findings: [], final: false, at: NOW, by: 'agent-7', notes: 'voicemail' };
  await store.recordCallAttempt({
    taskId: 'FP-1.FIRST_CONTACT',
    seenAttempts: 0,
    outcome,
    event: {
      type: 'CALLBACK_OUTCOME',
      eventId: 'FP-1.FIRST_CONTACT#1',
      at: NOW,
      taskId: 'FP-1.FIRST_CONTACT',
      purpose: 'FIRST_CONTACT',
      outcome: 'NO_ANSWER',
      findings: [],
      final: false,
      by: 'agent-7',
    },
  });
  const pkg: LegalCasePackage = {
    caseId: 'CASE-FP-2',
    loanId: 'FP-2',
    referredAt: NOW,
    reason: 'evasion',
    loan: contractLoan('FP-2'),
    instalments: testInstalments(),
    tasks: [],
    timeline: [],
    warningLevel: 'ADVANCED',
    classification: 'DOUBTFUL',
  };
  await store.putLegalCase(pkg);
}, 120_000);

afterAll(async () => {
  db?.destroy();
  await server?.stop();
});

/** Runs `work` and returns the requests it sent, each with whether the function's statements allow it. */
async function footprint(fn: { node: { defaultChild?: unknown } }, work: () => Promise<unknown>): Promise<{ request: TableRequest; allowed: boolean }[]> {
  sent.length = 0;
  recording = true;
  try {
    await work();
  } finally {
    recording = false;
  }
  const statements = statementsOf(fn);
  return sent.map((request) => ({ request, allowed: allowed(statements, request) }));
}

const refusedOf = (requests: { request: TableRequest; allowed: boolean }[]) => requests.filter((r) => !r.allowed).map((r) => r.request);
const call = (handler: RouteHandler, request: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown }) =>
  handler({ principal, params: request.params ?? {}, query: request.query ?? {}, body: request.body, path: '/' });

describe('each code path held by a condition stays within its grant (DynamoDB Local, gsi1 projected as deployed)', () => {
  it("GET /api/tasks: the queue's task fields through the index, each loan's record and schedule, and the answer is whole", async () => {
    let answer: Awaited<ReturnType<RouteHandler>> | undefined;
    const requests = await footprint(stack.operationsApi.functions.listTasks, async () => {
      answer = await call(getTasks(ports), { query: { limit: 100 } });
    });
    expect(requests.map((r) => `${r.request.action} ${r.request.on}`)).toEqual(['Query index', 'Query table', 'Query table']);
    expect(refusedOf(requests)).toEqual([]);
    const tasks = (answer!.body as { tasks: Record<string, unknown>[] }).tasks;
    expect(tasks.map((t) => t.taskId).sort()).toEqual(['FP-1.FIRST_CONTACT', 'FP-2.FIRST_CONTACT']);
    expect(tasks.find((t) => t.taskId === 'FP-1.FIRST_CONTACT')).toMatchObject({
      attempts: 1,
      lastAttemptAt: NOW,
      adHoc: true,
      note: 'after 6pm',
      queue: 'callback',
      product: 'car',
    });
    // The index returns the task with every field it has.
    expect((await store.listOpenTasks()).find((t) => t.taskId === 'FP-1.FIRST_CONTACT')).toEqual(await store.getTask('FP-1.FIRST_CONTACT'));
  });

  it('GET /api/referrals: the summaries through the index, nothing of the table', async () => {
    let answer: Awaited<ReturnType<RouteHandler>> | undefined;
    const requests = await footprint(stack.operationsApi.functions.listReferrals, async () => {
      answer = await call(getReferrals(ports), {});
    });
    expect(requests.map((r) => `${r.request.action} ${r.request.on}`)).toEqual(['Query index']);
    expect(refusedOf(requests)).toEqual([]);
    expect(answer!.body).toEqual({
      referrals: [expect.objectContaining({ caseId: 'CASE-FP-2', loanId: 'FP-2', reason: 'evasion', warningLevel: 'ADVANCED', product: 'car' })],
    });
  });

  it('POST /api/loans/{id}/payments: the inbox event and the count', async () => {
    const requests = await footprint(stack.operationsApi.functions.recordPayment, () =>
      call(postLoanPayments(ports), { params: { id: 'FP-1' }, body: { amount: 100, paymentId: 'BANK-1' } }),
    );
    expect(requests.map((r) => r.request.action)).toEqual(['PutItem', 'UpdateItem', 'GetItem']);
    expect(refusedOf(requests)).toEqual([]);
  });

  it('every route held to INBOX_WRITER, the public unsubscribe among them: its write path (deliverEvent) fits its grant', async () => {
    const routes = (Object.keys(ROUTE_ACCESS) as (keyof typeof ROUTE_ACCESS)[]).filter((id) => ROUTE_ACCESS[id].conditions === INBOX_WRITER);
    expect(routes).toContain('unsubscribe');
    for (const [n, id] of routes.entries()) {
      const event = { type: 'OPTED_OUT' as const, eventId: `OPT-${n}`, at: NOW, channels: ['EMAIL' as const], by: 'borrower' };
      const requests = await footprint(stack.operationsApi.functions[id], async () => {
        await store.getLoan('FP-2');
        await deliverEvent(ports, 'FP-2', event);
      });
      expect(refusedOf(requests), id).toEqual([]);
    }
  });

  it('the receipt recorder: a send receipt and an SMS receipt by destination, in their own partitions', async () => {
    const requests = await footprint(stack.functions.recordDeliveryReceipt, async () => {
      await store.putReceipt({ loanId: 'FP-1', key: 'WELCOME:EMAIL', messageId: 'ses-1', acceptedAt: NOW });
      await store.putDestinationReceipt({ destination: 'hash-1', messageId: 'sns-1', acceptedAt: NOW });
    });
    expect(requests.map((r) => r.request.leadingKeys[0])).toEqual(['RECEIPT#FP-1', 'SMSDEST#hash-1']);
    expect(refusedOf(requests)).toEqual([]);
    expect(await store.getReceipt('FP-1', 'WELCOME:EMAIL')).toEqual({ loanId: 'FP-1', key: 'WELCOME:EMAIL', messageId: 'ses-1', acceptedAt: NOW });
  });

  it('FlagForOperations: the audit head, then the flag and the chained EXECUTION_FAILED record in one transaction', async () => {
    const requests = await footprint(stack.functions.flagForOperations, async () => {
      const head = (await store.getLoan('FP-1'))!.state.auditHead ?? null;
      const chained = chainEvents(head ?? GENESIS, [
        { loanId: 'FP-1', at: NOW, type: 'EXECUTION_FAILED', key: `EXECUTION_FAILED:${NOW}`, error: 'States.TaskFailed' },
      ]);
      await store.markFlagged('FP-1', 'States.TaskFailed', NOW, { records: chained.events, from: head, to: chained.head });
    });
    expect(requests.map((r) => r.request.action)).toEqual(['GetItem', 'PutItem', 'UpdateItem']);
    expect(refusedOf(requests)).toEqual([]);
  });

  it("the anchor job: a scan (in parallel segments) that asks for the loans' audit heads and nothing else", async () => {
    let heads: Awaited<ReturnType<DynamoLoanStore['listAuditHeads']>> = [];
    const requests = await footprint(stack.auditTrail.anchorFunction, async () => {
      heads = await store.listAuditHeads(2);
    });
    expect(requests.map((r) => `${r.request.action} ${r.request.on} ${r.request.select} ${r.request.attributes.sort().join(',')}`)).toEqual([
      'Scan table SPECIFIC_ATTRIBUTES pk,sk,state',
      'Scan table SPECIFIC_ATTRIBUTES pk,sk,state',
    ]);
    expect(refusedOf(requests)).toEqual([]);
    expect(heads).toEqual([{ loanId: 'FP-1', head: (await store.getLoan('FP-1'))!.state.auditHead }]);
    // The same role may not read a whole item, nor any other field.
    const statements = statementsOf(stack.auditTrail.anchorFunction);
    const scan = (attributes: string[], select = 'SPECIFIC_ATTRIBUTES') =>
      allowed(statements, { action: 'Scan', on: 'table', leadingKeys: [], attributes, select });
    expect(scan(['pk', 'sk', 'state'])).toBe(true);
    expect(scan([], 'ALL_ATTRIBUTES')).toBe(false);
    for (const field of ['loan', 'event', 'phone', 'casePackage']) expect(scan(['pk', 'sk', 'state', field]), field).toBe(false);
  });
});

describe('the conditions bite (the same evaluation refuses what the roles must not do)', () => {
  const statementsOfRoute = (id: keyof typeof ROUTE_ACCESS) => statementsOf(stack.operationsApi.functions[id]);

  it('the unsubscribe route may not write a loan, a contact or a task field', () => {
    const statements = statementsOfRoute('unsubscribe');
    const write = (action: string, attributes: string[]) =>
      allowed(statements, { action, on: 'table', leadingKeys: ['LOAN#FP-1'], attributes: ['pk', 'sk', ...attributes] });
    expect(write('PutItem', ['event'])).toBe(true);
    expect(write('UpdateItem', ['inboxPending', 'state'])).toBe(true);
    for (const field of ['loan', 'email', 'phone', 'casePackage', 'status', 'waitToken', 'version', 'expiresAt']) {
      expect(write('PutItem', ['event', field]), field).toBe(false);
      expect(write('UpdateItem', [field]), field).toBe(false);
    }
  });

  it("the receipt recorder may not touch a loan's partition", () => {
    const statements = statementsOf(stack.functions.recordDeliveryReceipt);
    expect(allowed(statements, { action: 'PutItem', on: 'table', leadingKeys: ['RECEIPT#FP-1'], attributes: [] })).toBe(true);
    expect(allowed(statements, { action: 'PutItem', on: 'table', leadingKeys: ['LOAN#FP-1'], attributes: [] })).toBe(false);
    expect(allowed(statements, { action: 'UpdateItem', on: 'table', leadingKeys: ['LOAN#FP-1'], attributes: [] })).toBe(false);
  });

  it('the work queue may not read a case package, a contact or a timeline, nor a whole item', () => {
    const statements = statementsOfRoute('listTasks');
    const query = (on: 'table' | 'index', attributes: string[], select = 'SPECIFIC_ATTRIBUTES') =>
      allowed(statements, { action: 'Query', on, leadingKeys: ['LOAN#FP-2'], attributes: ['pk', 'sk', ...attributes], select });
    expect(query('table', ['loan', 'state'])).toBe(true);
    for (const field of ['casePackage', 'phone', 'email', 'event']) expect(query('table', [field]), field).toBe(false);
    expect(query('table', [], 'ALL_ATTRIBUTES')).toBe(false);
    expect(query('index', ['referral'])).toBe(false);
    expect(query('index', [], 'ALL_PROJECTED_ATTRIBUTES')).toBe(false);
    expect(
      allowed(statementsOfRoute('listReferrals'), {
        action: 'Query',
        on: 'table',
        leadingKeys: ['LOAN#FP-2'],
        attributes: ['pk', 'sk', 'casePackage'],
        select: 'SPECIFIC_ATTRIBUTES',
      }),
    ).toBe(false);
  });
});
