// sendOnce: at most once by key, never lost, with in-doubt claims settled by the provider's receipts.
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { ConcurrentUpdateError, SendInDoubtError } from '../../functions/errors.js';
import type { DeliveryLookup, DeliveryReceipts } from '../../functions/ports.js';
import { sendOnce, type OnceSend, type SendCounts } from '../../functions/send-once.js';

const CLAIMED_AT = '2026-03-02T02:00:00.000Z';
const RETRY_AT = '2026-03-02T02:01:00.000Z';

let store: MemoryLoanStore;
let delivered: string[];
let counts: SendCounts;
let lookups: Parameters<DeliveryReceipts['lookup']>[0][];

function receipts(answer: DeliveryLookup): DeliveryReceipts {
  return {
    lookup: async (input) => {
      lookups.push(input);
      return answer;
    },
  };
}

function welcome(messageId = `m-${delivered.length + 1}`): OnceSend {
  return {
    loanId: 'L-100',
    key: 'WELCOME:SMS',
    channel: 'SMS',
    to: '+8613800138000',
    deliver: async () => {
      delivered.push(messageId);
      return messageId;
    },
  };
}

/** An attempt that claimed the key and died before recording the provider's answer. */
async function diedAfterClaim(): Promise<void> {
  expect(await store.claimSend('L-100', 'WELCOME:SMS', CLAIMED_AT)).toBeUndefined();
}

beforeEach(() => {
  store = new MemoryLoanStore();
  delivered = [];
  counts = { sent: 0, duplicatesPrevented: 0 };
  lookups = [];
});

describe('sendOnce', () => {
  it('a fresh key: claims, sends, marks it SENT with the provider id', async () => {
    const id = await sendOnce({ store, receipts: receipts({ status: 'UNKNOWN' }) }, welcome('m-1'), CLAIMED_AT, counts);
    expect(id).toBe('m-1');
    expect(delivered).toEqual(['m-1']);
    expect(counts).toEqual({ sent: 1, duplicatesPrevented: 0 });
    expect(lookups).toEqual([]);
    expect(await store.claimSend('L-100', 'WELCOME:SMS', RETRY_AT)).toMatchObject({ status: 'SENT', messageId: 'm-1' });
  });

  it('a key already SENT: nothing goes out, the earlier id is returned', async () => {
    await sendOnce({ store, receipts: receipts({ status: 'UNKNOWN' }) }, welcome('m-1'), CLAIMED_AT, counts);
    const again = await sendOnce({ store, receipts: receipts({ status: 'UNKNOWN' }) }, welcome('m-2'), RETRY_AT, counts);
    expect(again).toBe('m-1');
    expect(delivered).toEqual(['m-1']);
    expect(counts).toEqual({ sent: 1, duplicatesPrevented: 1 });
    expect(lookups).toEqual([]);
  });

  it('a key in doubt that the provider accepted: recorded as sent with its id, not sent again', async () => {
    await diedAfterClaim();
    const id = await sendOnce({ store, receipts: receipts({ status: 'ACCEPTED', messageId: 'sns-1' }) }, welcome(), RETRY_AT, counts);
    expect(id).toBe('sns-1');
    expect(delivered).toEqual([]);
    expect(counts).toEqual({ sent: 0, duplicatesPrevented: 1 });
    expect(lookups).toEqual([{ loanId: 'L-100', key: 'WELCOME:SMS', channel: 'SMS', to: '+8613800138000', claimedAt: CLAIMED_AT, now: RETRY_AT }]);
    expect(await store.claimSend('L-100', 'WELCOME:SMS', RETRY_AT)).toMatchObject({ status: 'SENT', messageId: 'sns-1' });
  });

  it('a key in doubt that the provider never accepted: sent now, under a claim moved to this attempt', async () => {
    await diedAfterClaim();
    const id = await sendOnce({ store, receipts: receipts({ status: 'NOT_ACCEPTED' }) }, welcome('m-9'), RETRY_AT, counts);
    expect(id).toBe('m-9');
    expect(delivered).toEqual(['m-9']);
    expect(counts).toEqual({ sent: 1, duplicatesPrevented: 0 });
    expect(await store.claimSend('L-100', 'WELCOME:SMS', RETRY_AT)).toEqual({ key: 'WELCOME:SMS', status: 'SENT', claimedAt: RETRY_AT, messageId: 'm-9' });
  });

  it('a key in doubt whose receipt may still come: SendInDoubtError, nothing sent, the claim left as it was', async () => {
    await diedAfterClaim();
    await expect(sendOnce({ store, receipts: receipts({ status: 'UNKNOWN' }) }, welcome(), RETRY_AT, counts)).rejects.toBeInstanceOf(SendInDoubtError);
    await expect(sendOnce({ store, receipts: receipts({ status: 'UNKNOWN' }) }, welcome(), RETRY_AT, counts)).rejects.toMatchObject({
      name: 'SendInDoubtError',
    });
    expect(delivered).toEqual([]);
    expect(await store.claimSend('L-100', 'WELCOME:SMS', RETRY_AT)).toEqual({ key: 'WELCOME:SMS', status: 'CLAIMED', claimedAt: CLAIMED_AT });
  });

  it('two attempts that both find the key not accepted: only the one that takes the claim over sends', async () => {
    await diedAfterClaim();
    const stale = (await store.claimSend('L-100', 'WELCOME:SMS', RETRY_AT))!;
    await sendOnce({ store, receipts: receipts({ status: 'NOT_ACCEPTED' }) }, welcome('m-1'), RETRY_AT, counts);
    // The second attempt read the claim before the first moved it, and the provider answer it got is stale.
    const racing: DeliveryReceipts = { lookup: async () => ({ status: 'NOT_ACCEPTED' }) };
    const racingStore = Object.assign(Object.create(store) as MemoryLoanStore, { claimSend: async () => stale });
    await expect(sendOnce({ store: racingStore, receipts: racing }, welcome('m-2'), RETRY_AT, counts)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(delivered).toEqual(['m-1']);
  });

  it('a provider that fails before accepting leaves the key CLAIMED, to be settled by the next attempt', async () => {
    const failing: OnceSend = {
      ...welcome(),
      deliver: async () => Promise.reject(Object.assign(new Error('throttled'), { name: 'TransientDependencyError' })),
    };
    await expect(sendOnce({ store, receipts: receipts({ status: 'UNKNOWN' }) }, failing, CLAIMED_AT, counts)).rejects.toThrow('throttled');
    expect(await store.claimSend('L-100', 'WELCOME:SMS', RETRY_AT)).toMatchObject({ status: 'CLAIMED', claimedAt: CLAIMED_AT });
    const id = await sendOnce({ store, receipts: receipts({ status: 'NOT_ACCEPTED' }) }, welcome('m-2'), RETRY_AT, counts);
    expect(id).toBe('m-2');
    expect(delivered).toEqual(['m-2']);
  });
});
