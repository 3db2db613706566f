// Events the providers send about what they took (SES send events, SNS SMS delivery logs), as the receipt
// recorder gets them.
import { gzipSync } from 'node:zlib';

export const PHONE = '+8613812345678';

export const sesSendEvent = (tags: Record<string, string[]>) => ({
  version: '0',
  id: 'e-1',
  'detail-type': 'Email Sent',
  source: 'aws.ses',
  time: '2026-01-05T02:00:02Z',
  detail: {
    eventType: 'Send',
    mail: { timestamp: '2026-01-05T02:00:01.234Z', messageId: '0100018d-ses-1', destination: ['wang@example.com'], tags },
    send: {},
  },
});

export function smsLogsEvent(messages: object[]): { awslogs: { data: string } } {
  const payload = {
    messageType: 'DATA_MESSAGE',
    logGroup: 'sns/eu-west-1/123456789012/DirectPublishToPhoneNumber',
    logStream: 'stream',
    logEvents: messages.map((m, i) => ({ id: String(i), timestamp: Date.parse('2026-01-05T02:00:09Z'), message: JSON.stringify(m) })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

export const smsDeliveryLog = (messageId: string, destination = PHONE) => ({
  notification: { messageId, timestamp: '2026-01-05 02:00:03.456' },
  delivery: {
    destination,
    smsType: 'Transactional',
    providerResponse: 'Message has been accepted by phone carrier',
    numberOfMessageParts: 1,
    priceInUSD: 0.00645,
  },
  status: 'SUCCESS',
});
