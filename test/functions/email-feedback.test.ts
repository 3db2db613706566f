// SES bounces and complaints: a permanent bounce or a complaint becomes an EMAIL opt-out on the loan (with its
// reason code), a transient bounce changes nothing. The SDK mocked with aws-sdk-client-mock, then the whole
// thing on the local runtime, where the next email is held back by the compliance gate.
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoLoanStore } from '../../functions/adapters/dynamo-loan-store.js';
import { sendKeyTag } from '../../functions/adapters/send-key-tag.js';
import { SfnWorkflowControl } from '../../functions/adapters/sfn-workflow-control.js';
import { createRecordEmailFeedbackHandler, recordEmailFeedback } from '../../functions/record-email-feedback.js';
import { startOperationsHarness, type OperationsHarness } from '../support/operations-harness.js';
import { loanRequest } from '../support/loans.js';

const ddb = mockClient(DynamoDBDocumentClient);
const sfn = mockClient(SFNClient);
const context = { functionName: 'record-email-feedback', awsRequestId: 'r1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
const silent = new Logger({ logLevel: 'SILENT' });

beforeEach(() => {
  ddb.reset();
  sfn.reset();
});

const tags = (loanId = 'L-1') => ({ loanId: [loanId], sendKey: [sendKeyTag('REMINDER:3:BEFORE:EMAIL')], 'ses:configuration-set': ['receipts'] });

/** An SES configuration-set event on EventBridge, as SES publishes it (addresses included: they must not be kept). */
function sesEvent(eventType: 'Bounce' | 'Complaint', detail: object, mailTags: Record<string, string[]> = tags()) {
  return {
    version: '0',
    id: 'e-2',
    'detail-type': eventType === 'Bounce' ? 'Email Bounced' : 'Email Complaint Received',
    source: 'aws.ses',
    time: '2026-01-05T02:00:09Z',
    detail: {
      eventType,
      mail: { timestamp: '2026-01-05T02:00:01.234Z', messageId: '0100018d-ses-7', destination: ['wang@example.com'], tags: mailTags },
      ...detail,
    },
  };
}

const permanentBounce = (mailTags?: Record<string, string[]>) =>
  sesEvent(
    'Bounce',
    {
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: 'wang@example.com', action: 'failed', status: '5.1.1' }],
        timestamp: '2026-01-05T02:00:05.000Z',
        feedbackId: 'f-1',
      },
    },
    mailTags,
  );
const transientBounce = sesEvent('Bounce', {
  bounce: {
    bounceType: 'Transient',
    bounceSubType: 'MailboxFull',
    bouncedRecipients: [{ emailAddress: 'wang@example.com' }],
    timestamp: '2026-01-05T02:00:05.000Z',
  },
});
const undeterminedBounce = sesEvent('Bounce', { bounce: { bounceType: 'Undetermined', bounceSubType: 'Undetermined', bouncedRecipients: [] } });
const complaint = sesEvent('Complaint', {
  complaint: {
    complainedRecipients: [{ emailAddress: 'wang@example.com' }],
    complaintFeedbackType: 'abuse',
    timestamp: '2026-01-05T03:00:00.000Z',
    feedbackId: 'f-2',
  },
});

describe('record-email-feedback on AWS (SDK mocked)', () => {
  const handler = () =>
    createRecordEmailFeedbackHandler({
      store: new DynamoLoanStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'loans'),
      workflow: new SfnWorkflowControl(new SFNClient({ region: 'eu-west-1' }), 'arn:aws:states:eu-west-1:123456789012:stateMachine:follow-up'),
      logger: silent,
    });

  it('a permanent bounce: OPTED_OUT of EMAIL with HARD_BOUNCE in the inbox, keyed by the SES message, and the execution woken', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({ Item: { waitToken: 'token-1' } });
    sfn.on(SendTaskSuccessCommand).resolves({});
    const result = await handler()(permanentBounce(), context);
    expect(result).toEqual({ result: 'OPTED_OUT', loanId: 'L-1', reason: 'HARD_BOUNCE', delivery: 'WOKEN' });
    const [put] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems as any[];
    expect(put.Put.Item.event).toEqual({
      type: 'OPTED_OUT',
      eventId: 'OPTED_OUT-EMAIL-HARD_BOUNCE-0100018d-ses-7',
      at: '2026-01-05T02:00:05.000Z',
      channels: ['EMAIL'],
      reason: 'HARD_BOUNCE',
      by: 'system',
    });
    expect(put.Put.Item.pk).toBe('LOAN#L-1');
    // The address is never written.
    expect(JSON.stringify(ddb.calls().map((c) => c.args[0].input))).not.toContain('wang@example.com');
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe('token-1');
  });

  it('a complaint: OPTED_OUT of EMAIL with COMPLAINT; queued when the execution is busy', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    const result = await handler()(complaint, context);
    expect(result).toEqual({ result: 'OPTED_OUT', loanId: 'L-1', reason: 'COMPLAINT', delivery: 'QUEUED' });
    const [put] = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems as any[];
    expect(put.Put.Item.event).toMatchObject({ type: 'OPTED_OUT', channels: ['EMAIL'], reason: 'COMPLAINT', at: '2026-01-05T03:00:00.000Z' });
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('transient and undetermined bounces, mail without our tags, and other events are ignored: nothing written', async () => {
    for (const event of [transientBounce, undeterminedBounce, permanentBounce({ campaign: ['x'] }), { source: 'aws.ses', detail: { eventType: 'Send' } }, {}]) {
      expect(await handler()(event, context)).toMatchObject({ result: 'IGNORED' });
    }
    expect(ddb.calls()).toHaveLength(0);
    expect(sfn.calls()).toHaveLength(0);
  });

  it('a closed or unknown loan: ignored (nothing more will be mailed); the same event again: recorded once', async () => {
    const refusal = (metaItem?: object) =>
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed', ...(metaItem ? { Item: metaItem as never } : {}) }],
      });
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(refusal({ pk: { S: 'LOAN#L-1' } }))
      .rejectsOnce(refusal());
    expect(await handler()(permanentBounce(), context)).toEqual({ result: 'IGNORED', why: 'loan closed' });
    expect(await handler()(permanentBounce(), context)).toEqual({ result: 'IGNORED', why: 'no such loan' });
    // A redelivered event: the inbox already holds it, the put is refused, nothing is added.
    ddb
      .on(TransactWriteCommand)
      .rejects(
        new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
      );
    ddb.on(GetCommand).resolves({});
    expect(await handler()(permanentBounce(), context)).toMatchObject({ result: 'OPTED_OUT', reason: 'HARD_BOUNCE' });
  });
});

describe('record-email-feedback on the local runtime', () => {
  let api: OperationsHarness | undefined;
  afterAll(async () => {
    await api?.stop();
  });

  it('a hard bounce opts the loan out of email, recorded with its reason on the timeline', async () => {
    api = await startOperationsHarness({ start: '2026-01-05T03:00:00Z' });
    const { by: _by, ...request } = loanRequest({ loanId: 'BOUNCE-1', termMonths: 6 });
    expect((await api.call('POST', '/api/loans', { as: 'admin', body: request })).status).toBe(201);
    await api.app.runtime.whenIdle();
    const { runtime } = api.app;
    const feedback = recordEmailFeedback({
      store: api.app.store,
      workflow: { startExecution: (input) => runtime.startExecution(input), sendTaskSuccess: (token, output) => runtime.sendTaskSuccess(token, output) },
      logger: silent,
    });
    expect(await feedback(permanentBounce(tags('BOUNCE-1')))).toMatchObject({ result: 'OPTED_OUT', loanId: 'BOUNCE-1', reason: 'HARD_BOUNCE' });
    // Twice (EventBridge delivers at least once): still one record.
    await feedback(permanentBounce(tags('BOUNCE-1')));
    await runtime.whenIdle();
    const stored = await api.app.store.getLoan('BOUNCE-1');
    expect(stored!.state.optedOut).toEqual(['EMAIL']);
    const records = (await api.app.store.listTimeline('BOUNCE-1')).filter((e) => e.type === 'OPTED_OUT');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ channels: ['EMAIL'], reason: 'HARD_BOUNCE', by: 'system' });
  });
});
