import { createHash } from 'node:crypto';
import type { TimelineEvent } from '../domain/follow-up-state.js';

/** Where a loan's chain stands: the last link's sequence number and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const GENESIS: ChainHead = { seq: 0, hash: '0'.repeat(64) };

export type ChainedEvent = TimelineEvent & { seq: number; prevHash: string; hash: string };

/** JSON with keys in a fixed order, so the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function linkHash(event: Omit<ChainedEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** Appends events to the chain: each carries its sequence number, the previous link's hash and its own. */
export function chainEvents(head: ChainHead, events: TimelineEvent[]): { events: ChainedEvent[]; head: ChainHead } {
  let current = head;
  const chained = events.map((event) => {
    const { seq: _s, prevHash: _p, hash: _h, ...content } = event as Partial<ChainedEvent> & TimelineEvent;
    const unhashed = { ...content, seq: current.seq + 1, prevHash: current.hash } as Omit<ChainedEvent, 'hash'>;
    const link = { ...unhashed, hash: linkHash(unhashed) } as ChainedEvent;
    current = { seq: link.seq, hash: link.hash };
    return link;
  });
  return { events: chained, head: current };
}

export type ChainVerdict =
  | { ok: true; links: number; head: ChainHead }
  | { ok: false; links: number; brokenAt: { seq: number | null; key: string; reason: string } };

/**
 * Checks a loan's chained records in sequence order and names the first broken link; given the head stored on the
 * loan's record, also that the chain ends there (deleting the newest records leaves every remaining link intact).
 */
export function verifyChain(records: TimelineEvent[], storedHead?: ChainHead | null): ChainVerdict {
  const chained = records.filter((r): r is ChainedEvent => typeof (r as ChainedEvent).seq === 'number').sort((a, b) => a.seq - b.seq);
  let previous = GENESIS;
  for (const record of chained) {
    const fail = (reason: string): ChainVerdict => ({ ok: false, links: chained.length, brokenAt: { seq: record.seq, key: record.key, reason } });
    if (record.seq !== previous.seq + 1) return fail(`sequence jumps from ${previous.seq} to ${record.seq}: a record is missing`);
    if (record.prevHash !== previous.hash) return fail('does not point to the previous record');
    const { hash, ...unhashed } = record;
    if (linkHash(unhashed) !== hash) return fail('its content does not match its hash: the record was altered');
    previous = { seq: record.seq, hash };
  }
  if (storedHead !== undefined) {
    const head = storedHead ?? GENESIS;
    const tail = chained.at(-1);
    const fail = (reason: string): ChainVerdict => ({
      ok: false,
      links: chained.length,
      brokenAt: { seq: tail?.seq ?? null, key: tail?.key ?? '(none)', reason },
    });
    if (previous.seq < head.seq)
      return fail(`the chain ends at record ${previous.seq} but the loan's head is record ${head.seq}: the newest records were deleted`);
    if (previous.seq > head.seq)
      return fail(
        `the chain goes on to record ${previous.seq} past the loan's head at record ${head.seq}: records were added outside a step, or the head was rolled back`,
      );
    if (previous.hash !== head.hash) return fail(`the last record's hash is not the loan's head: the chain or the head was rewritten`);
  }
  return { ok: true, links: chained.length, head: previous };
}
