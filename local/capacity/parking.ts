// What the open-executions route of ending idle executions would do: a loan whose next wake-up is more than
// PARK_AFTER_DAYS away would end its execution and be restarted by a one-time EventBridge Scheduler schedule
// (or at once by an event). The tally measures, on each loan's clock, the time loans would spend parked and the
// schedules that would take, from the waits the simulation actually plans.

export const PARK_AFTER_DAYS = 30;
const DAY_MS = 86_400_000;

export interface ParkingRecord {
  /** Loan-milliseconds inside the window that loans spent in waits planned longer than PARK_AFTER_DAYS. */
  parkedLoanMs: number;
  /** Such waits begun inside the window: each would be one schedule and one StartExecution. */
  parks: number;
}

export function emptyParkingRecord(): ParkingRecord {
  return { parkedLoanMs: 0, parks: 0 };
}

export class ParkingTally {
  private readonly record = emptyParkingRecord();
  private readonly pending = new Map<string, { start: number; plannedEnd: number }>();

  constructor(
    private readonly window: { from: number; to: number },
    private readonly parkAfterMs = PARK_AFTER_DAYS * DAY_MS,
  ) {}

  /** The loan's execution went to wait at `at` for `waitSeconds` (AwaitEvent's input). */
  waitStarted(loanId: string, at: number, waitSeconds: number): void {
    if (waitSeconds * 1000 > this.parkAfterMs) this.pending.set(loanId, { start: at, plannedEnd: at + waitSeconds * 1000 });
    else this.pending.delete(loanId);
  }

  /** The loan's next step began at `at` (its wake-up came, or an event woke it earlier). */
  stepStarted(loanId: string, at: number): void {
    const wait = this.pending.get(loanId);
    if (!wait) return;
    this.pending.delete(loanId);
    this.close(wait, Math.min(at, wait.plannedEnd));
  }

  /** Closes the waits still running at the end of the run at their planned end. */
  finish(): ParkingRecord {
    for (const wait of this.pending.values()) this.close(wait, wait.plannedEnd);
    this.pending.clear();
    return this.record;
  }

  private close(wait: { start: number }, end: number): void {
    const from = Math.max(wait.start, this.window.from);
    const to = Math.min(end, this.window.to);
    if (to > from) this.record.parkedLoanMs += to - from;
    if (wait.start >= this.window.from && wait.start < this.window.to) this.record.parks += 1;
  }
}
