import { describe, expect, it } from 'vitest';
import { MemoryMinuteCounters } from '../../local/adapters/memory-minute-counters.js';
import { pacingRatesFromEnv } from '../../functions/pacing/pacing-rates.js';
import { createSendPacer, PacingRateError, type MinuteCounters } from '../../functions/pacing/send-pacer.js';

const rates = { SMS: { identity: 'long-code', perSecond: 10 }, EMAIL: { identity: 'ses', perSecond: 2 } };
const at = (time: string) => `2026-03-05T${time}Z`;

/** Counts the calls the pacer makes on its counters. */
function counting(counters: MinuteCounters) {
  const calls = { count: 0 };
  return { calls, counters: { take: (...args: Parameters<MinuteCounters['take']>) => (calls.count++, counters.take(...args)) } };
}

describe('the send pacer', () => {
  it('gives a burst slots at most perSecond in any second, in order, the first ones at once', async () => {
    const pacer = createSendPacer(new MemoryMinuteCounters(), rates);
    const slots: string[] = [];
    for (let i = 0; i < 25; i++) slots.push(await pacer.reserve('SMS', at('02:00:00.000')));
    expect(slots.slice(0, 3)).toEqual([at('02:00:00.000'), at('02:00:00.100'), at('02:00:00.200')]);
    expect(slots[24]).toBe(at('02:00:02.400'));
    for (let i = 10; i < slots.length; i++) expect(Date.parse(slots[i]!) - Date.parse(slots[i - 10]!)).toBeGreaterThanOrEqual(1000);
  });

  it('keeps each channel and identity apart', async () => {
    const pacer = createSendPacer(new MemoryMinuteCounters(), rates);
    await pacer.reserve('SMS', at('02:00:00.000'));
    expect(await pacer.reserve('EMAIL', at('02:00:00.000'))).toBe(at('02:00:00.000'));
    expect(await pacer.reserve('EMAIL', at('02:00:00.000'))).toBe(at('02:00:00.500'));
  });

  it('never hands out a slot of a second already gone by', async () => {
    const pacer = createSendPacer(new MemoryMinuteCounters(), rates);
    expect(await pacer.reserve('SMS', at('02:00:30.000'))).toBe(at('02:00:30.000'));
    expect(await pacer.reserve('SMS', at('02:00:30.000'))).toBe(at('02:00:30.100'));
    // A caller later in the same minute starts from its own second, not from where the counter stands.
    expect(await pacer.reserve('SMS', at('02:00:45.000'))).toBe(at('02:00:45.000'));
  });

  it('sends a full minute on to the next, and finds the end of a deep queue in a few calls', async () => {
    const { calls, counters } = counting(new MemoryMinuteCounters());
    const pacer = createSendPacer(counters, rates);
    for (let i = 0; i < 600; i++) await pacer.reserve('SMS', at('02:00:00.000'));
    expect(await pacer.reserve('SMS', at('02:00:00.000'))).toBe(at('02:01:00.000'));
    // 100 minutes full: the next caller leaps over them.
    const deep = new MemoryMinuteCounters();
    for (let m = 0; m < 100; m++)
      for (let i = 0; i < 120; i++) await deep.take('EMAIL#ses', new Date(Date.parse(at('02:00:00.000')) + m * 60_000).toISOString(), 120, 0);
    const probe = counting(deep);
    const slot = await createSendPacer(probe.counters, rates).reserve('EMAIL', at('02:00:00.000'));
    expect(Date.parse(slot)).toBeGreaterThanOrEqual(Date.parse(at('03:40:00.000')));
    expect(Date.parse(slot)).toBeLessThan(Date.parse(at('05:00:00.000')));
    expect(probe.calls.count).toBeLessThanOrEqual(16);
    expect(calls.count).toBe(601 + 1);
  });

  it('noncompliant: a rate that is not above 0 is refused, naming the setting', () => {
    expect(() => createSendPacer(new MemoryMinuteCounters(), { ...rates, SMS: { identity: 'x', perSecond: 0 } })).toThrow(PacingRateError);
    expect(() => pacingRatesFromEnv({ PACING_EMAIL_PER_SECOND: 'fast' })).toThrow(/PACING_EMAIL_PER_SECOND: must be a number above 0, got "fast"/);
    expect(pacingRatesFromEnv({ PACING_SMS_PER_SECOND: '3', PACING_SMS_IDENTITY: 'us-toll-free' }).SMS).toEqual({ identity: 'us-toll-free', perSecond: 3 });
    expect(pacingRatesFromEnv({}).EMAIL).toEqual({ identity: 'default', perSecond: 14 });
  });
});
