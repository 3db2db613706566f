import type { Logger } from '@aws-lambda-powertools/logger';
import type { DestinationHasher } from './adapters/destination-hash.js';
import type { ReceiptStore } from './ports.js';
import { parseReceiptEvent } from './receipts/receipt-events.js';
import { withMiddleware } from './with-middleware.js';

export interface RecordDeliveryReceiptPorts {
  receipts: ReceiptStore;
  /** The keyed SMS destination hash; AdvanceLoan's lookup uses the same key. */
  destinationHasher: DestinationHasher;
  logger: Logger;
}

/**
 * Keeps what the providers acknowledged (SES send events, team-topic deliveries, SNS SMS delivery logs), so
 * AdvanceLoan can tell whether an in-doubt send went (functions/send-once.ts). Idempotent: event sources
 * deliver at least once.
 */
export function createRecordDeliveryReceiptHandler(ports: RecordDeliveryReceiptPorts) {
  return withMiddleware(ports.logger, async (event: unknown) => {
    const parsed = await parseReceiptEvent(event, ports.destinationHasher);
    for (const receipt of parsed.keyed) await ports.receipts.putReceipt(receipt);
    for (const receipt of parsed.destinations) await ports.receipts.putDestinationReceipt(receipt);
    const counts = { keyed: parsed.keyed.length, destinations: parsed.destinations.length, ignored: parsed.ignored };
    ports.logger.info('receipts recorded', counts);
    return counts;
  });
}
