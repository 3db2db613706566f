// The paced path of outbound messages: every SMS and email takes a slot of its channel's origination identity,
// at most `perSecond` a second, so a morning's burst becomes a queue and not a storm of throttles.

export type PacedChannel = 'SMS' | 'EMAIL';

/** How fast each channel's origination identity may send (its quota: SMS parts/s of the number, SES rate). */
export interface PacingRates {
  SMS: { identity: string; perSecond: number };
  EMAIL: { identity: string; perSecond: number };
}

/**
 * Counters of the slots given out in one minute of one identity. `take` hands out the next slot, but none
 * before `from` (the slots of seconds already gone by are never handed out), and answers its number (0-based),
 * or null when the minute's `capacity` is used up. Atomic: two callers never get the same slot.
 */
export interface MinuteCounters {
  take(key: string, minuteStart: string, capacity: number, from: number): Promise<number | null>;
}

export interface SendPacer {
  /** The moment this message may go: `now` when its identity has room, else the first free slot after it. */
  reserve(channel: PacedChannel, now: string): Promise<string>;
}

const MINUTE_MS = 60_000;
/** Full minutes are skipped one by one, then in growing leaps: a deep queue is found in a few calls. */
const LINEAR_PROBES = 8;
/** Beyond this the queue is taken as a day deep; the gate then moves the message into the next contact window. */
const MAX_PROBE_MINUTES = 24 * 60;

export class PacingRateError extends Error {
  override readonly name = 'PacingRateError';
}

/**
 * Slots in per-minute counters: the n-th message of a minute goes at second floor(n / perSecond) of it, so the
 * identity never sends more than perSecond in any second. A full minute sends the caller to the next ones.
 */
export function createSendPacer(counters: MinuteCounters, rates: PacingRates): SendPacer {
  for (const channel of ['SMS', 'EMAIL'] as const) {
    const { perSecond } = rates[channel];
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new PacingRateError(`pacing.${channel}.perSecond: must be a number above 0, got ${perSecond}`);
  }
  return {
    async reserve(channel, now) {
      const { identity, perSecond } = rates[channel];
      const capacity = Math.max(1, Math.floor(perSecond * 60));
      const nowMs = Date.parse(now);
      const firstMinute = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
      // Within the current minute only the seconds still ahead count: a late caller must not take a slot gone by.
      const fromNow = Math.ceil(((nowMs - firstMinute) / 1000) * perSecond);
      let offset = 0;
      let probes = 0;
      while (offset <= MAX_PROBE_MINUTES) {
        const minuteStart = firstMinute + offset * MINUTE_MS;
        const taken = await counters.take(
          `${channel}#${identity}`,
          new Date(minuteStart).toISOString(),
          capacity,
          offset === 0 ? Math.min(fromNow, capacity) : 0,
        );
        if (taken !== null) {
          const slot = minuteStart + Math.floor((taken / perSecond) * 1000);
          return new Date(Math.max(slot, nowMs)).toISOString();
        }
        probes += 1;
        offset += probes <= LINEAR_PROBES ? 1 : 2 ** (probes - LINEAR_PROBES);
      }
      return new Date(firstMinute + (MAX_PROBE_MINUTES + 1) * MINUTE_MS).toISOString();
    },
  };
}

/** A send that is due within this much of now goes at once (a step takes about that long anyway). */
export const PACING_TOLERANCE_MS = 1_000;
