import { describe, expect, it } from 'vitest';
import { canonicalJson, chainEvents, GENESIS, verifyChain } from '../../workflows/audit/hash-chain.js';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';

const event = (n: number): TimelineEvent => ({ loanId: 'L-1', at: `2026-01-0${n}T00:00:00.000Z`, type: 'MESSAGE_SENT', key: `K${n}`, channel: 'SMS' });

describe('per-loan hash chain', () => {
  it('links each record to the one before', () => {
    const { events, head } = chainEvents(GENESIS, [event(1), event(2), event(3)]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(head).toEqual({ seq: 3, hash: events[2]!.hash });
    expect(verifyChain(events)).toEqual({ ok: true, links: 3, head });
  });

  it('continues from a stored head across steps', () => {
    const first = chainEvents(GENESIS, [event(1)]);
    const second = chainEvents(first.head, [event(2)]);
    expect(verifyChain([...second.events, ...first.events]).ok).toBe(true);
  });

  it('names the first altered record', () => {
    const { events } = chainEvents(GENESIS, [event(1), event(2), event(3)]);
    events[1] = { ...events[1]!, channel: 'EMAIL' };
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: { seq: 2, key: 'K2', reason: expect.stringContaining('altered') } });
  });

  it('names a deleted record', () => {
    const { events } = chainEvents(GENESIS, [event(1), event(2), event(3)]);
    expect(verifyChain([events[0]!, events[2]!])).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: expect.stringContaining('missing') } });
  });

  it('names a record re-hashed after tampering (its successor no longer points to it)', () => {
    const { events } = chainEvents(GENESIS, [event(1), event(2), event(3)]);
    const forged = chainEvents({ seq: 1, hash: events[0]!.hash }, [{ ...event(2), channel: 'EMAIL' }]).events[0]!;
    expect(verifyChain([events[0]!, forged, events[2]!])).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: expect.stringContaining('previous') } });
  });

  it('names a deleted tail against the head stored on the loan (every remaining link is intact)', () => {
    const { events, head } = chainEvents(GENESIS, [event(1), event(2), event(3)]);
    expect(verifyChain(events, head)).toEqual({ ok: true, links: 3, head });
    expect(verifyChain(events.slice(0, 2), head)).toMatchObject({
      ok: false,
      brokenAt: { seq: 2, key: 'K2', reason: expect.stringContaining('newest records were deleted') },
    });
    expect(verifyChain([], head)).toMatchObject({ ok: false, brokenAt: { seq: null, reason: expect.stringContaining('deleted') } });
  });

  it('names a head rolled back behind the chain, and a head that does not match the last record', () => {
    const first = chainEvents(GENESIS, [event(1), event(2)]);
    const { events, head } = chainEvents(first.head, [event(3)]);
    const all = [...first.events, ...events];
    expect(verifyChain(all, first.head)).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: expect.stringContaining('rolled back') } });
    expect(verifyChain(all, { seq: 3, hash: 'f'.repeat(64) })).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: expect.stringContaining('rewritten') } });
    expect(verifyChain([], null)).toEqual({ ok: true, links: 0, head: GENESIS });
    expect(verifyChain(all, head).ok).toBe(true);
  });

  it('hashes the same content the same whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});
