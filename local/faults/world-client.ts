// The bank and the agents outlive the local runtime: their calls go to whichever runtime is up, and what fails
// on the way (throttling, DynamoDB restarting, the runtime killed) they send again, as a real client would.
import { TransientDependencyError } from '../../functions/errors.js';
import type { LoanStore } from '../../functions/ports.js';
import type { LocalApi } from '../local-app.js';
import type { World } from '../local-step-functions.js';
import type { VirtualClocks } from '../virtual-clocks.js';
import { storeView, type WorldApi, type WorldView } from '../world/simulated-world.js';
import type { FaultLedger } from './fault-ledger.js';
import { RuntimeKilledError } from './power-cut.js';
import { loanIdOfTask } from '../../workflows/domain/types.js';

export class WorldClientGaveUpError extends Error {
  override name = 'WorldClientGaveUpError';
}

/** Waits between attempts, in real milliseconds (virtual time does not move while a loan's event is delivered). */
const BACKOFF_MS = [20, 50, 100, 250, 500, 1000, 2000];
/** Long enough to outlast a DynamoDB Local restart on a busy machine. */
const GIVE_UP_AFTER_MS = 180_000;

/** Errors a client sends again: a 5xx, a throttle, a connection refused, a runtime that went away. */
export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; statusCode?: number; code?: string; $fault?: string };
  if (error instanceof TransientDependencyError || error instanceof RuntimeKilledError) return true;
  if (e?.name === 'ApiError') return (e.statusCode ?? 0) >= 500;
  return e?.$fault === 'server' || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(e?.code ?? '') || e?.name === 'ConcurrentUpdateError';
}

/**
 * The entry points and the store of the runtime that is up now. `attach` is called by each new runtime; calls
 * made while none is up (or by a dead one) wait for the next.
 */
type Runtime = { store: LoanStore; api: LocalApi; clocks?: VirtualClocks };

export class WorldClient {
  private current: Runtime | undefined;
  private attached: Promise<void>;
  private markAttached!: () => void;
  /** Calls not finished yet, whatever they are doing (running, waiting to retry, waiting for a runtime). */
  private readonly pending = new Set<Promise<unknown>>();
  /** Operations under way against a runtime (not those waiting for one to attach). */
  private readonly running = new Set<Promise<unknown>>();
  /** Calls refused for good (a 4xx): the caller decides what they mean. */
  readonly refusals: string[] = [];

  constructor(private readonly ledger: FaultLedger) {
    this.attached = new Promise((resolve) => (this.markAttached = resolve));
  }

  attach(app: Runtime): void {
    this.current = app;
    this.markAttached();
  }

  /** The runtime went down (or is being serviced): calls wait until one attaches. Returns the one that was up. */
  detach(): Runtime | undefined {
    const was = this.current;
    this.current = undefined;
    this.attached = new Promise((resolve) => (this.markAttached = resolve));
    return was;
  }

  /** Resolves once every call made so far has landed (after a restart, before the loans resume). */
  drain(): Promise<void> {
    return settle(this.pending);
  }

  /** Resolves once no operation is under way against a runtime (calls waiting for one to attach do not count). */
  quiesce(): Promise<void> {
    return settle(this.running);
  }

  /**
   * `operation` against the runtime that is up, again after each retryable error; `done` tells a refusal that
   * means it already landed. A call made at a loan's virtual time is made at that time on whichever runtime
   * takes it (a runtime started after a kill has not moved that loan's clock yet).
   */
  call<T>(label: string, operation: (app: Runtime) => Promise<T>, done?: (error: unknown) => boolean, loanId?: string): Promise<T> {
    const call = this.attempts(label, operation, done, loanId);
    this.pending.add(call);
    const settled = () => void this.pending.delete(call);
    call.then(settled, settled);
    return call;
  }

  private async attempts<T>(label: string, operation: (app: Runtime) => Promise<T>, done?: (error: unknown) => boolean, loanId?: string): Promise<T> {
    const started = performance.now();
    let failures = 0;
    let at: number | undefined;
    for (;;) {
      while (!this.current) await this.attached;
      if (loanId !== undefined && this.current.clocks) {
        at ??= this.current.clocks.now(loanId);
        this.current.clocks.advanceTo(loanId, at);
      }
      const attempt = operation(this.current);
      this.running.add(attempt);
      const settled = () => void this.running.delete(attempt);
      attempt.then(settled, settled);
      try {
        return await attempt;
      } catch (error) {
        if (failures > 0 && done?.(error)) return undefined as T;
        if (!isRetryable(error)) {
          // The compliance gate refusing a call is the agents' daily business (the world reschedules it).
          if ((error as { errorName?: string }).errorName !== 'ContactNotAllowedError')
            this.refusals.push(`${label} (attempt ${failures + 1}): ${describe(error)}`);
          throw error;
        }
        if (performance.now() - started > GIVE_UP_AFTER_MS)
          throw new WorldClientGaveUpError(`${label}: still failing after ${GIVE_UP_AFTER_MS / 1000} s: ${describe(error)}`);
        this.ledger.clientRetry(`${label}: ${(error as { errorName?: string }).errorName ?? (error as Error).name}`);
        await new Promise((wake) => setTimeout(wake, BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]));
        failures += 1;
      }
    }
  }

  /** What the bank and the agents call: a refusal after an attempt that failed on the way means the first one landed. */
  readonly api: WorldApi = {
    recordPayment: (input) => this.call('record-payment', (app) => app.api.recordPayment(input), undefined, input.loanId),
    recordCallbackOutcome: (input) =>
      this.call('record-callback-outcome', (app) => app.api.recordCallbackOutcome(input), isAlreadyAnswered, loanIdOfTask(input.taskId)),
    reportEvent: (input) => this.call('report-loan-event', (app) => app.api.reportEvent(input), undefined, input.loanId),
  };

  /** The agents' view of the loans, read from the store of the runtime that is up. */
  readonly view: WorldView = {
    loan: (loanId) => this.call('read loan', (app) => storeView(app.store).loan(loanId)),
    openTasks: (loanId) => this.call('read work queue', (app) => storeView(app.store).openTasks(loanId)),
  };
}

async function settle(promises: Set<Promise<unknown>>): Promise<void> {
  while (promises.size > 0) {
    await Promise.allSettled([...promises]);
    // A macrotask turn, so the settled ones leave the set (and a call made right after lands in it).
    await new Promise((next) => setImmediate(next));
  }
}

function describe(error: unknown): string {
  return `${(error as { errorName?: string }).errorName ?? (error as Error).name}: ${(error as Error).message}`;
}

function isAlreadyAnswered(error: unknown): boolean {
  return (error as { errorName?: string }).errorName === 'TaskAlreadyAnsweredError';
}

/** The world as one runtime sees it: once that runtime is killed, it hears of nothing more. */
export function worldOfRuntime(world: World, alive: () => boolean): World {
  return {
    nextEvent: (loanId, now, before) => (alive() ? world.nextEvent(loanId, now, before) : new Promise(() => undefined)),
  };
}
