import { describe, expect, it } from 'vitest';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { initialState } from '../../workflows/domain/follow-up-state.js';
import { callEvent, describeLoanStoreContract, testInstalments, contractLoan, testTask } from './loan-store-contract.js';

describeLoanStoreContract('MemoryLoanStore', async () => ({ store: new MemoryLoanStore() }));

describe('MemoryLoanStore stats', () => {
  const contact = { phone: '+8613800138000', email: 'wang.fang@example.com' };
  const now = '2026-03-02T02:00:00.000Z';

  it('counts requests as DynamoDB would bill them', async () => {
    const store = new MemoryLoanStore();
    await store.createLoan({ loan: contractLoan(), contact, instalments: testInstalments(), requestHash: 'h', now });
    expect(store.stats).toEqual({ reads: 0, writes: 5 }); // meta, contact, 3 instalments in one transaction

    const snapshot = (await store.getSnapshot('L-100'))!;
    await store.appendInbox('L-100', { type: 'PAYOFF', eventId: 'E1', at: now });
    const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
    await store.commitDecision(
      'L-100',
      0,
      {
        state: initialState(now),
        instalments: snapshot.instalments,
        changedInstalments: [1],
        effects: [{ kind: 'CREATE_TASK', task }],
        timeline: [{ loanId: 'L-100', at: now, type: 'T', key: 'T:1' }],
        action: 'WAIT',
        wakeAt: null,
      },
      [{ eventId: 'E1', at: now }],
    );
    // getSnapshot 1 read; inbox put and count 2 writes; commit (the event names its inbox item: no read): instalment, task, inbox delete, event, meta.
    expect(store.stats).toEqual({ reads: 1, writes: 12 });

    const outcome = { outcome: 'REACHED' as const, findings: [], final: true, at: now, by: 'a' };
    await expect(store.recordCallAttempt({ taskId: 'L-100.NOPE', seenAttempts: 0, outcome, event: callEvent('L-100.NOPE', 1, outcome) })).rejects.toThrow();
    expect(store.stats).toEqual({ reads: 2, writes: 15 }); // the failed transaction (task, inbox, count), then the Get that explains it
  });

  it('counts a Query by 1 MB pages', async () => {
    const store = new MemoryLoanStore();
    const big = 'x'.repeat(300_000);
    await store.appendTimeline(Array.from({ length: 7 }, (_, n) => ({ loanId: 'L-100', at: now, type: 'BIG', key: `B${n}`, big })));
    await store.listTimeline('L-100');
    expect(store.stats).toEqual({ reads: 3, writes: 7 });
  });
});
