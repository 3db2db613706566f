import { describe, expect, it } from 'vitest';
import { noContactAfterReferral } from '../../workflows/compliance/rules/no-contact-after-referral.js';
import { attempt, standing } from './fixtures.js';

describe('no-contact-after-referral', () => {
  it('compliant: an active loan', () => {
    expect(noContactAfterReferral.check(attempt(), standing(), {})).toEqual({ allowed: true });
  });

  it('noncompliant: referred to the legal team', () => {
    expect(noContactAfterReferral.check(attempt({ channel: 'CALL' }), standing({ status: 'LEGAL' }), {})).toMatchObject({
      allowed: false,
      reason: 'referred to the legal team',
      retryAt: null,
    });
  });
});
