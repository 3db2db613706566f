import type { EmailSender, SmsSender, TeamNotifier } from '../../functions/ports.js';
import type { Clock } from '../../functions/ports.js';

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
}

/** Local stand-ins for SNS (SMS, team topics) and SES (email): every message lands in the outbox. */
export function outboxSenders(outbox: OutboxSink, clock: Clock): { sms: SmsSender; email: EmailSender; teams: TeamNotifier } {
  // Named after the loan and the send key (each claimed once), not a process-wide counter: many loans run
  // side by side, and a counter would number their messages in whatever order the interleaving gave.
  const id = (prefix: string, loanId: string, key: string) => `${prefix}-${loanId}-${key}`;
  return {
    sms: {
      async sendSms({ phone, body, loanId, purpose, key }) {
        const messageId = id('sms', loanId, key);
        await outbox.append({ at: clock(loanId).toISOString(), channel: 'SMS', to: phone, purpose, loanId, body, messageId });
        return messageId;
      },
    },
    email: {
      async sendEmail({ to, subject, body, loanId, purpose, key }) {
        const messageId = id('email', loanId, key);
        await outbox.append({ at: clock(loanId).toISOString(), channel: 'EMAIL', to, purpose, loanId, subject, body, messageId });
        return messageId;
      },
    },
    teams: {
      async notify({ team, subject, message, loanId, key }) {
        const messageId = id('team', loanId, key);
        await outbox.append({ at: clock(loanId).toISOString(), channel: 'TEAM', to: `topic:${team}`, purpose: key.split(':')[0] ?? 'TEAM', loanId, subject, body: message, messageId });
        return messageId;
      },
    },
  };
}
