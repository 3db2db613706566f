import { DateTime } from 'luxon';
import { isCanonicalInstant, isValidTimeZone, localDate } from '../../domain/local-time.js';
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
    // Local days of instants in the `Date#toISOString` form (all the rules write) come from the memoized
    // localDate, the same day Luxon gives; anything else is read by Luxon itself.
    const fast = isValidTimeZone(attempt.timezone) && isCanonicalInstant(attempt.at);
    const dayOf = (at: string) =>
      fast && isCanonicalInstant(at) ? localDate(at, attempt.timezone) : DateTime.fromISO(at, { zone: attempt.timezone }).toISODate();
    const day = dayOf(attempt.at);
    const same = standing.recent.filter((c) => c.channel === 'SMS' && c.purpose === attempt.purpose && dayOf(c.at) === day);
    if (same.length < config.perPurposePerDay) return allowed;
    const tomorrow = DateTime.fromISO(attempt.at, { zone: attempt.timezone }).plus({ days: 1 }).startOf('day');
    return { allowed: false, code: 'SMS_DAILY_CAP', reason: `${same.length} ${attempt.purpose} SMS already today`, retryAt: tomorrow.toUTC().toISO()! };
  },
};
