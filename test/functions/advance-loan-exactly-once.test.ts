// AdvanceLoan run again with the same input (a Step Functions retry, a redrive, a restarted generation) and
// events delivered twice or out of order: every message, task and payment counts once.
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { createAdvanceLoanHandler } from '../../functions/advance-loan.js';
import { ConcurrentUpdateError } from '../../functions/errors.js';
import { onboardLoan } from '../../functions/onboard-loan.js';
import { recordPayment } from '../../functions/record-payment.js';
import type { OutboxEntry } from '../../local/outbox-senders.js';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { inMemoryHandlerPorts } from '../support/handler-ports.js';
import { loanRequest } from '../support/loans.js';

const context = { functionName: 'test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;
const DAY = 86_400_000;

let store: MemoryLoanStore;
let outbox: OutboxEntry[];
let now: Date;
let ports: ReturnType<typeof inMemoryHandlerPorts>;

beforeEach(() => {
  outbox = [];
  now = new Date('2026-01-05T02:00:00.000Z');
  ports = inMemoryHandlerPorts({ clock: () => now, outbox });
  store = ports.store;
});

const step = { loanId: 'L-1', generation: 0, iteration: 0 };
const advance = () => createAdvanceLoanHandler(ports)(step, context);
const pay = (input: { amount: number; paidAt: string; paymentId: string }) => recordPayment(ports)({ loanId: 'L-1', ...input });
const later = (ms: number) => (now = new Date(now.getTime() + ms));
const ofType = (timeline: TimelineEvent[], type: string) => timeline.filter((e) => e.type === type);

async function onboard(termMonths = 6): Promise<void> {
  await onboardLoan(ports)(loanRequest({ loanId: 'L-1', termMonths }));
}

describe('AdvanceLoan run again after a partial step', () => {
  it('a step whose commit failed after its sends (the version moved): the retry sends nothing twice, records each send and task once', async () => {
    await onboard();
    vi.spyOn(store, 'commitDecision').mockRejectedValueOnce(new ConcurrentUpdateError('the version moved'));
    await expect(advance()).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(outbox.map((m) => `${m.channel}:${m.purpose}`).sort()).toEqual(['EMAIL:WELCOME', 'SMS:WELCOME']);

    later(2_000);
    await advance();
    expect(outbox.map((m) => `${m.channel}:${m.purpose}`).sort()).toEqual(['EMAIL:WELCOME', 'SMS:WELCOME']);
    const timeline = await store.listTimeline('L-1');
    expect(
      ofType(timeline, 'MESSAGE_SENT')
        .map((e) => e.key)
        .sort(),
    ).toEqual(['MESSAGE_SENT:WELCOME:EMAIL', 'MESSAGE_SENT:WELCOME:SMS']);
    expect(ofType(timeline, 'MESSAGE_SENT').find((e) => e.key === 'MESSAGE_SENT:WELCOME:SMS')).toMatchObject({ messageId: 'sms-L-1-WELCOME:SMS' });
    expect((await store.listTasks('L-1')).filter((t) => t.purpose === 'FIRST_CONTACT')).toHaveLength(1);
  });

  it('a step that failed for good and is run again days later (a redrive, the next generation): nothing already sent goes out again', async () => {
    await onboard();
    const commit = vi.spyOn(store, 'commitDecision');
    for (let attempt = 0; attempt < 6; attempt++) {
      commit.mockRejectedValueOnce(new ConcurrentUpdateError('still moving'));
      await expect(advance()).rejects.toBeInstanceOf(ConcurrentUpdateError);
      later(60_000);
    }
    later(5 * DAY);
    await advance();
    expect(outbox.filter((m) => m.purpose === 'WELCOME')).toHaveLength(2);
    const timeline = await store.listTimeline('L-1');
    expect(ofType(timeline, 'MESSAGE_SENT').filter((e) => String(e.key).includes('WELCOME'))).toHaveLength(2);
    expect((await store.listTasks('L-1')).filter((t) => t.purpose === 'FIRST_CONTACT')).toHaveLength(1);
    // And once committed, running the same input yet again changes nothing.
    const before = { outbox: outbox.length, timeline: timeline.length };
    later(1_000);
    await advance();
    expect(outbox).toHaveLength(before.outbox);
    expect(await store.listTimeline('L-1')).toHaveLength(before.timeline);
  });
});

describe('AdvanceLoan retried across a decision boundary', () => {
  it('sends made just before the contact window closes, commit failed, retry just after it: every message sent is recorded once', async () => {
    await onboard();
    const due = (await store.getSnapshot('L-1'))!.instalments[0]!.dueDate;
    // 20:59 on the due day in Shanghai: the reminders still go; from 21:00 the gate would defer them.
    now = new Date(`${due}T12:59:00.000Z`);
    vi.spyOn(store, 'commitDecision').mockRejectedValueOnce(new ConcurrentUpdateError('the version moved'));
    await expect(advance()).rejects.toBeInstanceOf(ConcurrentUpdateError);
    const sentFirst = outbox.map((m) => m.messageId).sort();
    expect(outbox.filter((m) => m.purpose === 'REMINDER').length).toBeGreaterThan(0);

    later(2 * 60_000);
    await advance();
    expect(outbox.map((m) => m.messageId).sort()).toEqual(sentFirst);
    const timeline = await store.listTimeline('L-1');
    const recorded = [...ofType(timeline, 'MESSAGE_SENT'), ...ofType(timeline, 'TEAM_NOTIFIED')].map((e) => e.messageId as string);
    expect(recorded.sort()).toEqual(sentFirst);
    // The step that finished the interrupted one leaves the loan to catch up to the present with the next.
    expect((await store.getSnapshot('L-1'))!.pinnedStep).toBeUndefined();
  });

  it('a retry decides at the pinned time only for the version it was pinned at', async () => {
    await onboard();
    const commit = vi.spyOn(store, 'commitDecision');
    commit.mockRejectedValueOnce(new ConcurrentUpdateError('the version moved'));
    await expect(advance()).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect((await store.getSnapshot('L-1'))!.pinnedStep).toEqual({ version: 0, at: now.toISOString() });
    later(60_000);
    await advance();
    const state = (await store.getSnapshot('L-1'))!;
    expect(state.version).toBe(1);
    expect(state.state.lastAdvancedAt).toBe('2026-01-05T02:00:00.000Z');
    expect(state.pinnedStep).toBeUndefined();
  });
});

describe('events delivered twice or out of order', () => {
  it('the same payment reported twice (same paymentId, even at another time) is applied once, before or after a step', async () => {
    await onboard();
    await advance();
    const first = (await store.getSnapshot('L-1'))!.instalments[0]!;
    later(30 * DAY);
    await pay({ amount: first.amount / 100, paidAt: now.toISOString(), paymentId: 'PAY-1' });
    await pay({ amount: first.amount / 100, paidAt: new Date(now.getTime() + 60_000).toISOString(), paymentId: 'PAY-1' });
    later(120_000);
    await advance();
    await pay({ amount: first.amount / 100, paidAt: now.toISOString(), paymentId: 'PAY-1' });
    later(60_000);
    await advance();
    const snapshot = (await store.getSnapshot('L-1'))!;
    expect(ofType(await store.listTimeline('L-1'), 'PAYMENT_RECEIVED')).toHaveLength(1);
    expect(snapshot.instalments.map((i) => i.paidAmount)).toEqual([first.amount, 0, 0, 0, 0, 0]);
    expect(await store.listInbox('L-1')).toEqual([]);
  });

  it('instalment 5 paid before 4: the money goes to the oldest instalment first, each payment recorded once, nothing paid twice', async () => {
    await onboard();
    await advance();
    const schedule = (await store.getSnapshot('L-1'))!.instalments;
    const due = (seq: number) => new Date(`${schedule[seq - 1]!.dueDate}T02:00:00.000Z`).toISOString();
    const amount = (seq: number) => schedule[seq - 1]!.amount / 100;
    for (const seq of [1, 2, 3]) await pay({ amount: amount(seq), paidAt: due(seq), paymentId: `PAY-${seq}` });
    now = new Date(Date.parse(due(5)) + 3_600_000);
    // #5's payment reaches the loan first; #4's arrives a step later, and #5's is then reported again.
    await pay({ amount: amount(5), paidAt: due(5), paymentId: 'PAY-5' });
    await advance();
    let instalments = (await store.getSnapshot('L-1'))!.instalments;
    expect(instalments.filter((i) => i.paidAt).map((i) => i.seq)).toEqual([1, 2, 3, 4]);
    later(DAY);
    await pay({ amount: amount(4), paidAt: now.toISOString(), paymentId: 'PAY-4' });
    await pay({ amount: amount(5), paidAt: due(5), paymentId: 'PAY-5' });
    later(60_000);
    await advance();
    instalments = (await store.getSnapshot('L-1'))!.instalments;
    expect(instalments.filter((i) => i.paidAt).map((i) => i.seq)).toEqual([1, 2, 3, 4, 5]);
    for (const i of instalments) expect(i.paidAmount).toBeLessThanOrEqual(i.amount);
    const payments = ofType(await store.listTimeline('L-1'), 'PAYMENT_RECEIVED');
    expect(payments.map((p) => p.key).sort()).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4', 'PAY-5'].map((id) => `PAYMENT_RECEIVED:${id}`));
    expect(payments.every((p) => p.unapplied === 0)).toBe(true);
  });

  it('two payments reaching the inbox in the wrong order before one step are applied in the order they were paid', async () => {
    await onboard();
    await advance();
    const schedule = (await store.getSnapshot('L-1'))!.instalments;
    const due = (seq: number) => new Date(`${schedule[seq - 1]!.dueDate}T02:00:00.000Z`).toISOString();
    now = new Date(Date.parse(due(2)) + 3_600_000);
    await pay({ amount: schedule[1]!.amount / 100, paidAt: due(2), paymentId: 'PAY-B' });
    await pay({ amount: schedule[0]!.amount / 100, paidAt: due(1), paymentId: 'PAY-A' });
    await advance();
    const payments = ofType(await store.listTimeline('L-1'), 'PAYMENT_RECEIVED');
    expect(payments.find((p) => p.key === 'PAYMENT_RECEIVED:PAY-A')).toMatchObject({ settled: [1] });
    expect(payments.find((p) => p.key === 'PAYMENT_RECEIVED:PAY-B')).toMatchObject({ settled: [2] });
  });
});
