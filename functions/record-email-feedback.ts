import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import type { InboundEvent, OptOutReason } from '../workflows/domain/follow-up-state.js';
import { sendKeyFromTag } from './adapters/send-key-tag.js';
import { deliverEvent, type DeliveryStore } from './deliver-event.js';
import { LoanClosedError, LoanNotFoundError } from './errors.js';
import type { WorkflowControl } from './ports.js';
import { withMiddleware } from './with-middleware.js';

export interface RecordEmailFeedbackPorts {
  store: DeliveryStore;
  workflow: WorkflowControl;
  logger: Logger;
}

/**
 * SES configuration-set `Bounce` and `Complaint` events (EventBridge): the tags of the mail carry the loan and
 * the send key, as on `Send` events (functions/receipts/receipt-events.ts). Addresses are never read.
 */
const sesFeedbackEvent = z.object({
  source: z.literal('aws.ses'),
  detail: z.object({
    eventType: z.enum(['Bounce', 'Complaint']),
    mail: z.object({ messageId: z.string().min(1), tags: z.record(z.string(), z.array(z.string())).optional() }),
    bounce: z.object({ bounceType: z.string(), timestamp: z.string().optional() }).optional(),
    complaint: z.object({ timestamp: z.string().optional() }).optional(),
  }),
});

export type EmailFeedbackOutcome =
  | { result: 'OPTED_OUT'; loanId: string; reason: OptOutReason; delivery: 'WOKEN' | 'QUEUED' }
  | { result: 'IGNORED'; why: string };

/**
 * A permanent bounce or a complaint becomes an opt-out of EMAIL on the loan (OPTED_OUT with the reason code), so
 * the compliance gate mails the address no more. Transient and undetermined bounces are ignored: SES retried
 * them already and the next email may well arrive. Idempotent: the event's id derives from the SES message id,
 * and the inbox keeps an event once, so a redelivered event records nothing new.
 */
export function createRecordEmailFeedbackHandler(ports: RecordEmailFeedbackPorts) {
  return withMiddleware(ports.logger, recordEmailFeedback(ports));
}

export function recordEmailFeedback(ports: RecordEmailFeedbackPorts) {
  return async (event: unknown): Promise<EmailFeedbackOutcome> => {
    const parsed = sesFeedbackEvent.safeParse(event);
    if (!parsed.success) return ignored(ports, 'not an SES bounce or complaint');
    const { eventType, mail, bounce, complaint } = parsed.data.detail;
    const reason = reasonOf(eventType, bounce?.bounceType);
    if (!reason) return ignored(ports, `bounce type ${bounce?.bounceType ?? 'missing'}`);
    const loanId = mail.tags?.loanId?.[0];
    // The send key proves the mail was one of ours (AdvanceLoan tags every borrower email with both).
    const key = sendKeyFromTag(mail.tags?.sendKey?.[0] ?? '');
    if (!loanId || !key) return ignored(ports, 'no loan or send key in the tags');
    const at = isoOf(bounce?.timestamp ?? complaint?.timestamp ?? (parsed.data as { time?: string }).time);
    const inbound: InboundEvent = { type: 'OPTED_OUT', eventId: `OPTED_OUT-EMAIL-${reason}-${mail.messageId}`, at, channels: ['EMAIL'], reason, by: 'system' };
    try {
      const delivery = await deliverEvent(ports, loanId, inbound);
      ports.logger.info('email opt-out recorded', { loanId, reason, key });
      return { result: 'OPTED_OUT', loanId, reason, delivery };
    } catch (error) {
      // A loan closed (or removed) since the mail went needs no opt-out: nothing more will be sent.
      if (error instanceof LoanClosedError || error instanceof LoanNotFoundError)
        return ignored(ports, error instanceof LoanClosedError ? 'loan closed' : 'no such loan');
      throw error;
    }
  };
}

/** HARD_BOUNCE for a permanent bounce, COMPLAINT for a complaint, nothing for any other bounce. */
export function reasonOf(eventType: 'Bounce' | 'Complaint', bounceType: string | undefined): OptOutReason | undefined {
  if (eventType === 'Complaint') return 'COMPLAINT';
  return bounceType === 'Permanent' ? 'HARD_BOUNCE' : undefined;
}

function ignored(ports: Pick<RecordEmailFeedbackPorts, 'logger'>, why: string): EmailFeedbackOutcome {
  ports.logger.info('email feedback ignored', { why });
  return { result: 'IGNORED', why };
}

function isoOf(timestamp: string | undefined): string {
  const ms = timestamp ? Date.parse(timestamp) : Number.NaN;
  return Number.isNaN(ms) ? new Date().toISOString() : new Date(ms).toISOString();
}
