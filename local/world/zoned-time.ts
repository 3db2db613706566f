// Wall-clock arithmetic for the simulated borrowers and agents, without building a Luxon DateTime for every
// question: the zone's offset comes from a per-day cache (offsetMinutes), and Luxon answers only near an offset
// change, where it decides as it always did.
import { offsetMinutes } from '../simulate/timeline-export.js';

const DAY_MS = 86_400_000;

/** The local wall-clock time of an instant, as milliseconds of a UTC date with the same fields. */
export function wallTime(at: number, timezone: string): number {
  return at + offsetMinutes(at, timezone) * 60_000;
}

/**
 * The instant a wall-clock time (as from wallTime) happens, when no offset change lies within a day of it, so
 * the time exists once and only once; undefined otherwise (the caller asks Luxon).
 */
export function instantOfWallTime(wall: number, timezone: string): number | undefined {
  const offset = offsetMinutes(wall, timezone);
  const at = wall - offset * 60_000;
  if (offsetMinutes(at, timezone) !== offset || offsetMinutes(at - DAY_MS, timezone) !== offset || offsetMinutes(at + DAY_MS, timezone) !== offset)
    return undefined;
  return at;
}

/** Milliseconds of a YYYY-MM-DD date plus `days`, at hh:mm, as a wall time. */
export function wallTimeOf(localDate: string, hhmm: string, days = 0): number {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  return Date.UTC(Number(localDate.slice(0, 4)), Number(localDate.slice(5, 7)) - 1, Number(localDate.slice(8, 10)) + days, hour, minute);
}
