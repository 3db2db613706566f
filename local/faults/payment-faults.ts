// The bank's payment notices as they really arrive: some twice (same paymentId), some out of order.
import type { BorrowerBehaviour } from '../world/borrower-behaviour.js';
import type { WorldApi, WorldView } from '../world/simulated-world.js';
import type { FaultDice, FaultPlan } from './fault-plan.js';
import type { FaultLedger } from './fault-ledger.js';
import { loanIdOfTask } from '../../workflows/domain/types.js';

type Payment = Parameters<WorldApi['recordPayment']>[0];

/** The simulated borrowers' payment ids: `SIM-<loanId>-<instalment seq>`. */
const PAYMENT_ID = /^SIM-(.+)-(\d+)$/;
/** Instalment n of a pair is paid this long before n+1, and its notice comes after n+1's. */
const EARLIER_MS = 60 * 60_000;

export interface PaymentFaultOptions {
  /**
   * `faulted`: duplicates, and each pair reported later payment first. `in-order`: the same pairs (the
   * borrowers' behaviour is part of the portfolio), reported in order, no duplicates: the reference run.
   */
  mode: 'faulted' | 'in-order';
  plan: FaultPlan;
  dice: FaultDice;
  ledger: FaultLedger;
  behaviours: Map<string, BorrowerBehaviour>;
  /** Instalment amounts come from the loan's schedule. */
  view: WorldView;
}

/**
 * Wraps the bank's client. Out of order: for a share of instalments the borrower pays two at once (n one hour
 * before n+1, both on n's payment day) and the bank reports n+1 first; n+1's own date then passes with nothing
 * to report. Duplicates: a notice sent again with the same paymentId, at once or with the loan's next event.
 * Only instalments both scripted `P` (on time) and not the last are paired, so the run stays comparable.
 */
export class PaymentFaults implements WorldApi {
  private readonly reported = new Set<string>();
  private readonly laterDuplicates = new Map<string, Payment[]>();
  /** Duplicates the bank sent: each must have been applied once. */
  readonly duplicated: Payment[] = [];

  constructor(
    private readonly inner: WorldApi,
    private readonly options: PaymentFaultOptions,
  ) {}

  async recordPayment(input: Payment): Promise<unknown> {
    await this.flushLaterDuplicates(input.loanId);
    if (this.reported.has(input.paymentId)) return { skipped: 'reported with the instalment before' };
    const pair = await this.pairedWith(input);
    if (!pair) return this.report(input);
    const earlier = { ...input, paidAt: new Date(Date.parse(input.paidAt) - EARLIER_MS).toISOString() };
    if (this.options.mode === 'in-order') {
      await this.report(earlier);
      return this.report(pair);
    }
    this.options.ledger.inject('payment-out-of-order');
    await this.report(pair);
    return this.report(earlier);
  }

  async recordCallbackOutcome(input: Parameters<WorldApi['recordCallbackOutcome']>[0]): Promise<unknown> {
    await this.flushLaterDuplicates(loanIdOfTask(input.taskId));
    return this.inner.recordCallbackOutcome(input);
  }

  async reportEvent(input: Parameters<WorldApi['reportEvent']>[0]): Promise<unknown> {
    await this.flushLaterDuplicates(input.loanId);
    return this.inner.reportEvent(input);
  }

  private async report(payment: Payment): Promise<unknown> {
    this.reported.add(payment.paymentId);
    const result = await this.inner.recordPayment(payment);
    if (this.options.mode === 'faulted' && this.options.dice.roll('payment-duplicate', payment.paymentId) < this.options.plan.paymentDuplicateRate) {
      if (this.options.dice.roll('payment-duplicate-when', payment.paymentId) < 0.5) await this.duplicate(payment);
      else this.laterDuplicates.set(payment.loanId, [...(this.laterDuplicates.get(payment.loanId) ?? []), payment]);
    }
    return result;
  }

  private async flushLaterDuplicates(loanId: string): Promise<void> {
    const due = this.laterDuplicates.get(loanId);
    if (!due) return;
    this.laterDuplicates.delete(loanId);
    for (const payment of due) await this.duplicate(payment);
  }

  private async duplicate(payment: Payment): Promise<void> {
    this.options.ledger.inject('payment-duplicate');
    this.duplicated.push(payment);
    try {
      await this.inner.recordPayment(payment);
    } catch (error) {
      // The last instalment's notice again, after the loan closed: refused, and rightly so.
      if ((error as { errorName?: string }).errorName !== 'LoanClosedError') throw error;
    }
  }

  /** The next instalment's payment when this one is paid with it, else undefined. */
  private async pairedWith(payment: Payment): Promise<Payment | undefined> {
    const match = PAYMENT_ID.exec(payment.paymentId);
    if (!match) return undefined;
    const seq = Number(match[2]);
    const tokens = this.options.behaviours.get(payment.loanId)?.payments ?? [];
    const kind = (index: number) => tokens[index]?.kind ?? 'P';
    if (kind(seq - 1) !== 'P' || kind(seq) !== 'P') return undefined;
    if (this.options.dice.roll('payment-out-of-order', `${payment.loanId}|${seq}`) >= this.options.plan.paymentOutOfOrderRate) return undefined;
    const facts = await this.options.view.loan(payment.loanId);
    const next = facts?.instalments.find((i) => i.seq === seq + 1);
    if (!facts || !next || next.seq === facts.instalments.length) return undefined;
    return { loanId: payment.loanId, amount: next.amount / 100, paidAt: payment.paidAt, paymentId: `SIM-${payment.loanId}-${next.seq}` };
  }
}
