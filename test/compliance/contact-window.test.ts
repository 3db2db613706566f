import { describe, expect, it } from 'vitest';
import { contactWindow } from '../../workflows/compliance/rules/contact-window.js';
import { attempt, standing } from './fixtures.js';

const config = { from: '08:00', to: '21:00' };

describe('contact-window', () => {
  it("compliant: 10:00 in the borrower's zone", () => {
    expect(contactWindow.check(attempt(), standing(), config)).toEqual({ allowed: true });
  });

  it('noncompliant: 22:30 local is deferred to 08:00 the next morning', () => {
    const verdict = contactWindow.check(attempt({ at: '2026-03-02T14:30:00.000Z' }), standing(), config);
    expect(verdict).toMatchObject({ allowed: false, reason: 'outside 08:00-21:00 local time', retryAt: '2026-03-03T00:00:00.000Z' });
  });

  it('noncompliant: 06:00 local is deferred to 08:00 the same day', () => {
    const verdict = contactWindow.check(attempt({ at: '2026-03-01T22:00:00.000Z' }), standing(), config);
    expect(verdict).toMatchObject({ allowed: false, retryAt: '2026-03-02T00:00:00.000Z' });
  });

  it("uses the borrower's own zone, across daylight saving time", () => {
    // 2026-03-08 is the US spring-forward day: 07:30 EDT is still outside, 08:00 EDT = 12:00Z opens.
    const verdict = contactWindow.check(attempt({ at: '2026-03-08T11:30:00.000Z', timezone: 'America/New_York' }), standing(), config);
    expect(verdict).toMatchObject({ allowed: false, retryAt: '2026-03-08T12:00:00.000Z' });
  });

  it('cannot decide without a valid time zone', () => {
    expect(() => contactWindow.check(attempt({ timezone: 'Mars/Olympus' }), standing(), config)).toThrow(/Mars\/Olympus/);
  });
});
