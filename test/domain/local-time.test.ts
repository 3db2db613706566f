import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import {
  addDaysIso,
  addLocalDays,
  addLocalMonths,
  atLocalTime,
  daysBetween,
  isValidTimeZone,
  localDate,
  localHour,
  secondsBetween,
  toOffsetIso,
} from '../../workflows/domain/local-time.js';

describe('isValidTimeZone', () => {
  it('accepts IANA zones and refuses anything else', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('America/New_York')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('+08:00')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
});

describe('localDate and localHour', () => {
  it('gives the calendar date and hour in the borrower zone, not UTC', () => {
    expect(localDate('2026-01-04T17:30:00.000Z', 'Asia/Shanghai')).toBe('2026-01-05');
    expect(localDate('2026-01-04T17:30:00.000Z', 'America/New_York')).toBe('2026-01-04');
    expect(localHour('2026-01-04T17:30:00.000Z', 'Asia/Shanghai')).toBe(1);
    expect(localHour('2026-07-01T12:00:00.000Z', 'America/New_York')).toBe(8);
    expect(localHour('2026-01-01T12:00:00.000Z', 'America/New_York')).toBe(7);
  });

  it('honours an explicit offset in the input', () => {
    expect(localDate('2026-01-05T00:30:00+08:00', 'UTC')).toBe('2026-01-04');
  });

  it('refuses bad input', () => {
    expect(() => localDate('yesterday', 'Asia/Shanghai')).toThrow(/ISO 8601/);
    expect(() => localDate('2026-01-05T00:00:00Z', 'Nowhere/Land')).toThrow(/time zone/);
  });
});

describe('atLocalTime', () => {
  it('turns a local wall time into a UTC instant', () => {
    expect(atLocalTime('2026-01-05', '10:00', 'Asia/Shanghai')).toBe('2026-01-05T02:00:00.000Z');
    expect(atLocalTime('2026-01-05', '00:00', 'Asia/Shanghai')).toBe('2026-01-04T16:00:00.000Z');
  });

  it('follows New York across DST: same wall time, different UTC hour', () => {
    expect(atLocalTime('2026-03-07', '10:00', 'America/New_York')).toBe('2026-03-07T15:00:00.000Z');
    expect(atLocalTime('2026-03-09', '10:00', 'America/New_York')).toBe('2026-03-09T14:00:00.000Z');
    expect(atLocalTime('2026-11-02', '10:00', 'America/New_York')).toBe('2026-11-02T15:00:00.000Z');
  });

  it('moves a time skipped by spring-forward ahead by the gap', () => {
    expect(atLocalTime('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z');
  });

  it('takes the earlier of a time that happens twice at fall-back', () => {
    expect(atLocalTime('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z');
  });

  it('refuses malformed dates and times', () => {
    expect(() => atLocalTime('2026-02-30', '10:00', 'Asia/Shanghai')).toThrow(/YYYY-MM-DD/);
    expect(() => atLocalTime('2026-02-03', '24:00', 'Asia/Shanghai')).toThrow(/HH:mm/);
    expect(() => atLocalTime('2026-02-03', '9:00', 'Asia/Shanghai')).toThrow(/HH:mm/);
  });
});

describe('calendar arithmetic on local dates', () => {
  it('adds days across month and year ends', () => {
    expect(addLocalDays('2026-01-30', 3)).toBe('2026-02-02');
    expect(addLocalDays('2026-01-02', -3)).toBe('2025-12-30');
    expect(addLocalDays('2026-03-07', 1)).toBe('2026-03-08');
  });

  it('adds months, clamping to the end of a shorter month', () => {
    expect(addLocalMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addLocalMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addLocalMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addLocalMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addLocalMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addLocalMonths('2026-03-31', -1)).toBe('2026-02-28');
  });

  it('counts calendar days between dates, signed', () => {
    expect(daysBetween('2026-01-05', '2026-02-05')).toBe(31);
    expect(daysBetween('2026-02-05', '2026-01-05')).toBe(-31);
    expect(daysBetween('2026-03-01', '2026-03-01')).toBe(0);
    // 2026-03-08 is only 23 hours long in New York; still one calendar day.
    expect(daysBetween('2026-03-07', '2026-03-09')).toBe(2);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
  });
});

describe('instants', () => {
  it('writes an instant with the local offset of that moment', () => {
    expect(toOffsetIso('2026-01-05T02:00:00.000Z', 'Asia/Shanghai')).toBe('2026-01-05T10:00:00.000+08:00');
    expect(toOffsetIso('2026-01-05T15:00:00.000Z', 'America/New_York')).toBe('2026-01-05T10:00:00.000-05:00');
    expect(toOffsetIso('2026-07-05T14:00:00.000Z', 'America/New_York')).toBe('2026-07-05T10:00:00.000-04:00');
  });

  it('adds whole 24-hour days and keeps the toISOString form', () => {
    expect(addDaysIso('2026-01-05T02:00:00.000Z', 7)).toBe('2026-01-12T02:00:00.000Z');
    expect(addDaysIso('2026-01-05T02:00:00Z', -5)).toBe('2025-12-31T02:00:00.000Z');
    expect(addDaysIso('2026-03-07T15:00:00.000Z', 2)).toBe('2026-03-09T15:00:00.000Z');
  });

  it('measures seconds between instants, signed', () => {
    expect(secondsBetween('2026-01-05T02:00:00.000Z', '2026-01-05T03:00:01.500Z')).toBe(3601.5);
    expect(secondsBetween('2026-01-05T10:00:00+08:00', '2026-01-05T02:00:00.000Z')).toBe(0);
    expect(secondsBetween('2026-01-06T00:00:00Z', '2026-01-05T00:00:00Z')).toBe(-86400);
  });
});

describe('atLocalTime at every minute of a day (the spread times)', () => {
  const luxon = (date: string, hhmm: string, tz: string) => {
    const [hour, minute] = hhmm.split(':').map(Number);
    const [year, month, day] = date.split('-').map(Number);
    const wall = DateTime.fromObject({ year, month, day, hour, minute }, { zone: tz });
    const earliest = wall.getPossibleOffsets().reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), wall);
    return earliest.toUTC().toISO();
  };

  it.each([
    ['Asia/Shanghai', '2026-03-05'],
    ['America/New_York', '2026-07-01'],
    ['America/New_York', '2026-03-08'],
    ['America/New_York', '2026-11-01'],
    ['America/Santiago', '2026-09-06'],
    ['Europe/London', '2026-03-29'],
  ])('in %s on %s agrees with the calendar, DST days included', (tz, date) => {
    for (let m = 0; m < 24 * 60; m += 7) {
      const hhmm = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      const expected = luxon(date, hhmm, tz);
      // Luxon moves a skipped time forward by the gap and takes the earlier of a repeated one, as atLocalTime does.
      expect(atLocalTime(date, hhmm, tz), `${date} ${hhmm} ${tz}`).toBe(expected);
    }
  });
});
