// The demo's shared clock: one virtual "now" (the engine's horizon) that moves a day at a time while the console
// runs, pausable and faster or slower. Loans still each keep their own clock; when a person acts on a loan, that
// loan's clock is brought up to the demo's now first.
import type { Clock } from '../functions/ports.js';
import type { LocalApp } from './local-app.js';
import type { PortfolioRow } from './portfolio-file.js';
import type { DemoControl, DemoState } from './http-server.js';

const DAY = 86_400_000;

export interface DemoClockOptions {
  app: LocalApp;
  /** The demo's now at start. */
  start: Date;
  /** Loans not yet onboarded: each is onboarded when the demo's now reaches its disbursement. */
  pending?: PortfolioRow[];
  secondsPerDay?: number;
  paused?: boolean;
  /** Told after every step (the new now); for the console line and the horizon file. */
  onStep?: (now: Date) => void;
}

export class DemoClock implements DemoControl {
  private now: number;
  private secondsPerDay: number;
  private paused: boolean;
  private pending: PortfolioRow[];
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: DemoClockOptions) {
    if (!options.app.clocks) throw new Error('the demo clock needs the virtual clock');
    this.now = options.start.getTime();
    this.secondsPerDay = options.secondsPerDay ?? 3;
    this.paused = options.paused ?? false;
    this.pending = [...(options.pending ?? [])].sort((a, b) => Date.parse(a.request.disbursedAt) - Date.parse(b.request.disbursedAt));
  }

  /** For the API's handlers: a loan someone acts on is brought up to the demo's now. */
  readonly clock: Clock = (loanId) => {
    const clocks = this.options.app.clocks!;
    if (loanId) clocks.advanceTo(loanId, this.now);
    return new Date(loanId ? Math.max(clocks.now(loanId), this.now) : this.now);
  };

  state(): DemoState {
    return { mode: 'virtual', now: new Date(this.now).toISOString(), paused: this.paused, secondsPerDay: this.secondsPerDay };
  }

  /** Runs everything up to the current now (onboarding what is due); resolves when the loans are idle. */
  settle(): Promise<void> {
    return this.serialize(() => this.runTo(this.now));
  }

  async update(change: { paused?: boolean; secondsPerDay?: number; advanceDays?: number }): Promise<DemoState> {
    if (change.paused !== undefined) this.paused = change.paused;
    if (change.secondsPerDay !== undefined) this.secondsPerDay = change.secondsPerDay;
    if (change.advanceDays) await this.advance(change.advanceDays);
    this.schedule();
    return this.state();
  }

  /** Moves the demo's now forward by whole days, one day at a time. */
  advance(days: number): Promise<void> {
    return this.serialize(async () => {
      for (let d = 0; d < days && !this.stopped; d++) await this.runTo(this.now + DAY);
    });
  }

  /** Ticks a virtual day every `secondsPerDay` seconds until stopped (paused ticks do nothing). */
  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.chain.catch(() => undefined);
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const step = this.paused ? Promise.resolve() : this.advance(1);
      void step.catch((error) => console.error('demo clock step failed:', error)).finally(() => this.schedule());
    }, this.secondsPerDay * 1000);
    this.timer.unref?.();
  }

  private serialize(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async runTo(until: number): Promise<void> {
    const { app } = this.options;
    this.now = Math.max(this.now, until);
    app.runtime.extendHorizon(new Date(this.now));
    while (this.pending.length > 0 && Date.parse(this.pending[0]!.request.disbursedAt) <= this.now) {
      const row = this.pending.shift()!;
      app.clocks!.set(row.request.loanId, Date.parse(row.request.disbursedAt));
      await app.api.onboardLoan(row.request);
    }
    // An event just delivered resumes its loan a few promise turns later: let those run before asking.
    await new Promise((resolve) => setImmediate(resolve));
    await app.runtime.whenIdle();
    this.options.onStep?.(new Date(this.now));
  }
}
