import { IANAZone } from 'luxon';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';

/** One line of timeline.jsonl: the stored record, `at` written with the borrower's UTC offset. */
export interface ExportedEvent {
  loanId: string;
  /** ISO 8601 with the offset of the borrower's zone, e.g. 2026-01-05T10:00:00.000+08:00. */
  at: string;
  type: string;
  [detail: string]: unknown;
}

/**
 * The record as the product stored it (store.listTimeline), with `at` in the borrower's local time and the
 * other attributes in name order: DynamoDB returns attributes in no particular order, and the same run must
 * give the same file whichever store it used.
 */
export function exportEvent(event: TimelineEvent, timezone: string): ExportedEvent {
  const { loanId, at, type, ...details } = event;
  const out: ExportedEvent = { loanId, at: offsetIso(at, timezone), type };
  for (const key of Object.keys(details).sort()) out[key] = details[key];
  return out;
}

/**
 * A loan's records in time order; records of the same instant in the order they were written (their audit
 * chain sequence), where the store's sort key would order them by name.
 */
export function inTimeOrder(events: TimelineEvent[]): TimelineEvent[] {
  const seq = (e: TimelineEvent) => (typeof e.seq === 'number' ? e.seq : Number.MAX_SAFE_INTEGER);
  return [...events].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : seq(a) - seq(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

const DAY_MS = 86_400_000;
const zones = new Map<string, { zone: IANAZone; days: Map<number, number | null> }>();

/** Minutes east of UTC in `timezone` at `ms`; a day without an offset change is looked up once. */
export function offsetMinutes(ms: number, timezone: string): number {
  let entry = zones.get(timezone);
  if (!entry) {
    const zone = IANAZone.create(timezone);
    if (!zone.isValid) throw new RangeError(`unknown time zone: ${timezone}`);
    zones.set(timezone, (entry = { zone, days: new Map() }));
  }
  const day = Math.floor(ms / DAY_MS);
  let offset = entry.days.get(day);
  if (offset === undefined) {
    const start = entry.zone.offset(day * DAY_MS);
    const end = entry.zone.offset((day + 1) * DAY_MS - 1);
    // A day with an offset change (DST) is worked out instant by instant.
    entry.days.set(day, (offset = start === end ? start : null));
  }
  return offset ?? entry.zone.offset(ms);
}

/** `2026-01-05T02:00:00.000Z` in Asia/Shanghai → `2026-01-05T10:00:00.000+08:00`. */
export function offsetIso(instant: string, timezone: string): string {
  const ms = Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError(`not an ISO 8601 instant: ${instant}`);
  const offset = offsetMinutes(ms, timezone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, -1);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The borrower's local calendar date of an instant, YYYY-MM-DD. */
export function localDay(ms: number, timezone: string): string {
  return new Date(ms + offsetMinutes(ms, timezone) * 60_000).toISOString().slice(0, 10);
}
