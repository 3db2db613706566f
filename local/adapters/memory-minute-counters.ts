import type { MinuteCounters } from '../../functions/pacing/send-pacer.js';

/**
 * Minute counters in memory (one process: the local runtime's memory store, the tests). With `stats`, each
 * call counts the write requests the DynamoDB counters would send (a conditional write that fails is still
 * one), so the in-memory store's usage matches DynamoDB's.
 */
export class MemoryMinuteCounters implements MinuteCounters {
  private readonly counts = new Map<string, number>();

  constructor(private readonly stats?: { writes: number }) {}

  async take(key: string, minuteStart: string, capacity: number, from: number): Promise<number | null> {
    if (from >= capacity) return null;
    const id = `${key}@${minuteStart}`;
    const taken = this.counts.get(id) ?? 0;
    if (from > 0) {
      this.count();
      if (taken < from) {
        this.counts.set(id, from + 1);
        return from;
      }
    }
    this.count();
    if (taken >= capacity) return null;
    this.counts.set(id, taken + 1);
    return taken;
  }

  private count(): void {
    if (this.stats) this.stats.writes += 1;
  }
}
