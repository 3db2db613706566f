import { DateTime } from 'luxon';
import { allowed, type ContactRule } from '../contact-gate-types.js';

export interface SmsDailyCapConfig {
  perPurposePerDay: number;
}

/** At most N SMS of one purpose per local day; the next goes out the next morning. */
export const smsDailyCap: ContactRule<SmsDailyCapConfig> = {
  id: 'sms-daily-cap',
  description: 'at most one SMS per purpose per day',
  check(attempt, standing, config) {
    if (attempt.channel !== 'SMS') return allowed;
    const day = DateTime.fromISO(attempt.at, { zone: attempt.timezone }).toISODate();
    const same = standing.recent.filter(
      (c) => c.channel === 'SMS' && c.purpose === attempt.purpose && DateTime.fromISO(c.at, { zone: attempt.timezone }).toISODate() === day,
    );
    if (same.length < config.perPurposePerDay) return allowed;
    const tomorrow = DateTime.fromISO(attempt.at, { zone: attempt.timezone }).plus({ days: 1 }).startOf('day');
    return { allowed: false, code: 'SMS_DAILY_CAP', reason: `${same.length} ${attempt.purpose} SMS already today`, retryAt: tomorrow.toUTC().toISO()! };
  },
};
