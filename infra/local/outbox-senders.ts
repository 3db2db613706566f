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
  let counter = 0;
  const id = (prefix: string) => `${prefix}-${(++counter).toString().padStart(8, '0')}`;
  return {
    sms: {
      async sendSms({ phone, body, loanId, purpose }) {
        const messageId = id('sms');
        await outbox.append({ at: clock(loanId).toISOString(), channel: 'SMS', to: phone, purpose, loanId, body, messageId });
        return messageId;
      },
    },
    email: {
      async sendEmail({ to, subject, body, loanId, purpose }) {
        const messageId = id('email');
        await outbox.append({ at: clock(loanId).toISOString(), channel: 'EMAIL', to, purpose, loanId, subject, body, messageId });
        return messageId;
      },
    },
    teams: {
      async notify({ team, subject, message, loanId, key }) {
        const messageId = id('team');
        await outbox.append({ at: clock(loanId).toISOString(), channel: 'TEAM', to: `topic:${team}`, purpose: key.split(':')[0] ?? 'TEAM', loanId, subject, body: message, messageId });
        return messageId;
      },
    },
  };
}
