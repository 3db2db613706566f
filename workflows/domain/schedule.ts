import { addLocalMonths, daysBetween, localDate } from './local-time.js';
import type { Instalment, Loan, Minor } from './types.js';

/**
 * Equal monthly instalments (French amortization) in integer minor units. Instalment i falls due i calendar
 * months after the local disbursement date (clamped at month end); the last one takes whatever principal is
 * left, so the principals add up to the loan exactly.
 */
export function buildInstalmentSchedule(loan: Loan): Instalment[] {
  const { principal, annualRate, termMonths } = loan;
  if (!Number.isSafeInteger(principal) || principal <= 0) throw new RangeError(`principal must be a positive integer of minor units: ${principal}`);
  if (!Number.isInteger(termMonths) || termMonths <= 0) throw new RangeError(`termMonths must be a positive integer: ${termMonths}`);
  if (!Number.isFinite(annualRate) || annualRate < 0) throw new RangeError(`annualRate must be a fraction >= 0: ${annualRate}`);

  const monthlyRate = annualRate / 12;
  const payment = monthlyRate === 0 ? Math.floor(principal / termMonths) : Math.round((principal * monthlyRate) / (1 - (1 + monthlyRate) ** -termMonths));
  const day0 = localDate(loan.disbursedAt, loan.timezone);

  const instalments: Instalment[] = [];
  let balance = principal;
  for (let seq = 1; seq <= termMonths; seq++) {
    const interest = Math.round(balance * monthlyRate);
    const principalPart = seq === termMonths ? balance : Math.min(balance, Math.max(0, payment - interest));
    balance -= principalPart;
    instalments.push({
      seq,
      dueDate: addLocalMonths(day0, seq),
      principal: principalPart,
      interest,
      amount: principalPart + interest,
      paidAmount: 0,
    });
  }
  return instalments;
}

function byDueDate(a: Instalment, b: Instalment): number {
  return a.dueDate.localeCompare(b.dueDate) || a.seq - b.seq;
}

export function oldestUnpaid(instalments: readonly Instalment[]): Instalment | undefined {
  return [...instalments].sort(byDueDate).find((i) => !i.paidAt);
}

/** Days since the oldest unpaid instalment fell due; 0 when nothing is overdue. */
export function daysPastDue(instalments: readonly Instalment[], todayLocalDate: string): number {
  const oldest = oldestUnpaid(instalments);
  if (!oldest) return 0;
  return Math.max(0, daysBetween(oldest.dueDate, todayLocalDate));
}

/** Principal not yet repaid; a partial payment covers an instalment's interest before its principal. */
export function outstandingPrincipal(instalments: readonly Instalment[]): Minor {
  return instalments.reduce((sum, i) => {
    if (i.paidAt) return sum;
    const principalPaid = Math.min(i.principal, Math.max(0, i.paidAmount - i.interest));
    return sum + i.principal - principalPaid;
  }, 0);
}

export interface PaymentResult {
  instalments: Instalment[];
  /** Instalments this payment made fully paid, oldest first. */
  settledSeqs: number[];
  /** What is left once every instalment is paid. */
  remainder: Minor;
}

/** Pays the oldest unpaid instalments first; returns new instalments, the input is left as it was. */
export function applyPayment(instalments: readonly Instalment[], amount: Minor, paidAtIso: string): PaymentResult {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`payment must be a non-negative integer of minor units: ${amount}`);
  const updated = instalments.map((i) => ({ ...i }));
  const settledSeqs: number[] = [];
  let remaining = amount;
  for (const instalment of [...updated].sort(byDueDate)) {
    if (instalment.paidAt) continue;
    const applied = Math.min(remaining, Math.max(0, instalment.amount - instalment.paidAmount));
    instalment.paidAmount += applied;
    remaining -= applied;
    if (instalment.paidAmount < instalment.amount) break;
    instalment.paidAt = paidAtIso;
    settledSeqs.push(instalment.seq);
  }
  return { instalments: updated, settledSeqs, remainder: remaining };
}
