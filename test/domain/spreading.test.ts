import { describe, expect, it } from 'vitest';
import { localMinuteOfDay } from '../../workflows/domain/local-time.js';
import { spreadForLoan, spreadFraction, spreadOffsetMinutes } from '../../workflows/domain/rules/spreading.js';
import { loadAllPolicies, parsePolicy } from '../../workflows/policy/load-policy.js';
import { DomainHarness } from '../support/domain-harness.js';
import { testLoan } from '../support/loans.js';

const { consumer } = loadAllPolicies();
const ids = Array.from({ length: 10_000 }, (_, i) => `LN-${String(i).padStart(6, '0')}`);
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Steps the loan until its first message of `purpose` and says at which local minute of the day it went. */
function firstSendMinute(loanId: string, purpose: string): number {
  const h = new DomainHarness(testLoan({ loanId }), consumer);
  while (h.sends(purpose).length === 0) h.sleepUntil(h.wakeAt!);
  return localMinuteOfDay(h.now, 'Asia/Shanghai');
}

describe('spreading a book over the policy windows', () => {
  it('gives a loan the same place every time, and loans places spread evenly', () => {
    expect(spreadFraction('LN-000042')).toBe(spreadFraction('LN-000042'));
    const perHalfHour = new Array(7).fill(0);
    for (const id of ids) perHalfHour[Math.floor(spreadOffsetMinutes(id, 180) / 30)] += 1;
    // 180 minutes in six half hours (the last bucket holds minute 180 alone).
    for (const count of perHalfHour.slice(0, 6)) expect(count).toBeGreaterThan((10_000 / 6) * 0.9);
    expect(perHalfHour[6]).toBeLessThan(150);
  });

  it('sends inside reminders.localTime + spreadMinutes and queues tasks inside the spreadMinutes before tasks.localTime', () => {
    for (const id of ids.slice(0, 500)) {
      const policy = spreadForLoan(consumer, id);
      const send = minutes(policy.reminders.localTime);
      const task = minutes(policy.tasks.localTime);
      expect(send).toBeGreaterThanOrEqual(minutes(consumer.reminders.localTime));
      expect(send).toBeLessThanOrEqual(minutes(consumer.reminders.localTime) + consumer.reminders.spreadMinutes);
      expect(task).toBeLessThanOrEqual(minutes(consumer.tasks.localTime));
      expect(task).toBeGreaterThanOrEqual(minutes(consumer.tasks.localTime) - consumer.tasks.spreadMinutes);
    }
    expect(
      spreadForLoan({ ...consumer, reminders: { ...consumer.reminders, spreadMinutes: 0 }, tasks: { ...consumer.tasks, spreadMinutes: 0 } }, 'L-1').reminders
        .localTime,
    ).toBe(consumer.reminders.localTime);
  });

  it('puts the worst minute of 1,000 loans due the same day at most a hundredth of the book, where unspread it is all of it', () => {
    const perMinute = new Map<number, number>();
    for (const id of ids.slice(0, 1000)) {
      const at = minutes(spreadForLoan(consumer, id).reminders.localTime);
      perMinute.set(at, (perMinute.get(at) ?? 0) + 1);
    }
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(20);
    expect(perMinute.size).toBeGreaterThan(150);
  });

  it("a loan's reminder goes at its own minute of the window, the same for the next instalment", () => {
    const at = [firstSendMinute('LN-000001', 'REMINDER'), firstSendMinute('LN-000002', 'REMINDER'), firstSendMinute('LN-000003', 'REMINDER')];
    const expected = ['LN-000001', 'LN-000002', 'LN-000003'].map(
      (id) => minutes(consumer.reminders.localTime) + spreadOffsetMinutes(id, consumer.reminders.spreadMinutes),
    );
    expect(at).toEqual(expected);
    expect(new Set(at).size).toBe(3);
  });

  it("queues a loan's first-contact task before the agents' day starts", () => {
    const h = new DomainHarness(testLoan({ loanId: 'LN-000007', disbursedAt: '2026-01-04T16:00:00.000Z' }), consumer);
    while (!h.openTask('FIRST_CONTACT')) h.sleepUntil(h.wakeAt!);
    const queuedAt = localMinuteOfDay(h.now, 'Asia/Shanghai');
    expect(queuedAt).toBeLessThanOrEqual(minutes(consumer.tasks.localTime));
  });

  it('noncompliant: a window that would send after the contact hours close is refused, naming the field', () => {
    const late = { ...consumer, reminders: { ...consumer.reminders, localTime: '19:00', spreadMinutes: 180 } };
    expect(() => parsePolicy(late, 'late.json')).toThrow(/reminders\.spreadMinutes: must end before 21:00 with reminders\.localTime 19:00 \(at most 119\)/);
    const early = { ...consumer, tasks: { ...consumer.tasks, localTime: '01:00', spreadMinutes: 120 } };
    expect(() => parsePolicy(early, 'early.json')).toThrow(/tasks\.spreadMinutes: must not reach back before 08:00 from tasks\.localTime 01:00 \(at most 0\)/);
  });
});
