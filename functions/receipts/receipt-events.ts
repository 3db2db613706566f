// The three ways a provider's receipt reaches record-delivery-receipt, turned into receipts. Nothing personal
// leaves this file: SMS destinations are hashed here (keyed), email addresses are never read.
import { gunzipSync } from 'node:zlib';
import * as z from 'zod';
import type { DestinationHasher } from '../adapters/destination-hash.js';
import { sendKeyFromTag } from '../adapters/send-key-tag.js';
import type { DeliveryReceipt, DestinationReceipt } from '../ports.js';

export interface ParsedReceipts {
  keyed: DeliveryReceipt[];
  destinations: DestinationReceipt[];
  /** Records that were not receipts of ours (another configuration set's mail, a control message, ...). */
  ignored: number;
}

/** SES (configuration-set event destination on EventBridge), `Send` events: tags carry the loan and the send key. */
const sesSendEvent = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.literal('Send'),
    mail: z.object({ messageId: z.string().min(1), timestamp: z.string(), tags: z.record(z.string(), z.array(z.string())).optional() }),
  }),
});

/** A team topic's Lambda subscription: the notifier put the loan and the send key in message attributes. */
const snsEvent = z.object({
  Records: z.array(
    z.object({
      EventSource: z.literal('aws:sns'),
      Sns: z.object({
        MessageId: z.string().min(1),
        Timestamp: z.string(),
        MessageAttributes: z.record(z.string(), z.object({ Value: z.string() })).optional(),
      }),
    }),
  ),
});

/** A CloudWatch Logs subscription on the SNS SMS delivery-status log groups (gzip, base64). */
const logsEvent = z.object({ awslogs: z.object({ data: z.string() }) });
const logsPayload = z.object({ messageType: z.string(), logEvents: z.array(z.object({ timestamp: z.number(), message: z.string() })).default([]) });
const smsDeliveryLog = z.object({
  notification: z.object({ messageId: z.string().min(1), timestamp: z.string().optional() }),
  delivery: z.object({ destination: z.string().min(1) }),
});

export async function parseReceiptEvent(event: unknown, hasher: DestinationHasher): Promise<ParsedReceipts> {
  const out: ParsedReceipts = { keyed: [], destinations: [], ignored: 0 };
  const ses = sesSendEvent.safeParse(event);
  if (ses.success) {
    const { mail } = ses.data.detail;
    const loanId = mail.tags?.loanId?.[0];
    const key = sendKeyFromTag(mail.tags?.sendKey?.[0] ?? '');
    if (loanId && key) out.keyed.push({ loanId, key, messageId: mail.messageId, acceptedAt: isoOf(mail.timestamp) });
    else out.ignored += 1;
    return out;
  }
  const sns = snsEvent.safeParse(event);
  if (sns.success) {
    for (const { Sns } of sns.data.Records) {
      const loanId = Sns.MessageAttributes?.loanId?.Value;
      const key = Sns.MessageAttributes?.sendKey?.Value;
      if (loanId && key) out.keyed.push({ loanId, key, messageId: Sns.MessageId, acceptedAt: isoOf(Sns.Timestamp) });
      else out.ignored += 1;
    }
    return out;
  }
  const logs = logsEvent.safeParse(event);
  if (logs.success) {
    const payload = logsPayload.parse(JSON.parse(gunzipSync(Buffer.from(logs.data.awslogs.data, 'base64')).toString('utf8')));
    if (payload.messageType !== 'DATA_MESSAGE') return { ...out, ignored: 1 };
    for (const logEvent of payload.logEvents) {
      const log = smsDeliveryLog.safeParse(safeJson(logEvent.message));
      if (!log.success) {
        out.ignored += 1;
        continue;
      }
      const { notification, delivery } = log.data;
      // SNS stamps `2026-01-05 02:00:01.123` (UTC) when it took the message; the log event's time is later.
      const acceptedAt = notification.timestamp
        ? isoOf(notification.timestamp.replace(' ', 'T') + (/[Zz+]/.test(notification.timestamp) ? '' : 'Z'))
        : undefined;
      out.destinations.push({
        destination: await hasher.hash(delivery.destination),
        messageId: notification.messageId,
        acceptedAt: acceptedAt ?? new Date(logEvent.timestamp).toISOString(),
      });
    }
    return out;
  }
  return { ...out, ignored: 1 };
}

function isoOf(timestamp: string): string {
  const ms = Date.parse(timestamp);
  if (Number.isNaN(ms)) throw new Error('receipt timestamp is not a date');
  return new Date(ms).toISOString();
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
