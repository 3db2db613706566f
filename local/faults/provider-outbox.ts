import type { OutboxEntry, OutboxSink } from '../outbox-senders.js';

/**
 * The providers' side of SNS and SES in a fault run: every message they took, kept across runtime restarts
 * (the providers do not go down with the runtime), and found by id when a retry asks about an in-doubt send.
 */
export class ProviderOutbox implements OutboxSink {
  readonly entries: OutboxEntry[] = [];
  private readonly byId = new Map<string, OutboxEntry>();

  append(entry: OutboxEntry): void {
    this.entries.push(entry);
    this.byId.set(entry.messageId, entry);
  }

  find(messageId: string): OutboxEntry | undefined {
    return this.byId.get(messageId);
  }
}
