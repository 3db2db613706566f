import { DateTime, IANAZone } from 'luxon';

// Local dates are 'YYYY-MM-DD' in the borrower's zone; instants are UTC ISO strings in the
// `Date#toISOString` form, so the rules can compare them as strings.

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

// Luxon checks a zone by building an Intl formatter each time; the rules ask thousands of times per loan.
const zones = new Map<string, IANAZone>();

function cachedZone(tz: string): IANAZone | null {
  let zone: IANAZone | null | undefined = zones.get(tz);
  if (zone === undefined) {
    zone = typeof tz === 'string' && tz.length > 0 && IANAZone.isValidZone(tz) ? IANAZone.create(tz) : null;
    // Only valid names are kept, so arbitrary input cannot grow the cache.
    if (zone) zones.set(tz, zone);
  }
  return zone;
}

// The rules ask the same questions (this due date at 10:00 in this zone, that date plus 3 days) for every
// instalment on every step. The answers are pure functions of their arguments, so they are remembered, in
// nested maps keyed by the arguments themselves (building a key string per call cost as much as it saved).
// The caches are bounded (emptied when full), so a long-lived Lambda container cannot grow them without end.
const MEMO_LIMIT = 20_000;

type Key = string | number;

/** Answers by two keys; `set` returns what it stores. No closure per call: the rules ask thousands of times. */
class Memo2<T> {
  private root = new Map<Key, Map<Key, T>>();
  private entries = 0;

  get(a: Key, b: Key): T | undefined {
    return this.root.get(a)?.get(b);
  }

  set(a: Key, b: Key, value: T): T {
    if (++this.entries > MEMO_LIMIT) {
      this.root = new Map();
      this.entries = 1;
    }
    let level = this.root.get(a);
    if (!level) this.root.set(a, (level = new Map()));
    level.set(b, value);
    return value;
  }
}

/** Answers by three keys. */
class Memo3<T> {
  private root = new Map<Key, Memo2<T>>();
  private entries = 0;

  get(a: Key, b: Key, c: Key): T | undefined {
    return this.root.get(a)?.get(b, c);
  }

  set(a: Key, b: Key, c: Key, value: T): T {
    if (++this.entries > MEMO_LIMIT) {
      this.root = new Map();
      this.entries = 1;
    }
    let level = this.root.get(a);
    if (!level) this.root.set(a, (level = new Memo2<T>()));
    return level.set(b, c, value);
  }
}

const localDates = new Memo2<string>();
const localTimes = new Memo3<string>();
const dayStarts = new Memo2<number>();
const dayShifts = new Memo2<string>();
const monthShifts = new Memo2<string>();
const dayCounts = new Memo2<number>();
const minutesOfDay = new Memo2<number>();

export function isValidTimeZone(tz: string): boolean {
  return cachedZone(tz) !== null;
}

function zoneOf(tz: string): IANAZone {
  const zone = cachedZone(tz);
  if (!zone) throw new RangeError(`unknown time zone: ${tz}`);
  return zone;
}

/** `Date#toISOString` form, the one the rules store: its instant can be read without Luxon. */
const CANONICAL_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether `iso` is an instant in the `Date#toISOString` form (UTC, milliseconds), a real date and time. */
export function isCanonicalInstant(iso: string): boolean {
  return !Number.isNaN(canonicalMillis(iso));
}

/** Milliseconds of a canonical UTC instant, or NaN when `iso` is anything else (then Luxon decides). */
function canonicalMillis(iso: string): number {
  if (!CANONICAL_UTC.test(iso)) return Number.NaN;
  const ms = Date.parse(iso);
  // Date.parse rolls 2026-02-30 over into March; a round trip tells a real date from that.
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : Number.NaN;
}

function instant(iso: string): DateTime<true> {
  // An instant without an offset is read as UTC, never as the host's zone.
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`not an ISO 8601 instant: ${iso}`);
  return dt;
}

const DAY_MS = 86_400_000;

/** Milliseconds of a YYYY-MM-DD date at 00:00 UTC, or NaN when it is not a real date (then Luxon decides). */
function calendarMillis(localDate: string): number {
  if (!LOCAL_DATE.test(localDate)) return Number.NaN;
  const ms = Date.UTC(Number(localDate.slice(0, 4)), Number(localDate.slice(5, 7)) - 1, Number(localDate.slice(8, 10)));
  // Date.UTC rolls Feb 30 into March and reads years below 100 as 19xx: a round trip tells.
  return new Date(ms).toISOString().slice(0, 10) === localDate ? ms : Number.NaN;
}

/** YYYY-MM-DD of a UTC midnight, or undefined outside years 0000-9999. */
function isoDay(ms: number): string | undefined {
  const text = new Date(ms).toISOString();
  return /^\d{4}-/.test(text) ? text.slice(0, 10) : undefined;
}

function calendarDate(localDate: string): DateTime<true> {
  const dt = DateTime.fromISO(localDate, { zone: 'utc' });
  if (!LOCAL_DATE.test(localDate) || !dt.isValid) throw new RangeError(`not a YYYY-MM-DD date: ${localDate}`);
  return dt;
}

function utcIso(dt: DateTime<true>): string {
  return dt.toUTC().toISO();
}

function inZone(instantIso: string, tz: string): DateTime<true> {
  const dt = instant(instantIso).setZone(zoneOf(tz));
  if (!dt.isValid) throw new RangeError(`cannot place ${instantIso} in ${tz}`);
  return dt;
}

export function localDate(instantIso: string, tz: string): string {
  const known = localDates.get(tz, instantIso);
  if (known !== undefined) return known;
  const ms = canonicalMillis(instantIso);
  const zone = Number.isNaN(ms) ? null : cachedZone(tz);
  // The zone's offset at that instant, as Luxon would apply it, without building DateTimes.
  const day = zone ? isoDay(ms + zone.offset(ms) * 60_000) : undefined;
  return localDates.set(tz, instantIso, day ?? inZone(instantIso, tz).toISODate());
}

/**
 * The instant a wall-clock time happens on a local date. A time skipped by a DST change moves forward by the
 * gap (02:30 → 03:30); a time that happens twice takes the earlier one.
 */
export function atLocalTime(localDate: string, hhmm: string, tz: string): string {
  // On a day whose UTC offset does not change, a wall-clock time is its midnight plus the minutes: one cached
  // entry a day, however many times of day the rules ask for (each loan's own spread minute among them).
  const start = dayStarts.get(tz, localDate) ?? dayStarts.set(tz, localDate, steadyDayStart(localDate, tz));
  if (!Number.isNaN(start) && LOCAL_TIME.test(hhmm)) {
    return new Date(start + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000).toISOString();
  }
  return localTimes.get(tz, hhmm, localDate) ?? localTimes.set(tz, hhmm, localDate, computeAtLocalTime(localDate, hhmm, tz));
}

/** The instant the local date begins, or NaN when its UTC offset changes during the day (a DST change). */
function steadyDayStart(localDate: string, tz: string): number {
  const start = Date.parse(computeAtLocalTime(localDate, '00:00', tz));
  const zone = zoneOf(tz);
  const offset = zone.offset(start);
  return offset === zone.offset(start + 86_400_000 - 1) && isLocalMidnight(start, tz) ? start : Number.NaN;
}

/** Whether the instant reads 00:00 on the local clock (a day whose midnight a DST change skipped does not). */
function isLocalMidnight(ms: number, tz: string): boolean {
  return (((ms + zoneOf(tz).offset(ms) * 60_000) % 86_400_000) + 86_400_000) % 86_400_000 === 0;
}

function computeAtLocalTime(localDate: string, hhmm: string, tz: string): string {
  if (!LOCAL_TIME.test(hhmm)) throw new RangeError(`not an HH:mm time: ${hhmm}`);
  const date = calendarDate(localDate);
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  const zone = zoneOf(tz);
  const wall = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour, minute }, { zone });
  if (!wall.isValid) throw new RangeError(`invalid local time ${localDate} ${hhmm} in ${tz}`);
  const ms = wall.toMillis();
  // Looking for a second reading is only worth it near an offset change; most days have none.
  if (zone.offset(ms - 86_400_000) === zone.offset(ms + 86_400_000)) return utcIso(wall);
  const earliest = wall.getPossibleOffsets().reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), wall);
  return utcIso(earliest);
}

export function addLocalDays(localDate: string, n: number): string {
  const known = dayShifts.get(n, localDate);
  if (known !== undefined) return known;
  const ms = Number.isInteger(n) ? calendarMillis(localDate) : Number.NaN;
  return dayShifts.set(n, localDate, (Number.isNaN(ms) ? undefined : isoDay(ms + n * DAY_MS)) ?? calendarDate(localDate).plus({ days: n }).toISODate());
}

/** Calendar months, clamped at the month's end: Jan 31 + 1 month = Feb 28 (29 in leap years). */
export function addLocalMonths(localDate: string, n: number): string {
  return monthShifts.get(n, localDate) ?? monthShifts.set(n, localDate, calendarDate(localDate).plus({ months: n }).toISODate());
}

/** Calendar days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(fromLocalDate: string, toLocalDate: string): number {
  const known = dayCounts.get(fromLocalDate, toLocalDate);
  if (known !== undefined) return known;
  const from = calendarMillis(fromLocalDate);
  const to = calendarMillis(toLocalDate);
  const days =
    !Number.isNaN(from) && !Number.isNaN(to)
      ? Math.round((to - from) / DAY_MS)
      : Math.round(calendarDate(toLocalDate).diff(calendarDate(fromLocalDate), 'days').days);
  return dayCounts.set(fromLocalDate, toLocalDate, days);
}

export function localHour(instantIso: string, tz: string): number {
  return inZone(instantIso, tz).hour;
}

/** Minutes since local midnight (hour × 60 + minute) of an instant in the zone, as Luxon places it. */
export function localMinuteOfDay(instantIso: string, tz: string): number {
  const known = minutesOfDay.get(tz, instantIso);
  if (known !== undefined) return known;
  const ms = canonicalMillis(instantIso);
  const zone = Number.isNaN(ms) ? null : cachedZone(tz);
  if (!zone) {
    const local = inZone(instantIso, tz);
    return minutesOfDay.set(tz, instantIso, local.hour * 60 + local.minute);
  }
  // The zone's offset at that instant, applied as Luxon applies it, without building a DateTime.
  const wall = new Date(ms + zone.offset(ms) * 60_000);
  return minutesOfDay.set(tz, instantIso, wall.getUTCHours() * 60 + wall.getUTCMinutes());
}

/** The instant written with the zone's offset at that moment, e.g. 2026-01-05T10:00:00.000+08:00. */
export function toOffsetIso(instantIso: string, tz: string): string {
  return inZone(instantIso, tz).toISO();
}

/** Exactly n × 24 hours later (elapsed time, not calendar days in some zone). */
export function addDaysIso(instantIso: string, n: number): string {
  const ms = Number.isInteger(n) ? canonicalMillis(instantIso) : Number.NaN;
  if (!Number.isNaN(ms)) {
    const shifted = new Date(ms + n * 86_400_000).toISOString();
    if (CANONICAL_UTC.test(shifted)) return shifted;
  }
  return utcIso(instant(instantIso).plus({ hours: 24 * n }));
}

/** Seconds from a to b; negative when b is earlier. */
export function secondsBetween(aIso: string, bIso: string): number {
  const a = canonicalMillis(aIso);
  const b = canonicalMillis(bIso);
  if (!Number.isNaN(a) && !Number.isNaN(b)) return (b - a) / 1000;
  return (instant(bIso).toMillis() - instant(aIso).toMillis()) / 1000;
}
