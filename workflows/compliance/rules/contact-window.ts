import { DateTime } from 'luxon';
import { isCanonicalInstant, isValidTimeZone, localMinuteOfDay } from '../../domain/local-time.js';
import { allowed, type ContactRule } from '../contact-gate-types.js';

export interface ContactWindowConfig {
  /** Local time of the borrower, HH:mm. */
  from: string;
  to: string;
}

/** Contact only between `from` and `to` in the borrower's own time zone; otherwise at the next opening. */
export const contactWindow: ContactRule<ContactWindowConfig> = {
  id: 'contact-window',
  description: 'contact only within the local contact window of the borrower',
  check(attempt, _standing, config) {
    const [fromH, fromM] = config.from.split(':').map(Number) as [number, number];
    const [toH, toM] = config.to.split(':').map(Number) as [number, number];
    // Most attempts fall inside the window: decided without building a DateTime (the gate runs for every message).
    if (isCanonicalInstant(attempt.at) && isValidTimeZone(attempt.timezone)) {
      const minutes = localMinuteOfDay(attempt.at, attempt.timezone);
      if (minutes >= fromH * 60 + fromM && minutes < toH * 60 + toM) return allowed;
    }
    const local = DateTime.fromISO(attempt.at, { zone: attempt.timezone });
    if (!local.isValid) throw new Error(`cannot place ${attempt.at} in time zone "${attempt.timezone}"`);
    const minutes = local.hour * 60 + local.minute;
    if (minutes >= fromH * 60 + fromM && minutes < toH * 60 + toM) return allowed;
    const opening = local.set({ hour: fromH, minute: fromM, second: 0, millisecond: 0 });
    const next = minutes < fromH * 60 + fromM ? opening : opening.plus({ days: 1 });
    return { allowed: false, code: 'OUTSIDE_CONTACT_HOURS', reason: `outside ${config.from}-${config.to} local time`, retryAt: next.toUTC().toISO()! };
  },
};
