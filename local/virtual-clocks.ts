import type { Clock } from '../functions/ports.js';

/**
 * One clock per loan: each loan's execution jumps straight to its next step, so loans run side by side
 * with no global tick and years pass in seconds.
 */
export class VirtualClocks {
  private readonly clocks = new Map<string, number>();

  constructor(private readonly start: Date) {}

  readonly clock: Clock = (loanId) => new Date(this.clocks.get(loanId) ?? this.start.getTime());

  now(loanId: string): number {
    return this.clocks.get(loanId) ?? this.start.getTime();
  }

  /** Moves a loan's clock forward; never backwards. */
  advanceTo(loanId: string, at: number): void {
    if (at > this.now(loanId)) this.clocks.set(loanId, at);
  }

  set(loanId: string, at: number): void {
    this.clocks.set(loanId, at);
  }
}
