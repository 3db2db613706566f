import { describe, expect, it } from 'vitest';
import { evaluateContact, packFor } from '../../workflows/compliance/contact-gate.js';
import { cnPack } from '../../workflows/compliance/packs/cn.js';
import { usPack } from '../../workflows/compliance/packs/us.js';
import { attempt, standing } from './fixtures.js';

describe('contact gate', () => {
  it('lets a compliant contact through and names the pack version', () => {
    expect(evaluateContact(cnPack, attempt(), standing())).toEqual({
      allowed: true,
      pack: 'cn',
      packVersion: cnPack.version,
      blockedBy: [],
      retryAt: null,
      undecided: false,
    });
  });

  it('defers to the moment every blocking rule allows it', () => {
    const recent = [{ channel: 'SMS' as const, purpose: 'REMINDER', at: '2026-03-02T13:00:00.000Z' }];
    const decision = evaluateContact(cnPack, attempt({ at: '2026-03-02T14:00:00.000Z' }), standing({ recent }));
    expect(decision.allowed).toBe(false);
    expect(decision.blockedBy.map((b) => b.rule)).toEqual(['contact-window', 'sms-daily-cap']);
    expect(decision.retryAt).toBe('2026-03-03T00:00:00.000Z');
  });

  it('never retries what may never happen (opt-out, referral)', () => {
    expect(evaluateContact(usPack, attempt({ timezone: 'America/Chicago', at: '2026-03-02T16:00:00.000Z' }), standing({ status: 'LEGAL' })).retryAt).toBeNull();
  });

  it('fails closed when it cannot decide', () => {
    const decision = evaluateContact(cnPack, attempt({ timezone: 'Nowhere/Atlantis' }), standing());
    expect(decision).toMatchObject({ allowed: false, undecided: true, retryAt: null });
  });

  it("picks the pack by the borrower's zone", () => {
    expect(packFor('America/New_York').id).toBe('us');
    expect(packFor('Asia/Shanghai').id).toBe('cn');
  });
});
