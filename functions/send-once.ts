import { ConcurrentUpdateError, SendInDoubtError } from './errors.js';
import type { DeliveryReceipts, LoanStore } from './ports.js';

/** What sending once takes: the loan's send markers. */
export type SendStore = Pick<LoanStore, 'claimSend' | 'reclaimSend' | 'markSent'>;

/** Team notifications share the loan's send keys under their own prefix. */
export const teamSendKey = (key: string) => `TEAM:${key}`;

export interface SendCounts {
  sent: number;
  duplicatesPrevented: number;
}

export interface OnceSend {
  loanId: string;
  /** (loan, purpose, occurrence, channel): the message's identity. */
  key: string;
  channel: 'SMS' | 'EMAIL' | 'TEAM';
  /** Phone, email address or `topic:<team>`: where a receipt of the message would point. */
  to: string;
  /** Hands the message to the provider; resolves to the provider's message id. */
  deliver: () => Promise<string>;
}

/**
 * Sends at most once and never loses a send. The key is claimed before the provider is called and marked SENT
 * after. A key found CLAIMED means an earlier attempt died in between, maybe after the provider took the
 * message: the provider's receipts decide whether it went (recorded as sent) or not (sent now), and while they
 * cannot tell yet, SendInDoubtError makes the state machine try the step again later.
 */
export async function sendOnce(ports: { store: SendStore; receipts: DeliveryReceipts }, send: OnceSend, now: string, counts: SendCounts): Promise<string> {
  const { store } = ports;
  const existing = await store.claimSend(send.loanId, send.key, now);
  if (existing?.status === 'SENT') {
    counts.duplicatesPrevented += 1;
    return existing.messageId ?? 'unknown';
  }
  if (existing) {
    const answer = await ports.receipts.lookup({ loanId: send.loanId, key: send.key, channel: send.channel, to: send.to, claimedAt: existing.claimedAt, now });
    if (answer.status === 'ACCEPTED') {
      await store.markSent(send.loanId, send.key, answer.messageId);
      counts.duplicatesPrevented += 1;
      return answer.messageId;
    }
    if (answer.status === 'UNKNOWN') {
      throw new SendInDoubtError(`${send.loanId} ${send.key}: claimed at ${existing.claimedAt}, no receipt yet`);
    }
    // Not accepted: this attempt takes the claim over, so two retries cannot both resend.
    if (!(await store.reclaimSend(send.loanId, send.key, existing.claimedAt, now))) {
      throw new ConcurrentUpdateError(`${send.loanId} ${send.key}: another attempt took the claim over`);
    }
  }
  const messageId = await send.deliver();
  await store.markSent(send.loanId, send.key, messageId);
  counts.sent += 1;
  return messageId;
}
