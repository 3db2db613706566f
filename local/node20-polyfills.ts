// What aws-local-stepfunctions needs on Node 20, installed on import. Idempotent.
import { promisify } from 'node:util';

if (typeof (Promise as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** Node's largest timer delay; anything above fires after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

const PATCHED = Symbol.for('loan-followup.long-timers');

/** A timer longer than Node allows, run as a chain of shorter timers. */
export class LongTimeout {
  private inner: NodeJS.Timeout | undefined;
  private referenced = true;
  private cleared = false;

  constructor(
    private remainingMs: number,
    private readonly fire: () => void,
    private readonly nativeSetTimeout: typeof setTimeout,
    private readonly nativeClearTimeout: typeof clearTimeout,
  ) {
    this.schedule();
  }

  private schedule(): void {
    const step = Math.min(this.remainingMs, MAX_TIMER_DELAY_MS);
    this.inner = this.nativeSetTimeout(() => {
      this.remainingMs -= step;
      if (this.remainingMs > 0) this.schedule();
      else {
        this.cleared = true;
        this.fire();
      }
    }, step);
    if (!this.referenced) this.inner.unref();
  }

  clear(): void {
    this.cleared = true;
    if (this.inner) this.nativeClearTimeout(this.inner);
  }

  ref(): this {
    this.referenced = true;
    this.inner?.ref();
    return this;
  }

  unref(): this {
    this.referenced = false;
    this.inner?.unref();
    return this;
  }

  hasRef(): boolean {
    return this.referenced && !this.cleared;
  }

  close(): this {
    this.clear();
    return this;
  }

  [Symbol.dispose](): void {
    this.clear();
  }
}

function installLongTimers(): void {
  const g = globalThis as typeof globalThis & { [PATCHED]?: true };
  if (g[PATCHED]) return;
  const nativeSetTimeout = g.setTimeout;
  const nativeClearTimeout = g.clearTimeout;

  function patchedSetTimeout(callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]): unknown {
    const ms = Number(delay);
    if (typeof callback === 'function' && Number.isFinite(ms) && ms > MAX_TIMER_DELAY_MS) {
      return new LongTimeout(Math.trunc(ms), () => callback(...args), nativeSetTimeout, nativeClearTimeout);
    }
    return nativeSetTimeout(callback, delay, ...args);
  }
  // Keeps util.promisify(setTimeout) working.
  const custom = (nativeSetTimeout as unknown as Record<symbol, unknown>)[promisify.custom];
  if (custom) Object.defineProperty(patchedSetTimeout, promisify.custom, { value: custom });

  function patchedClearTimeout(handle: unknown): void {
    if (handle instanceof LongTimeout) handle.clear();
    else nativeClearTimeout(handle as NodeJS.Timeout);
  }

  g.setTimeout = patchedSetTimeout as unknown as typeof setTimeout;
  g.clearTimeout = patchedClearTimeout as typeof clearTimeout;
  g[PATCHED] = true;
}

installLongTimers();
