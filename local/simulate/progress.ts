// The progress bar on stderr: loans done and how far virtual time has got (the slowest running loan).
import { writeSync } from 'node:fs';

export interface ProgressState {
  /** Loans whose follow-up ended or reached the horizon. */
  finished: number;
  /** The earliest clock among loans still running (ms). */
  laggard: number;
}

export class ProgressBar {
  private lastRender = 0;
  private lastLine = '';
  private lastPlainAt = 0;
  private readonly started = performance.now();

  constructor(
    private readonly total: number,
    private readonly horizon: Date,
    private readonly options: { enabled: boolean; tty?: boolean; fd?: number; width?: number } = { enabled: true },
  ) {}

  private get tty(): boolean {
    return this.options.tty ?? Boolean(process.stderr.isTTY);
  }

  /** Renders at most every 100 ms on a terminal; elsewhere a plain line every 10 s. Synchronous on purpose. */
  update(state: ProgressState, force = false): void {
    if (!this.options.enabled) return;
    const now = performance.now();
    if (!force && now - this.lastRender < 100) return;
    this.lastRender = now;
    const line = this.line(state, now);
    if (this.tty) {
      if (line !== this.lastLine) this.write(`\r${line}\u001b[K`);
    } else if (force || now - this.lastPlainAt >= 10_000) {
      this.lastPlainAt = now;
      this.write(`${line}\n`);
    }
    this.lastLine = line;
  }

  finish(state: ProgressState): void {
    if (!this.options.enabled) return;
    this.update(state, true);
    if (this.tty) this.write('\n');
  }

  line(state: ProgressState, now = performance.now()): string {
    const width = this.options.width ?? 28;
    const share = this.total > 0 ? state.finished / this.total : 1;
    const filled = Math.round(share * width);
    const virtual = new Date(Math.min(state.laggard, this.horizon.getTime())).toISOString().slice(0, 10);
    const seconds = ((now - this.started) / 1000).toFixed(0);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${state.finished}/${this.total} loans  virtual time ${virtual} of ${this.horizon.toISOString().slice(0, 10)}  ${seconds} s`;
  }

  private write(text: string): void {
    try {
      writeSync(this.options.fd ?? 2, text);
    } catch {
      // A closed stderr must not stop the simulation.
    }
  }
}
