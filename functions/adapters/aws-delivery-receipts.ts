import type { DeliveryLookup, DeliveryReceipts, ReceiptStore } from '../ports.js';
import type { DestinationHasher } from './destination-hash.js';

/**
 * How long after a claim the provider's receipt may still be on its way: SES events reach EventBridge and SNS
 * invokes a topic's Lambda subscriber within seconds; SNS writes an SMS delivery log once the carrier answers,
 * which can take minutes. The state machine's SendInDoubtError retries span longer than the longest window
 * (test/infra/state-names.test.ts), so the last retry always gets a definite answer.
 */
export const RECEIPT_WINDOW_SECONDS = { SMS: 30 * 60, EMAIL: 10 * 60, TEAM: 10 * 60 } as const;

/** The Lambda's clock and SNS's may differ a little: a receipt stamped just before the claim still counts. */
const CLOCK_SKEW_MS = 5_000;

const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * In-doubt sends in AWS, answered from the receipts the record-delivery-receipt Lambda writes: SES send events
 * and team-topic deliveries carry our send key; SNS SMS delivery logs only the destination, matched by its
 * keyed hash within the window after the claim.
 */
export class AwsDeliveryReceipts implements DeliveryReceipts {
  constructor(
    private readonly store: ReceiptStore,
    private readonly hasher: DestinationHasher,
  ) {}

  async lookup(input: Parameters<DeliveryReceipts['lookup']>[0]): Promise<DeliveryLookup> {
    const until = plus(input.claimedAt, RECEIPT_WINDOW_SECONDS[input.channel] * 1000);
    const found = input.channel === 'SMS' ? await this.smsReceipt(input, until) : await this.store.getReceipt(input.loanId, input.key);
    if (found) return { status: 'ACCEPTED', messageId: found.messageId };
    return input.now < until ? { status: 'UNKNOWN' } : { status: 'NOT_ACCEPTED' };
  }

  /**
   * A receipt to the same phone in the window that no other send of the loan has recorded, and that no other
   * in-doubt send matched first (the match is a conditional write, so two lookups cannot take the same one).
   */
  private async smsReceipt(input: Parameters<DeliveryReceipts['lookup']>[0], until: string): Promise<{ messageId: string } | undefined> {
    const destination = await this.hasher.hash(input.to);
    const candidates = await this.store.listDestinationReceipts(destination, plus(input.claimedAt, -CLOCK_SKEW_MS), until);
    if (candidates.length === 0) return undefined;
    const recorded = new Set(await this.store.listSentMessageIds(input.loanId));
    const send = `${input.loanId}/${input.key}`;
    for (const receipt of candidates) {
      if (recorded.has(receipt.messageId)) continue;
      if (receipt.matchedTo !== undefined && receipt.matchedTo !== send) continue;
      if (await this.store.matchDestinationReceipt(receipt, send)) return receipt;
    }
    return undefined;
  }
}
