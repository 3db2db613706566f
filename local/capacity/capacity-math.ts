// The arithmetic of `npm run capacity`, free of I/O: timestamps of a sample's calls in, demand scaled to a
// book of N loans out, beside a quota. Everything here is tested with hand-built timestamp sets
// (test/simulate/capacity-math.test.ts).

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A stretch of time in epoch milliseconds, `from` included, `to` excluded. */
export interface Window {
  from: number;
  to: number;
}

/** How many timestamps fall in each `binMs` bin from `window.from` (bins cut at the window's end); others are left out. */
export function binCounts(times: readonly number[], window: Window, binMs: number): number[] {
  if (!(binMs > 0)) throw new RangeError(`binMs must be above 0, got ${binMs}`);
  if (!(window.to > window.from)) throw new RangeError('the window must end after it starts');
  const bins = new Array<number>(Math.ceil((window.to - window.from) / binMs)).fill(0);
  for (const t of times) {
    if (t < window.from || t >= window.to) continue;
    bins[Math.floor((t - window.from) / binMs)]! += 1;
  }
  return bins;
}

/** The busiest bin: its start and its count (the earliest of equals; the window's start and 0 when empty). */
export function busiest(times: readonly number[], window: Window, binMs: number): { at: number; count: number } {
  if (!(binMs > 0)) throw new RangeError(`binMs must be above 0, got ${binMs}`);
  // Sparse: a month has 2.6 million seconds, and most are empty.
  const counts = new Map<number, number>();
  for (const t of times) {
    if (t < window.from || t >= window.to) continue;
    const bin = Math.floor((t - window.from) / binMs);
    counts.set(bin, (counts.get(bin) ?? 0) + 1);
  }
  let best = 0;
  let index = 0;
  for (const [bin, count] of counts) {
    if (count > best || (count === best && bin < index)) {
      best = count;
      index = bin;
    }
  }
  return { at: window.from + index * binMs, count: best };
}

/** What one loan of the sample stands for: a book of `loans` simulated through `sampleLoans`. */
export function scaleFactor(sampleLoans: number, loans: number): number {
  if (!(Number.isInteger(sampleLoans) && sampleLoans > 0)) throw new RangeError(`the sample must hold at least one loan, got ${sampleLoans}`);
  if (!(loans > 0)) throw new RangeError(`loans must be above 0, got ${loans}`);
  return loans / sampleLoans;
}

export interface Demand {
  /** Per second at the worst minute: the busiest minute's count, scaled, over 60. */
  perSecond: number;
  worstMinuteAt: number;
  /** The busiest single second, scaled (virtual clocks put every 10:00 wake-up in the same second). */
  worstSecond: number;
  /** The busiest 24 hours from the window's start (UTC days when the window starts at midnight UTC), scaled. */
  perDay: number;
  worstDayAt: number;
  /** Everything in the window, scaled. */
  total: number;
  /** Per hour from the window's start, scaled (the chart). */
  perHour: number[];
}

/** A sample's timestamps of one kind of call, scaled by `scale` (see scaleFactor). */
export function demandOf(times: readonly number[], window: Window, scale: number): Demand {
  const minute = busiest(times, window, MINUTE);
  const second = busiest(times, window, SECOND);
  const day = busiest(times, window, DAY);
  const perHour = binCounts(times, window, HOUR).map((n) => n * scale);
  return {
    perSecond: (minute.count * scale) / 60,
    worstMinuteAt: minute.at,
    worstSecond: second.count * scale,
    perDay: day.count * scale,
    worstDayAt: day.at,
    total: perHour.reduce((a, b) => a + b, 0),
    perHour,
  };
}

export interface Headroom {
  demand: number;
  limit: number;
  /** limit - demand: negative when the demand is over the limit. */
  headroom: number;
  /** demand / limit: 1 at the limit. */
  utilization: number;
  exceeded: boolean;
}

export function headroom(demand: number, limit: number): Headroom {
  if (!(limit > 0)) throw new RangeError(`a limit must be above 0, got ${limit}`);
  return { demand, limit, headroom: limit - demand, utilization: demand / limit, exceeded: demand > limit };
}

/**
 * The book size at which a demand that grows in proportion to the loans reaches its limit: `loans` loans make
 * `demand`, so limit / demand times as many reach it. Infinity when nothing of this kind happened.
 */
export function loansAtLimit(loans: number, demand: number, limit: number): number {
  if (!(limit > 0)) throw new RangeError(`a limit must be above 0, got ${limit}`);
  return demand > 0 ? (loans * limit) / demand : Number.POSITIVE_INFINITY;
}

/** The row whose limit is reached at the smallest book (ties: the first); undefined when none ever is. */
export function firstHit<T extends { loansAtLimit: number }>(rows: readonly T[]): T | undefined {
  let first: T | undefined;
  for (const row of rows) if (Number.isFinite(row.loansAtLimit) && (!first || row.loansAtLimit < first.loansAtLimit)) first = row;
  return first;
}
