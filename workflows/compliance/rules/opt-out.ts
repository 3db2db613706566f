import { allowed, type ContactRule } from '../contact-gate-types.js';

/** An opted-out channel, or a do-not-contact flag, is never used. */
export const optOut: ContactRule<Record<string, never>> = {
  id: 'opt-out',
  description: 'honour opt-outs and the do-not-contact flag',
  check(attempt, standing) {
    if (standing.doNotContact) return { allowed: false, code: 'DO_NOT_CONTACT', reason: 'do-not-contact flag', retryAt: null };
    if (standing.optedOut.includes(attempt.channel)) return { allowed: false, code: 'OPTED_OUT', reason: `opted out of ${attempt.channel}`, retryAt: null };
    return allowed;
  },
};
