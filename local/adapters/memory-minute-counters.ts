import type { MinuteCounters } from '../../functions/pacing/send-pacer.js';

/** Minute counters in memory (one process: the local runtime's memory store, the tests). */
export class MemoryMinuteCounters implements MinuteCounters {
  private readonly counts = new Map<string, number>();

  async take(key: string, minuteStart: string, capacity: number, from: number): Promise<number | null> {
    const id = `${key}@${minuteStart}`;
    const next = Math.max(this.counts.get(id) ?? 0, from);
    if (next >= capacity) return null;
    this.counts.set(id, next + 1);
    return next;
  }
}
