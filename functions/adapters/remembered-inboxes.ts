import type { InboundEvent } from '../../workflows/domain/follow-up-state.js';

/** Loans whose inbox keys are remembered between a read of the inbox and the commit that consumes it. */
const REMEMBERED_INBOXES = 1000;

export interface ItemKey {
  pk: string;
  sk: string;
}

/**
 * The inbox items of each loan as a store last read them, by event id. A step reads the inbox and then commits
 * the events it consumed: their keys are known, and the commit need not query the inbox again. An item added in
 * between is not consumed by the step; a second copy of a consumed event (the same id) is left for the next
 * step, which applies an event id only once. Both stores keep one, so they send (and count) the same requests.
 */
export class RememberedInboxes {
  private readonly inboxes = new Map<string, Map<string, ItemKey[]>>();

  remember(loanId: string, items: Record<string, any>[]): void {
    const byEvent = new Map<string, ItemKey[]>();
    for (const item of items) {
      const eventId = (item.event as InboundEvent).eventId;
      byEvent.set(eventId, [...(byEvent.get(eventId) ?? []), { pk: item.pk, sk: item.sk }]);
    }
    this.inboxes.delete(loanId);
    this.inboxes.set(loanId, byEvent);
    if (this.inboxes.size > REMEMBERED_INBOXES) this.inboxes.delete(this.inboxes.keys().next().value!);
  }

  /** The keys of the consumed events, if the last read of the inbox saw every one of them. */
  keysOf(loanId: string, eventIds: string[]): ItemKey[] | undefined {
    const known = this.inboxes.get(loanId);
    if (!known || !eventIds.every((id) => known.has(id))) return undefined;
    return [...new Set(eventIds)].flatMap((id) => known.get(id)!);
  }

  /** Whatever happens to a commit, the inbox read before it is no longer the inbox. */
  forget(loanId: string): void {
    this.inboxes.delete(loanId);
  }
}
