import { afterEach, describe, expect, it } from 'vitest';
import { promisify } from 'node:util';
import { LongTimeout, MAX_TIMER_DELAY_MS } from '../../local/node20-polyfills.js';

const LONG = 2 ** 31 + 5000;
const pause = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
const handles: unknown[] = [];
afterEach(() => {
  for (const handle of handles.splice(0)) clearTimeout(handle as NodeJS.Timeout);
});

describe('long timers', () => {
  it('do not fire after 1 ms when the delay exceeds 2^31-1 ms, and can be cleared', async () => {
    let fired = false;
    const handle = setTimeout(() => (fired = true), LONG);
    handles.push(handle);
    expect(handle).toBeInstanceOf(LongTimeout);
    await pause(30);
    expect(fired).toBe(false);
    clearTimeout(handle);
    expect(handle.hasRef()).toBe(false);
  });

  it('chain shorter timers until the whole delay has passed', () => {
    const scheduled: number[] = [];
    let fired = 0;
    const fakeSet = ((callback: () => void, ms: number) => {
      scheduled.push(ms);
      queueMicrotask(callback);
      return { ref() {}, unref() {} };
    }) as unknown as typeof setTimeout;
    new LongTimeout(2 * MAX_TIMER_DELAY_MS + 10, () => fired++, fakeSet, (() => undefined) as typeof clearTimeout);
    return pause(0).then(() => {
      expect(scheduled).toEqual([MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS, 10]);
      expect(fired).toBe(1);
    });
  });

  it('support unref, ref and hasRef like Node timers', () => {
    const handle = setTimeout(() => undefined, LONG);
    handles.push(handle);
    expect(handle.hasRef()).toBe(true);
    expect(handle.unref()).toBe(handle);
    expect(handle.hasRef()).toBe(false);
    expect(handle.ref().hasRef()).toBe(true);
  });

  it('leave short timers untouched, with their arguments', async () => {
    const handle = setTimeout((a: string, b: number) => handles.push(`${a}${b}`), 1, 'x', 1);
    expect(handle).not.toBeInstanceOf(LongTimeout);
    expect(typeof handle.refresh).toBe('function');
    await pause(20);
    expect(handles).toContain('x1');
    const cleared = setTimeout(() => handles.push('never'), 1);
    clearTimeout(cleared);
    await pause(20);
    expect(handles).not.toContain('never');
    await promisify(setTimeout)(1);
  });
});

describe('Promise.withResolvers', () => {
  it('returns a promise with its resolve and reject', async () => {
    const withResolvers = (Promise as unknown as { withResolvers<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } }).withResolvers;
    const ok = withResolvers.call(Promise) as { promise: Promise<number>; resolve(v: number): void };
    ok.resolve(42);
    await expect(ok.promise).resolves.toBe(42);
    const bad = withResolvers.call(Promise) as { promise: Promise<number>; reject(e: unknown): void };
    bad.reject(new Error('no'));
    await expect(bad.promise).rejects.toThrow('no');
  });
});
