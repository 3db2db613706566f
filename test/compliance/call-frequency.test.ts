import { describe, expect, it } from 'vitest';
import { callFrequency } from '../../workflows/compliance/rules/call-frequency.js';
import type { PastContact } from '../../workflows/compliance/contact-gate-types.js';
import { attempt, standing } from './fixtures.js';

const config = { maxCalls: 7, perDays: 7, quietDaysAfterConversation: 7 };
const call = (at: string, extra: Partial<PastContact> = {}): PastContact => ({ channel: 'CALL', purpose: 'COLLECTION', at, ...extra });
const days = (n: number) => new Date(Date.parse('2026-03-10T02:00:00Z') - n * 86_400_000).toISOString();

describe('call-frequency', () => {
  it('compliant: six attempts in the last seven days', () => {
    const recent = [1, 2, 3, 4, 5, 6].map((d) => call(days(d)));
    expect(callFrequency.check(attempt({ channel: 'CALL', at: days(0) }), standing({ recent }), config)).toEqual({ allowed: true });
  });

  it('noncompliant: a seventh attempt within seven days waits until the oldest falls out', () => {
    const recent = [0.5, 1, 2, 3, 4, 5, 6].map((d) => call(days(d)));
    const verdict = callFrequency.check(attempt({ channel: 'CALL', at: days(0) }), standing({ recent }), config);
    expect(verdict).toMatchObject({
      allowed: false,
      reason: '7 call attempts in 7 days',
      retryAt: new Date(Date.parse(days(6)) + 7 * 86_400_000).toISOString(),
    });
  });

  it('noncompliant: a conversation about the same overdue instalment three days ago', () => {
    const recent = [call(days(3), { conversation: true, overdueSeq: 4 })];
    const verdict = callFrequency.check(attempt({ channel: 'CALL', at: days(0), overdueSeq: 4 }), standing({ recent }), config);
    expect(verdict).toMatchObject({ allowed: false, retryAt: new Date(Date.parse(days(3)) + 7 * 86_400_000).toISOString() });
  });

  it('compliant: the conversation was about another instalment', () => {
    const recent = [call(days(3), { conversation: true, overdueSeq: 3 })];
    expect(callFrequency.check(attempt({ channel: 'CALL', at: days(0), overdueSeq: 4 }), standing({ recent }), config)).toEqual({ allowed: true });
  });

  it('compliant: messages are not calls', () => {
    const recent = [0.5, 1, 2, 3, 4, 5, 6].map((d) => call(days(d)));
    expect(callFrequency.check(attempt({ channel: 'SMS', at: days(0) }), standing({ recent }), config)).toEqual({ allowed: true });
  });
});
