// The AWS side of in-doubt sends: the receipt recorder (SES events, team-topic deliveries, SNS SMS delivery
// logs) and the lookup AdvanceLoan makes, with the SDK mocked by aws-sdk-client-mock.
import { gzipSync } from 'node:zlib';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AwsDeliveryReceipts, RECEIPT_WINDOW_SECONDS } from '../../functions/adapters/aws-delivery-receipts.js';
import { PHONE, sesSendEvent, smsDeliveryLog, smsLogsEvent } from '../support/receipt-events.js';
import { macDestinationHasher } from '../../functions/adapters/destination-hash.js';
import { LocalMacSigner } from '../../local/adapters/local-mac-signer.js';
import { DynamoLoanStore } from '../../functions/adapters/dynamo-loan-store.js';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { sendKeyFromTag, sendKeyTag } from '../../functions/adapters/send-key-tag.js';
import { SnsTeamNotifier } from '../../functions/adapters/sns-team-notifier.js';
import { createRecordDeliveryReceiptHandler } from '../../functions/record-delivery-receipt.js';

const ddb = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const context = { functionName: 'record-delivery-receipt', awsRequestId: 'r1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
/** The destination key (a KMS HMAC key in AWS; the same HMAC-SHA256 locally). */
const KEY = Buffer.alloc(32, 7);
const hasher = macDestinationHasher(new LocalMacSigner(KEY));
const hashDestination = (phone: string) => hasher.hash(phone);
const CLAIMED_AT = '2026-01-05T02:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(CLAIMED_AT) + seconds * 1000).toISOString();

beforeEach(() => {
  ddb.reset();
  sns.reset();
});

function captureLogs(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger({ logLevel: 'INFO', logFormatter: undefined });
  const write = (line: unknown) => void lines.push(typeof line === 'string' ? line : JSON.stringify(line));
  Object.assign(logger, { printLog: (_level: unknown, log: unknown) => write(log) });
  return { logger, lines };
}

describe('send keys in SES tags', () => {
  it('fit the tag alphabet and length and come back unchanged', () => {
    for (const key of ['WELCOME:EMAIL', 'LADDER:12:NOTICE:1:EMAIL', 'REMINDER:3:BEFORE:EMAIL', 'CLOSING:EMAIL']) {
      const tag = sendKeyTag(key);
      expect(tag).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
      expect(sendKeyFromTag(tag)).toBe(key);
    }
    expect(() => sendKeyTag('K'.repeat(200))).toThrow(RangeError);
    expect(sendKeyFromTag('not a tag!')).toBeUndefined();
  });
});

describe('record-delivery-receipt', () => {
  const handler = (logger = new Logger({ logLevel: 'SILENT' })) =>
    createRecordDeliveryReceiptHandler({
      receipts: new DynamoLoanStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'loans'),
      destinationHasher: hasher,
      logger,
    });

  it('an SES Send event: a receipt under the loan and the send key from its tags, with a TTL', async () => {
    ddb.on(PutCommand).resolves({});
    const result = await handler()(sesSendEvent({ loanId: ['L-1'], sendKey: [sendKeyTag('WELCOME:EMAIL')], 'ses:configuration-set': ['receipts'] }), context);
    expect(result).toEqual({ keyed: 1, destinations: 0, ignored: 0 });
    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item!;
    // In the receipts' own partition, which is all the recorder's role may write.
    expect(item).toMatchObject({
      pk: 'RECEIPT#L-1',
      sk: 'WELCOME:EMAIL',
      loanId: 'L-1',
      key: 'WELCOME:EMAIL',
      messageId: '0100018d-ses-1',
      acceptedAt: '2026-01-05T02:00:01.234Z',
    });
    expect(item.expiresAt).toBe(Math.floor(Date.parse('2026-01-05T02:00:01.234Z') / 1000) + 30 * 86_400);
    expect(JSON.stringify(item)).not.toContain('wang@example.com');
  });

  it('an SES event without our tags is ignored', async () => {
    expect(await handler()(sesSendEvent({ campaign: ['x'] }), context)).toEqual({ keyed: 0, destinations: 0, ignored: 1 });
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('a team topic delivery: a receipt under the loan and the send key from the message attributes', async () => {
    ddb.on(PutCommand).resolves({});
    const event = {
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: {
            MessageId: 'sns-team-1',
            Timestamp: '2026-01-05T02:00:00.500Z',
            Subject: 'Callback overdue',
            Message: 'Loan L-1: ...',
            MessageAttributes: { loanId: { Type: 'String', Value: 'L-1' }, sendKey: { Type: 'String', Value: 'TEAM:OVERDUE:L-1.FIRST_CONTACT#0' } },
          },
        },
      ],
    };
    expect(await handler()(event, context)).toEqual({ keyed: 1, destinations: 0, ignored: 0 });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({
      pk: 'RECEIPT#L-1',
      sk: 'TEAM:OVERDUE:L-1.FIRST_CONTACT#0',
      messageId: 'sns-team-1',
    });
  });

  it('SNS SMS delivery logs: receipts under a keyed hash of the destination, no phone number stored or logged', async () => {
    ddb.on(UpdateCommand).resolves({});
    const { logger, lines } = captureLogs();
    const result = await handler(logger)(smsLogsEvent([smsDeliveryLog('sns-sms-1'), { unrelated: true }]), context);
    expect(result).toEqual({ keyed: 0, destinations: 1, ignored: 1 });
    const update = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(update.Key).toEqual({ pk: `SMSDEST#${await hashDestination(PHONE)}`, sk: '2026-01-05T02:00:03.456Z#sns-sms-1' });
    const written = JSON.stringify(ddb.calls().map((c) => c.args[0].input));
    expect(written).not.toContain('13812345678');
    expect(lines.join('\n')).not.toContain('13812345678');
    expect(lines.join('\n')).toContain('receipts recorded');
  });

  it('a CloudWatch Logs control message records nothing', async () => {
    const data = gzipSync(
      JSON.stringify({
        messageType: 'CONTROL_MESSAGE',
        logEvents: [{ id: '1', timestamp: 0, message: 'CWL CONTROL MESSAGE: Checking health of destination' }],
      }),
    ).toString('base64');
    expect(await handler()({ awslogs: { data } }, context)).toEqual({ keyed: 0, destinations: 0, ignored: 1 });
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('the keyed destination hash', () => {
  it('is the same for the same number whatever the spacing, differs by key, and is not the number', async () => {
    expect(await hashDestination(PHONE)).toBe(await hashDestination('+86 138-1234-5678'));
    expect(await hashDestination(PHONE)).not.toBe(await macDestinationHasher(new LocalMacSigner(Buffer.alloc(32, 8))).hash(PHONE));
    expect(await hashDestination(PHONE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Not a bare SHA-256 of the number (or of any salt and the number): only the key holder can compute it.
    const { createHash } = await import('node:crypto');
    expect(await hashDestination(PHONE)).not.toBe(createHash('sha256').update(PHONE).digest('base64url'));
  });

  it('in AWS: KMS GenerateMac (HMAC_SHA_256) with the destination key, the number never stored', async () => {
    const { GenerateMacCommand, KMSClient } = await import('@aws-sdk/client-kms');
    const { KmsMacSigner } = await import('../../functions/adapters/kms-mac-signer.js');
    const kms = mockClient(KMSClient);
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(1) });
    const keyed = macDestinationHasher(new KmsMacSigner(new KMSClient({ region: 'eu-west-1' }), 'arn:aws:kms:eu-west-1:123456789012:key/destination'));
    expect(await keyed.hash('+86 138-1234-5678')).toBe(Buffer.alloc(32, 1).toString('base64url'));
    const input = kms.commandCalls(GenerateMacCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: 'arn:aws:kms:eu-west-1:123456789012:key/destination', MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(input.Message!).toString()).toBe(`sms-destination:${PHONE}`);
    kms.restore();
  });
});

describe('AwsDeliveryReceipts', () => {
  let store: MemoryLoanStore;
  let receipts: AwsDeliveryReceipts;
  const lookup = (channel: 'SMS' | 'EMAIL' | 'TEAM', key: string, now: string, loanId = 'L-1') =>
    receipts.lookup({
      loanId,
      key,
      channel,
      to: channel === 'SMS' ? PHONE : channel === 'EMAIL' ? 'wang@example.com' : 'topic:supervisors',
      claimedAt: CLAIMED_AT,
      now,
    });
  const smsReceipt = async (messageId: string, acceptedAt: string, phone = PHONE) =>
    store.putDestinationReceipt({ destination: await hashDestination(phone), messageId, acceptedAt });

  beforeEach(() => {
    store = new MemoryLoanStore();
    receipts = new AwsDeliveryReceipts(store, hasher);
  });

  it("email and team: ACCEPTED with the receipt's id, UNKNOWN inside the window, NOT_ACCEPTED after it", async () => {
    expect(await lookup('EMAIL', 'WELCOME:EMAIL', at(60))).toEqual({ status: 'UNKNOWN' });
    expect(await lookup('EMAIL', 'WELCOME:EMAIL', at(RECEIPT_WINDOW_SECONDS.EMAIL))).toEqual({ status: 'NOT_ACCEPTED' });
    await store.putReceipt({ loanId: 'L-1', key: 'WELCOME:EMAIL', messageId: 'ses-1', acceptedAt: at(1) });
    expect(await lookup('EMAIL', 'WELCOME:EMAIL', at(60))).toEqual({ status: 'ACCEPTED', messageId: 'ses-1' });
    expect(await lookup('TEAM', 'TEAM:OVERDUE:X', at(RECEIPT_WINDOW_SECONDS.TEAM - 1))).toEqual({ status: 'UNKNOWN' });
  });

  it('SMS: a receipt to the same phone in the window is ACCEPTED, and settles that send only', async () => {
    await smsReceipt('sns-1', at(2));
    expect(await lookup('SMS', 'WELCOME:SMS', at(60))).toEqual({ status: 'ACCEPTED', messageId: 'sns-1' });
    expect(await lookup('SMS', 'WELCOME:SMS', at(90))).toEqual({ status: 'ACCEPTED', messageId: 'sns-1' });
    // Another in-doubt send to the same phone cannot take the same receipt.
    expect(await lookup('SMS', 'REMINDER:1:BEFORE:SMS', at(60))).toEqual({ status: 'UNKNOWN' });
    expect(await lookup('SMS', 'REMINDER:1:BEFORE:SMS', at(60), 'L-2')).toEqual({ status: 'UNKNOWN' });
  });

  it('SMS: skips receipts another send of the loan already recorded, to other phones, and outside the window', async () => {
    await store.claimSend('L-1', 'CLOSING:SMS', at(1));
    await store.markSent('L-1', 'CLOSING:SMS', 'sns-recorded');
    await smsReceipt('sns-recorded', at(3));
    await smsReceipt('sns-other-phone', at(4), '+8613900000000');
    await smsReceipt('sns-before-claim', at(-60));
    await smsReceipt('sns-after-window', at(RECEIPT_WINDOW_SECONDS.SMS + 1));
    expect(await lookup('SMS', 'WELCOME:SMS', at(600))).toEqual({ status: 'UNKNOWN' });
    expect(await lookup('SMS', 'WELCOME:SMS', at(RECEIPT_WINDOW_SECONDS.SMS))).toEqual({ status: 'NOT_ACCEPTED' });
  });

  it('SMS: a receipt stamped a moment before the claim (clock skew) still counts', async () => {
    await smsReceipt('sns-1', at(-2));
    expect(await lookup('SMS', 'WELCOME:SMS', at(30))).toEqual({ status: 'ACCEPTED', messageId: 'sns-1' });
  });

  it('reads receipts from the table with consistent reads: GetItem by key, Query by destination in the window', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [] });
    const dynamo = new AwsDeliveryReceipts(new DynamoLoanStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 'loans'), hasher);
    await dynamo.lookup({ loanId: 'L-1', key: 'WELCOME:EMAIL', channel: 'EMAIL', to: 'wang@example.com', claimedAt: CLAIMED_AT, now: at(1) });
    expect(ddb.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ Key: { pk: 'RECEIPT#L-1', sk: 'WELCOME:EMAIL' }, ConsistentRead: true });
    await dynamo.lookup({ loanId: 'L-1', key: 'WELCOME:SMS', channel: 'SMS', to: PHONE, claimedAt: CLAIMED_AT, now: at(1) });
    const query = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(query).toMatchObject({ KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', ConsistentRead: true });
    expect(query.ExpressionAttributeValues).toEqual({
      ':pk': `SMSDEST#${await hashDestination(PHONE)}`,
      ':from': at(-5),
      ':to': `${at(RECEIPT_WINDOW_SECONDS.SMS)}~`,
    });
  });
});

describe('SnsTeamNotifier', () => {
  it("publishes the loan and the send key as message attributes, for the topic's receipt subscriber", async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-team-1' });
    const notifier = new SnsTeamNotifier(new SNSClient({ region: 'eu-west-1' }), { supervisors: 'arn:sup', legal: 'arn:legal' });
    expect(await notifier.notify({ team: 'supervisors', subject: 'Callback overdue', message: 'm', loanId: 'L-1', key: 'OVERDUE:L-1.FIRST_CONTACT#0' })).toBe(
      'sns-team-1',
    );
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({
      TopicArn: 'arn:sup',
      MessageAttributes: {
        loanId: { DataType: 'String', StringValue: 'L-1' },
        sendKey: { DataType: 'String', StringValue: 'TEAM:OVERDUE:L-1.FIRST_CONTACT#0' },
      },
    });
  });
});
