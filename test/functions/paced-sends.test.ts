// AdvanceLoan on the paced path: a message its channel has no room for waits for its slot, is recorded as
// MESSAGE_DEFERRED, and goes exactly once when the loan wakes at the slot.
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAdvanceLoanHandler } from '../../functions/advance-loan.js';
import { ConcurrentUpdateError } from '../../functions/errors.js';
import { onboardLoan } from '../../functions/onboard-loan.js';
import type { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import type { OutboxEntry } from '../../local/outbox-senders.js';
import { inMemoryHandlerPorts } from '../support/handler-ports.js';
import { loanRequest } from '../support/loans.js';

const context = { functionName: 'test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
/** One SMS a minute: the second loan's welcome SMS waits for the next minute. */
const rates = { SMS: { identity: 'long-code', perSecond: 1 / 60 }, EMAIL: { identity: 'ses', perSecond: 14 } };

let store: MemoryLoanStore;
let outbox: OutboxEntry[];
let now: Date;
let ports: ReturnType<typeof inMemoryHandlerPorts>;

beforeEach(() => {
  outbox = [];
  now = new Date('2026-01-05T02:00:00.000Z');
  ports = inMemoryHandlerPorts({ clock: () => now, outbox, pacing: rates });
  store = ports.store;
});

const advance = (loanId: string, iteration = 0) => createAdvanceLoanHandler(ports)({ loanId, generation: 0, iteration }, context);
const sent = (loanId: string) => outbox.filter((m) => m.loanId === loanId).map((m) => `${m.channel}:${m.purpose}`);

async function onboardTwo(): Promise<void> {
  for (const loanId of ['P-1', 'P-2']) await onboardLoan(ports)(loanRequest({ loanId }));
}

describe('the paced path', () => {
  it('holds a message back for its slot, records MESSAGE_DEFERRED, wakes the loan then and sends it once', async () => {
    await onboardTwo();
    await advance('P-1');
    const second = await advance('P-2');
    expect(sent('P-1').sort()).toEqual(['EMAIL:WELCOME', 'SMS:WELCOME']);
    expect(sent('P-2')).toEqual(['EMAIL:WELCOME']);
    const deferred = (await store.listTimeline('P-2')).filter((e) => e.type === 'MESSAGE_DEFERRED');
    expect(deferred).toMatchObject([{ channel: 'SMS', purpose: 'WELCOME', reason: 'RATE', deferredUntil: '2026-01-05T02:01:00.000Z' }]);
    expect(second.wakeAt).toBe('2026-01-05T02:01:00.000Z');
    expect((await store.getSnapshot('P-2'))!.state.deferred).toMatchObject([{ key: 'WELCOME:SMS', pacedFor: '2026-01-05T02:01:00.000Z' }]);

    now = new Date('2026-01-05T02:01:00.000Z');
    await advance('P-2', 1);
    expect(sent('P-2').sort()).toEqual(['EMAIL:WELCOME', 'SMS:WELCOME']);
    const timeline = await store.listTimeline('P-2');
    expect(timeline.filter((e) => e.type === 'MESSAGE_SENT' && e.channel === 'SMS')).toMatchObject([{ at: '2026-01-05T02:01:00.000Z', purpose: 'WELCOME' }]);
    expect((await store.getSnapshot('P-2'))!.state.deferred ?? []).toEqual([]);

    // Woken again later: nothing more goes out.
    now = new Date('2026-01-05T03:00:00.000Z');
    await advance('P-2', 2);
    expect(sent('P-2').filter((m) => m === 'SMS:WELCOME')).toHaveLength(1);
  });

  it('a retried step does not queue again: it sends what it decided (or finds it sent) at once', async () => {
    await onboardTwo();
    await advance('P-1');
    // P-2's step sends its email, then its commit fails: the retry decides at the pinned time and must not hold
    // the SMS back behind its own first attempt's slot.
    vi.spyOn(store, 'commitDecision').mockRejectedValueOnce(new ConcurrentUpdateError('the version moved'));
    await expect(advance('P-2')).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await advance('P-2');
    expect(sent('P-2').sort()).toEqual(['EMAIL:WELCOME', 'SMS:WELCOME']);
    expect((await store.listTimeline('P-2')).filter((e) => e.type === 'MESSAGE_DEFERRED')).toEqual([]);
  });
});
