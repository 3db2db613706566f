import { DateTime } from 'luxon';
import { allowed, type ContactRule } from '../contact-gate-types.js';

export interface CallFrequencyConfig {
  maxCalls: number;
  perDays: number;
  /** Days of quiet after a conversation about the same overdue instalment. */
  quietDaysAfterConversation: number;
}

const DAY = 86_400_000;

/** At most N call attempts in D days, and none within D days of a conversation about the same debt. */
export const callFrequency: ContactRule<CallFrequencyConfig> = {
  id: 'call-frequency',
  description: 'cap call attempts and pause after a conversation about the same overdue instalment',
  check(attempt, standing, config) {
    if (attempt.channel !== 'CALL') return allowed;
    const now = Date.parse(attempt.at);
    const calls = standing.recent.filter((c) => c.channel === 'CALL' && Date.parse(c.at) > now - config.perDays * DAY && Date.parse(c.at) <= now);
    if (attempt.overdueSeq !== undefined) {
      const talk = calls.filter((c) => c.conversation && c.overdueSeq === attempt.overdueSeq).map((c) => Date.parse(c.at));
      const quietUntil = talk.length > 0 ? Math.max(...talk) + config.quietDaysAfterConversation * DAY : 0;
      if (quietUntil > now) {
        return {
          allowed: false,
          code: 'RECENT_CONVERSATION',
          reason: `conversation about instalment ${attempt.overdueSeq} within ${config.quietDaysAfterConversation} days`,
          retryAt: iso(quietUntil),
        };
      }
    }
    if (calls.length < config.maxCalls) return allowed;
    const oldest = Math.min(...calls.map((c) => Date.parse(c.at)));
    return {
      allowed: false,
      code: 'CALL_FREQUENCY',
      reason: `${calls.length} call attempts in ${config.perDays} days`,
      retryAt: iso(oldest + config.perDays * DAY),
    };
  },
};

function iso(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toISO()!;
}
