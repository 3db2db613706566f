// Handlers with their AWS adapters, the SDK mocked by aws-sdk-client-mock.
import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { ExecutionAlreadyExists, SFNClient, SendTaskSuccessCommand, StartExecutionCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  BatchWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoLoanStore } from '../../functions/adapters/dynamo-loan-store.js';
import { SesEmailSender } from '../../functions/adapters/ses-email-sender.js';
import { SfnWorkflowControl } from '../../functions/adapters/sfn-workflow-control.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import { onboardLoan } from '../../functions/onboard-loan.js';
import { recordCallbackOutcome } from '../../functions/record-callback-outcome.js';
import { postTaskOutcome } from '../../functions/http/post-task-outcome.js';
import { postUnsubscribe } from '../../functions/http/unsubscribe.js';
import { ForbiddenError } from '../../functions/http/http-errors.js';
import { recordPayment } from '../../functions/record-payment.js';
import { createAwaitEventHandler } from '../../functions/await-event.js';
import { TransientDependencyError } from '../../functions/errors.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import type { Product } from '../../workflows/domain/types.js';
import { loanRequestBody } from '../support/loans.js';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const sns = mockClient(SNSClient);
const ses = mockClient(SESv2Client);
const context = { functionName: 'test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
const logger = new Logger({ logLevel: 'SILENT' });
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:loan-followup';

function ports() {
  const store = new DynamoLoanStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'loans');
  const workflow = new SfnWorkflowControl(new SFNClient({ region: 'eu-west-1' }), STATE_MACHINE);
  return { store, workflow, logger, clock: () => new Date('2026-01-05T02:00:00Z'), policies: (product: Product) => loadAllPolicies()[product] };
}

const request = loanRequestBody({ loanId: 'L-100', product: 'car', principal: 120000, annualRate: 0.05, termMonths: 36, email: 'wang@example.com' });

beforeEach(() => {
  ddb.reset();
  sfn.reset();
  sns.reset();
  ses.reset();
});

describe('onboard-loan', () => {
  it('stores loan, contact and 36 instalments in one transaction and starts the execution with ids only', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(BatchWriteCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    const result = await onboardLoan(ports())(request);
    expect(result).toMatchObject({ loanId: 'L-100', created: true, instalments: 36, firstDueDate: '2026-02-05' });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(38);
    const start = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(start.name).toBe('L-100-g0');
    expect(JSON.parse(start.input!)).toEqual({ loanId: 'L-100', generation: 0, iteration: 0 });
    expect(start.input).not.toContain('+86');
  });

  it('returns the same loan for the same body and never starts a second execution', async () => {
    const cancelled = new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejects(cancelled);
    ddb.on(BatchWriteCommand).resolves({});
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'arn:exec', startDate: new Date() })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const handler = onboardLoan(ports());
    await handler(request);
    const first = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems![0]!.Put!.Item!;
    ddb.on(GetCommand).resolves({ Item: { loan: first.loan, requestHash: first.requestHash } });
    const again = await handler(request);
    expect(again).toMatchObject({ loanId: 'L-100', created: false });
  });

  it('answers 409 when the same loan id comes with different details', async () => {
    const cancelled = new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
    ddb.on(TransactWriteCommand).rejects(cancelled);
    ddb.on(GetCommand).resolves({ Item: { loan: {}, requestHash: 'something-else' } });
    await expect(onboardLoan(ports())({ ...request, principal: 99999 })).rejects.toMatchObject({ statusCode: 409, field: 'loanId' });
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it.each([
    ['phone', { phone: '12345' }],
    ['email', { email: 'not-an-email' }],
    ['timezone', { timezone: 'Mars/Olympus' }],
    ['principal', { principal: -5 }],
    ['termMonths', { termMonths: 2.5 }],
    ['disbursedAt', { disbursedAt: '2026-02-30' }],
    ['loanId', { loanId: 'a.b' }],
  ])('refuses a bad %s with a 400 naming the field and writes nothing', async (field, patch) => {
    await expect(onboardLoan(ports())({ ...request, ...patch })).rejects.toMatchObject({ statusCode: 400, field });
    expect(ddb.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('refuses unknown fields', async () => {
    await expect(onboardLoan(ports())({ ...request, nickname: 'x' })).rejects.toThrow(/nickname/);
  });
});

describe('record-callback-outcome', () => {
  const loan = { loanId: 'L-100', timezone: 'Asia/Shanghai', product: 'car' };
  const state = { status: 'ACTIVE', optedOut: [], recentContacts: [] };
  const storedTask = (taskId: string, purpose: string, status = 'OPEN', waitToken?: string) => {
    const taskItem = { pk: 'LOAN#L-100', sk: `TASK#${taskId}`, taskId, purpose, status };
    const meta = { pk: 'LOAN#L-100', sk: 'META', loan, state, ...(waitToken ? { waitToken } : {}) };
    ddb.on(GetCommand, { Key: { pk: 'LOAN#L-100', sk: `TASK#${taskId}` } }).resolves({ Item: taskItem });
    ddb.on(GetCommand, { Key: { pk: 'LOAN#L-100', sk: 'META' } }).resolves({ Item: meta });
    ddb.on(BatchGetCommand).resolves({ Responses: { loans: [meta, taskItem] } });
  };

  it('completes an open task and wakes the waiting execution', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    storedTask('L-100.FIRST_CONTACT', 'FIRST_CONTACT', 'OPEN', 'token-1');
    sfn.on(SendTaskSuccessCommand).resolves({});
    const result = await recordCallbackOutcome(ports())({
      taskId: 'L-100.FIRST_CONTACT',
      outcome: 'REACHED',
      findings: ['funds_received'],
      requestId: 'console-0001',
    });
    expect(result).toMatchObject({ status: 'DONE', delivery: 'WOKEN' });
    // One transaction: the task answered (as first attempt, this requestId not seen before) and the loan's event.
    const [task, inbox] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(task!.Update!.ConditionExpression).toContain('NOT contains(requestIds, :ridValue)');
    expect(task!.Update!.ExpressionAttributeValues).toMatchObject({ ':ridValue': 'console-0001', ':next': 1, ':o': 'REACHED' });
    expect(inbox!.Put!.Item).toMatchObject({ sk: expect.stringMatching(/^INBOX#/), event: { type: 'CALLBACK_OUTCOME', eventId: 'L-100.FIRST_CONTACT#1' } });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe('token-1');
    // Before the write, one read: the task and the loan's record together, consistently.
    const [read] = ddb.commandCalls(BatchGetCommand);
    expect(read!.args[0].input.RequestItems!.loans).toEqual({
      Keys: [
        { pk: 'LOAN#L-100', sk: 'TASK#L-100.FIRST_CONTACT' },
        { pk: 'LOAN#L-100', sk: 'META' },
      ],
      ConsistentRead: true,
    });
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.ProjectionExpression)).toEqual(['waitToken']);
  });

  it("puts the SHA-256 of the notes, not the notes, on the loan's event (the chained record); the notes stay on the task", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    storedTask('L-100.FIRST_CONTACT', 'FIRST_CONTACT', 'OPEN');
    const notes = 'wife answered, will call back after 6';
    await recordCallbackOutcome(ports())({ taskId: 'L-100.FIRST_CONTACT', outcome: 'REACHED', notes });
    const [task, inbox] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(inbox!.Put!.Item!.event).toMatchObject({ notesSha256: createHash('sha256').update(notes).digest('hex') });
    expect(JSON.stringify(inbox!.Put!.Item)).not.toContain('wife');
    expect(JSON.stringify(task!.Update!.ExpressionAttributeValues)).toContain(notes);
  });

  it("the API's route checks the caller's groups on the handler's own read: one BatchGet, no read of the task before it", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    storedTask('L-100.FIRST_CONTACT', 'FIRST_CONTACT', 'OPEN', 'token-1');
    sfn.on(SendTaskSuccessCommand).resolves({});
    const agent = { username: 'agent-7', sub: 'sub-7', groups: ['agent' as const] };
    const answer = await postTaskOutcome(ports())({
      principal: agent,
      params: { id: 'L-100.FIRST_CONTACT' },
      body: { outcome: 'REACHED' },
      query: {},
    } as never);
    expect(answer).toMatchObject({ status: 200, body: { status: 'DONE', delivery: 'WOKEN' } });
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(ddb.commandCalls(GetCommand).map((c) => c.args[0].input.ProjectionExpression)).toEqual(['waitToken']);
  });

  it("the API's route refuses an agent a review task before anything is written or woken", async () => {
    ddb.on(TransactWriteCommand).resolves({});
    storedTask('L-100.RESTRUCTURE_REVIEW.1', 'RESTRUCTURE_REVIEW', 'OPEN', 'token-1');
    const agent = { username: 'agent-7', sub: 'sub-7', groups: ['agent' as const] };
    const answer = postTaskOutcome(ports())({
      principal: agent,
      params: { id: 'L-100.RESTRUCTURE_REVIEW.1' },
      body: { outcome: 'REACHED', requestId: 'console-0002' },
      query: {},
    } as never);
    await expect(answer).rejects.toBeInstanceOf(ForbiddenError);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 409 to a second answer of the same task', async () => {
    storedTask('L-100.FIRST_CONTACT', 'FIRST_CONTACT', 'DONE');
    await expect(recordCallbackOutcome(ports())({ taskId: 'L-100.FIRST_CONTACT', outcome: 'REACHED' })).rejects.toMatchObject({
      statusCode: 409,
      name: 'TaskAlreadyAnsweredError',
    });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('queues the event when the execution is busy (stale token)', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    storedTask('L-100.DAY30_CHECK', 'DAY30_CHECK', 'OPEN', 'old');
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'gone', $metadata: {} }));
    const result = await recordCallbackOutcome(ports())({ taskId: 'L-100.DAY30_CHECK', outcome: 'NO_ANSWER' });
    expect(result).toMatchObject({ status: 'OPEN', delivery: 'QUEUED' });
  });

  it('noncompliant: refuses a call at 22:00 borrower time with a 409 saying when calls are allowed, and writes nothing', async () => {
    storedTask('L-100.DAY30_CHECK', 'DAY30_CHECK');
    const late = { ...ports(), clock: () => new Date('2026-01-05T14:00:00Z') };
    await expect(recordCallbackOutcome(late)({ taskId: 'L-100.DAY30_CHECK', outcome: 'REACHED' })).rejects.toMatchObject({
      statusCode: 409,
      name: 'ContactNotAllowedError',
      field: 'taskId',
      extensions: { blockedBy: ['OUTSIDE_CONTACT_HOURS'], retryAt: '2026-01-06T00:00:00.000Z' },
    });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('compliant: a risk officer records a review at any hour (reviews contact nobody)', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    storedTask('L-100.REVIEW', 'RESTRUCTURE_REVIEW');
    const late = { ...ports(), clock: () => new Date('2026-01-05T14:00:00Z') };
    const result = await recordCallbackOutcome(late)({ taskId: 'L-100.REVIEW', outcome: 'REACHED' });
    expect(result).toMatchObject({ status: 'DONE' });
  });
});

describe('unsubscribe (POST)', () => {
  const links = { linkFor: async () => 'link', check: async () => 'valid' as const };
  const meta = (state: Record<string, unknown>) =>
    ddb
      .on(GetCommand, { Key: { pk: 'LOAN#L-100', sk: 'META' } })
      .resolves({ Item: { pk: 'LOAN#L-100', sk: 'META', loan: { loanId: 'L-100', locale: 'en', product: 'car' }, state, waitToken: 'token-1' } });

  it("decides from the loan's record alone (no Query of the loan), then puts the opt-out in the inbox", async () => {
    meta({ status: 'ACTIVE', optedOut: [] });
    ddb.on(TransactWriteCommand).resolves({});
    sfn.on(SendTaskSuccessCommand).resolves({});
    const page = await postUnsubscribe({ ...ports(), unsubscribe: links })({ query: { loan: 'L-100', sig: 'mac' }, params: {}, body: undefined } as never);
    expect(page).toMatchObject({ status: 200 });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    const [inbox] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(inbox!.Put!.Item).toMatchObject({ event: { type: 'OPTED_OUT', channels: ['EMAIL'], by: 'borrower' } });
  });

  it('writes nothing for a loan already opted out of email', async () => {
    meta({ status: 'ACTIVE', optedOut: ['EMAIL'] });
    const page = await postUnsubscribe({ ...ports(), unsubscribe: links })({ query: { loan: 'L-100', sig: 'mac' }, params: {}, body: undefined } as never);
    expect(page).toMatchObject({ status: 200 });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('noncompliant: an expired link writes nothing and wakes nothing: 410 with the policy’s contact details', async () => {
    meta({ status: 'ACTIVE', optedOut: [] });
    const expired = { ...links, check: async () => 'expired' as const };
    const page = await postUnsubscribe({ ...ports(), unsubscribe: expired })({
      query: { loan: 'L-100', exp: '1767225600', sig: 'mac' },
      params: {},
      body: undefined,
    } as never);
    expect(page).toMatchObject({ status: 410 });
    expect(page.body).toContain('has expired');
    expect(page.body).toContain(loadAllPolicies().car.contact.supportPhone);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });
});

describe('record-payment', () => {
  const refused = (record?: Record<string, unknown>) =>
    ddb.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', ...(record ? { Item: record as never } : {}) }],
      }),
    );

  it('puts the payment in the inbox without reading the loan first, then reads only the wait token to wake it', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: 'LOAN#L-100', sk: 'META' } }).resolves({ Item: { waitToken: 'token-1' } });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const result = await recordPayment(ports())({ loanId: 'L-100', amount: 1000, paymentId: 'P-1' });
    expect(result).toMatchObject({ loanId: 'L-100', eventId: 'P-1', delivery: 'WOKEN' });
    const [inbox, count] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(inbox!.Put!.Item).toMatchObject({ event: { type: 'PAYMENT_RECEIVED', eventId: 'P-1', amount: 100000 } });
    // The transaction itself refuses a loan that is missing or closed.
    expect(count!.Update!.ConditionExpression).toBe('attribute_exists(pk) AND #state.#status <> :closed');
    expect(count!.Update!.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
    const gets = ddb.commandCalls(GetCommand).map((c) => c.args[0].input.ProjectionExpression);
    expect(gets).toEqual(['waitToken']);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 409 for a closed loan (the refusal returns its record) and wakes nothing', async () => {
    refused({ pk: { S: 'LOAN#L-100' }, sk: { S: 'META' }, state: { M: { status: { S: 'CLOSED' } } } });
    await expect(recordPayment(ports())({ loanId: 'L-100', amount: 1000, paymentId: 'P-1' })).rejects.toMatchObject({
      statusCode: 409,
      name: 'LoanClosedError',
    });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('answers 404 for a loan it does not know (the refusal returns no record)', async () => {
    refused();
    await expect(recordPayment(ports())({ loanId: 'L-404', amount: 1000 })).rejects.toMatchObject({ statusCode: 404, name: 'LoanNotFoundError' });
    expect(ddb.commandCalls(GetCommand)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });
});

describe('await-event', () => {
  it('parks without reading the inbox when the loan record counts no event a step has not consumed', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { waitToken: 'tok', waitGeneration: 0, inboxPending: 0 } });
    const result = await createAwaitEventHandler(ports())({ loanId: 'L-1', generation: 0, wakeAt: null, waitSeconds: 10, taskToken: 'tok' }, context);
    expect(result).toEqual({ parked: true });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('stores the token, then settles it at once when events are already waiting', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { waitToken: 'tok', waitGeneration: 0, inboxPending: 1 } });
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'LOAN#L-1', sk: 'INBOX#x', event: { type: 'PAYOFF', eventId: 'e', at: 'x' } }] });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const result = await createAwaitEventHandler(ports())({ loanId: 'L-1', generation: 0, wakeAt: null, waitSeconds: 10, taskToken: 'tok' }, context);
    expect(result).toEqual({ parked: false });
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input.ExpressionAttributeValues![':t']).toBe('tok');
  });

  it('throws (for Step Functions to see) instead of answering with an error body', async () => {
    await expect(createAwaitEventHandler(ports())({ loanId: 'L-1' }, context)).rejects.toThrow(/generation/);
  });
});

describe('SNS and SES adapters', () => {
  it('sends borrower SMS as transactional direct publishes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const id = await new SnsSmsSender(new SNSClient({ region: 'eu-west-1' })).sendSms({
      phone: '+8613812345678',
      body: 'hi',
      loanId: 'L',
      purpose: 'REMINDER',
      key: 'k',
    });
    expect(id).toBe('m-1');
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.PhoneNumber).toBe('+8613812345678');
    expect(input.MessageAttributes!['AWS.SNS.SMS.SMSType']!.StringValue).toBe('Transactional');
  });

  it('turns throttling into a TransientDependencyError the state machine retries', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(
      new SnsSmsSender(new SNSClient({ region: 'eu-west-1', maxAttempts: 1 })).sendSms({
        phone: '+8613812345678',
        body: 'x',
        loanId: 'L',
        purpose: 'P',
        key: 'k',
      }),
    ).rejects.toBeInstanceOf(TransientDependencyError);
  });

  it('sends borrower email through SES v2 from the configured sender, tagged with loan and send key, through the configuration set', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'e-1' });
    await new SesEmailSender(new SESv2Client({ region: 'eu-west-1' }), 'no-reply@example.com', 'loan-followup-receipts').sendEmail({
      to: 'a@example.com',
      subject: 's',
      body: 'b',
      loanId: 'L-100',
      purpose: 'P',
      key: 'LADDER:3:NOTICE:1:EMAIL',
    });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.FromEmailAddress).toBe('no-reply@example.com');
    expect(input.ConfigurationSetName).toBe('loan-followup-receipts');
    expect(input.EmailTags).toEqual([
      { Name: 'loanId', Value: 'L-100' },
      { Name: 'sendKey', Value: Buffer.from('LADDER:3:NOTICE:1:EMAIL').toString('base64url') },
    ]);
    for (const tag of input.EmailTags!) expect(tag.Value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
  });

  it('gives every borrower email the one-click unsubscribe headers (RFC 8058) for its link', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'e-2' });
    const link = 'https://loans.example.com/api/unsubscribe?loan=L-100&sig=abc';
    await new SesEmailSender(new SESv2Client({ region: 'eu-west-1' }), 'no-reply@example.com', 'set').sendEmail({
      to: 'a@example.com',
      subject: 's',
      body: `b ${link}`,
      loanId: 'L-100',
      purpose: 'P',
      key: 'K',
      unsubscribeUrl: link,
    });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content!.Simple!.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: `<${link}>` },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
    ]);
  });
});
