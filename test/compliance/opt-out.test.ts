import { describe, expect, it } from 'vitest';
import { optOut } from '../../workflows/compliance/rules/opt-out.js';
import { attempt, standing } from './fixtures.js';

describe('opt-out', () => {
  it('compliant: a channel the borrower did not opt out of', () => {
    expect(optOut.check(attempt({ channel: 'SMS' }), standing({ optedOut: ['EMAIL'] }), {})).toEqual({ allowed: true });
  });

  it('noncompliant: opted out of SMS, never retried', () => {
    expect(optOut.check(attempt({ channel: 'SMS' }), standing({ optedOut: ['SMS'] }), {})).toMatchObject({
      allowed: false,
      reason: 'opted out of SMS',
      retryAt: null,
    });
  });

  it('noncompliant: do-not-contact blocks every channel', () => {
    for (const channel of ['SMS', 'EMAIL', 'CALL'] as const) {
      expect(optOut.check(attempt({ channel }), standing({ doNotContact: true }), {})).toMatchObject({ allowed: false, reason: 'do-not-contact flag' });
    }
  });
});
