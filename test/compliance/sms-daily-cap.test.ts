import { describe, expect, it } from 'vitest';
import { smsDailyCap } from '../../workflows/compliance/rules/sms-daily-cap.js';
import { attempt, standing } from './fixtures.js';

const config = { perPurposePerDay: 1 };

describe('sms-daily-cap', () => {
  it('compliant: the first REMINDER SMS of the local day', () => {
    const recent = [{ channel: 'SMS' as const, purpose: 'REMINDER', at: '2026-03-01T02:00:00.000Z' }];
    expect(smsDailyCap.check(attempt(), standing({ recent }), config)).toEqual({ allowed: true });
  });

  it('noncompliant: a second REMINDER SMS the same local day goes out tomorrow', () => {
    const recent = [{ channel: 'SMS' as const, purpose: 'REMINDER', at: '2026-03-01T23:00:00.000Z' }]; // 07:00 on 2 March, Shanghai
    expect(smsDailyCap.check(attempt(), standing({ recent }), config)).toMatchObject({
      allowed: false,
      reason: '1 REMINDER SMS already today',
      retryAt: '2026-03-02T16:00:00.000Z',
    });
  });

  it('compliant: another purpose the same day', () => {
    const recent = [{ channel: 'SMS' as const, purpose: 'WELCOME', at: '2026-03-02T01:00:00.000Z' }];
    expect(smsDailyCap.check(attempt(), standing({ recent }), config)).toEqual({ allowed: true });
  });
});
