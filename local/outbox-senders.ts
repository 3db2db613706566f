import type { Clock, DeliveryReceipts, EmailSender, SmsSender, TeamNotifier } from '../functions/ports.js';

export interface OutboxEntry {
  at: string;
  channel: 'SMS' | 'EMAIL' | 'TEAM';
  to: string;
  purpose: string;
  loanId: string;
  subject?: string;
  body: string;
  messageId: string;
}

export interface OutboxSink {
  append(entry: OutboxEntry): void | Promise<void>;
  /**
   * The message with this id if the outbox holds it, including messages of earlier runs (the file outbox).
   * Without it, only messages appended through this process's senders are known.
   */
  find?(messageId: string): OutboxEntry | undefined | Promise<OutboxEntry | undefined>;
}

export interface OutboxPorts {
  sms: SmsSender;
  email: EmailSender;
  teams: TeamNotifier;
  /** Answers from what the outbox took: it is the local provider, so the answer is never UNKNOWN. */
  receipts: DeliveryReceipts;
}

// Named after the loan and the send key (each claimed once), not a process-wide counter: many loans run
// side by side, and a counter would number their messages in whatever order the interleaving gave.
const id = (prefix: string, loanId: string, key: string) => `${prefix}-${loanId}-${key}`;

/** The id the outbox gives the message of a send key (team keys carry the `TEAM:` prefix of sendOnce). */
export function outboxMessageId(channel: 'SMS' | 'EMAIL' | 'TEAM', loanId: string, sendKey: string): string {
  if (channel === 'TEAM') return id('team', loanId, sendKey.replace(/^TEAM:/, ''));
  return id(channel === 'SMS' ? 'sms' : 'email', loanId, sendKey);
}

/** Local stand-ins for SNS (SMS, team topics) and SES (email): every message lands in the outbox. */
export function outboxSenders(outbox: OutboxSink, clock: Clock, options: { smsOptOuts?: ReadonlySet<string> } = {}): OutboxPorts {
  // Messages this process put in the outbox, by id, so an in-doubt send finds them without the sink's help.
  const accepted = new Map<string, OutboxEntry>();
  const append = async (entry: OutboxEntry) => {
    await outbox.append(entry);
    accepted.set(entry.messageId, entry);
    return entry.messageId;
  };
  return {
    sms: {
      // The local opt-out list: numbers whose borrower "replied STOP" (as SNS keeps one per account).
      isOptedOut: async (phone) => options.smsOptOuts?.has(phone) ?? false,
      sendSms: ({ phone, body, loanId, purpose, key }) =>
        append({ at: clock(loanId).toISOString(), channel: 'SMS', to: phone, purpose, loanId, body, messageId: id('sms', loanId, key) }),
    },
    email: {
      sendEmail: ({ to, subject, body, loanId, purpose, key }) =>
        append({ at: clock(loanId).toISOString(), channel: 'EMAIL', to, purpose, loanId, subject, body, messageId: id('email', loanId, key) }),
    },
    teams: {
      notify: ({ team, subject, message, loanId, key }) =>
        append({
          at: clock(loanId).toISOString(),
          channel: 'TEAM',
          to: `topic:${team}`,
          purpose: key.split(':')[0] ?? 'TEAM',
          loanId,
          subject,
          body: message,
          messageId: id('team', loanId, key),
        }),
    },
    receipts: {
      async lookup({ loanId, key, channel }) {
        const messageId = outboxMessageId(channel, loanId, key);
        const found = accepted.get(messageId) ?? (await outbox.find?.(messageId));
        return found ? { status: 'ACCEPTED', messageId } : { status: 'NOT_ACCEPTED' };
      },
    },
  };
}
