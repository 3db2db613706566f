// Restructuring a loan's schedule: the plan, its bounds and the maths. Pure: no clock, no store.
import type { FollowUpPolicy } from '../policy/policy-schema.js';
import type { FollowUpState } from './follow-up-state.js';
import { addLocalMonths, localDate } from './local-time.js';
import type { Instalment, Loan, Minor, RestructurePlan } from './types.js';

export { ARREARS_TREATMENTS, type ArrearsTreatment, type RestructurePlan } from './types.js';

export interface RestructureOutcome {
  /** The whole schedule after the plan: paid instalments as they were, then the new ones. */
  instalments: Instalment[];
  /** Seqs whose record the plan writes (replaced or new). */
  changed: number[];
  /** Seqs of the old schedule the new one no longer has. */
  removed: number[];
  /** The unpaid instalments the plan replaced, as they were (kept on the record). */
  replaced: Instalment[];
  /** Principal the new schedule repays. */
  principal: Minor;
  annualRate: number;
  /** The regular instalment after any grace period. */
  regularAmount: Minor;
  firstDueDate: string;
  lastDueDate: string;
}

export interface PlanProblem {
  field: string;
  reason: string;
}

/** The rate the loan runs at now (a restructure may have changed it). */
export function currentRate(loan: Loan, state: FollowUpState): number {
  return state.restructuring?.annualRate ?? loan.annualRate;
}

/** What is wrong with a plan for this loan under its policy; empty when it may be agreed. */
export function planProblems(
  plan: RestructurePlan,
  loan: Loan,
  state: FollowUpState,
  instalments: readonly Instalment[],
  today: string,
  policy: FollowUpPolicy,
): PlanProblem[] {
  const bounds = policy.restructuring;
  const problems: PlanProblem[] = [];
  const done = state.restructuring?.count ?? 0;
  if (state.status !== 'ACTIVE')
    problems.push({ field: 'loanId', reason: `the loan is ${state.status === 'LEGAL' ? 'with the legal team' : 'closed'}: it cannot be restructured` });
  if (done >= bounds.maxRestructures)
    problems.push({ field: 'plan', reason: `the loan has been restructured ${done} times, the most the policy allows (${bounds.maxRestructures})` });
  if (plan.extendMonths > bounds.maxExtendMonths) problems.push({ field: 'extendMonths', reason: `must be at most ${bounds.maxExtendMonths} months` });
  if (plan.graceMonths > bounds.maxGraceMonths) problems.push({ field: 'graceMonths', reason: `must be at most ${bounds.maxGraceMonths} months` });
  if (plan.annualRate !== null && plan.annualRate < bounds.minAnnualRate)
    problems.push({ field: 'annualRate', reason: `must be at least ${bounds.minAnnualRate}` });
  if (plan.annualRate !== null && plan.annualRate > currentRate(loan, state))
    problems.push({ field: 'annualRate', reason: `must not be above the current rate (${currentRate(loan, state)}): a restructure eases the loan` });
  if (
    plan.extendMonths === 0 &&
    plan.graceMonths === 0 &&
    (plan.annualRate === null || plan.annualRate === currentRate(loan, state)) &&
    plan.arrears === 'keep_due'
  ) {
    problems.push({ field: 'plan', reason: 'changes nothing: extend the term, lower the rate, grant a grace period or capitalise the arrears' });
  }
  const remaining = instalments.filter((i) => !i.paidAt && i.dueDate >= today).length;
  const months = remaining + plan.extendMonths + (plan.arrears === 'capitalise' && remaining === 0 ? 1 : 0);
  if (instalments.every((i) => i.paidAt)) problems.push({ field: 'plan', reason: 'nothing is left to repay' });
  else if (months === 0) problems.push({ field: 'extendMonths', reason: 'must be at least 1: every instalment has fallen due' });
  else if (plan.graceMonths >= months) problems.push({ field: 'graceMonths', reason: `must be less than the new schedule's ${months} months` });
  return problems;
}

/** Principal still owed on an instalment: a payment covers its interest before its principal. */
const principalOwed = (i: Instalment): Minor => i.principal - Math.min(i.principal, Math.max(0, i.paidAmount - i.interest));
const interestOwed = (i: Instalment): Minor => Math.max(0, i.interest - i.paidAmount);

/**
 * The schedule after the plan. Paid instalments stay. With `keep_due` the overdue ones stay due as they are and
 * the instalments not yet due are replaced; with `capitalise` every unpaid one is replaced and what was overdue
 * joins the principal. The new instalments keep the loan's monthly due day, start at the first instalment not
 * yet due (or the next due day), run the remaining months plus the extension, the first `graceMonths` of them
 * interest only, then equal instalments at the (new) rate. Money paid towards a replaced instalment reduces the
 * principal, so nothing paid is lost.
 */
export function restructuredSchedule(
  loan: Loan,
  state: FollowUpState,
  instalments: readonly Instalment[],
  plan: RestructurePlan,
  today: string,
): RestructureOutcome {
  const unpaid = instalments.filter((i) => !i.paidAt);
  const future = unpaid.filter((i) => i.dueDate >= today);
  const replaced = plan.arrears === 'capitalise' ? unpaid : future;
  const kept = instalments.filter((i) => !replaced.includes(i));
  const principal = replaced.reduce((sum, i) => sum + principalOwed(i) + (i.dueDate < today ? interestOwed(i) : 0), 0);
  const rate = plan.annualRate ?? currentRate(loan, state);
  const months = future.length + plan.extendMonths + (plan.arrears === 'capitalise' && future.length === 0 ? 1 : 0);
  const day0 = localDate(loan.disbursedAt, loan.timezone);
  // The loan's own monthly grid: the first new instalment is the first due day on or after today.
  let firstMonth = 1;
  while (addLocalMonths(day0, firstMonth) < (future[0]?.dueDate ?? today) || addLocalMonths(day0, firstMonth) <= (kept.at(-1)?.dueDate ?? '')) firstMonth += 1;
  const monthly = rate / 12;
  const amortised = months - plan.graceMonths;
  const payment = monthly === 0 ? Math.floor(principal / amortised) : Math.round((principal * monthly) / (1 - (1 + monthly) ** -amortised));
  const seqs = [...replaced.map((i) => i.seq)].sort((a, b) => a - b);
  let nextSeq = Math.max(0, ...instalments.map((i) => i.seq)) + 1;
  const fresh: Instalment[] = [];
  let balance = principal;
  for (let n = 0; n < months; n++) {
    const interest = Math.round(balance * monthly);
    const grace = n < plan.graceMonths;
    const principalPart = grace ? 0 : n === months - 1 ? balance : Math.min(balance, Math.max(0, payment - interest));
    balance -= principalPart;
    fresh.push({
      seq: seqs[n] ?? nextSeq++,
      dueDate: addLocalMonths(day0, firstMonth + n),
      principal: principalPart,
      interest,
      amount: principalPart + interest,
      paidAmount: 0,
    });
  }
  const schedule = [...kept, ...fresh].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.seq - b.seq);
  const freshSeqs = new Set(fresh.map((i) => i.seq));
  return {
    instalments: schedule,
    changed: fresh.map((i) => i.seq),
    removed: seqs.filter((s) => !freshSeqs.has(s)),
    replaced: replaced.map((i) => ({ ...i })),
    principal,
    annualRate: rate,
    regularAmount: fresh[plan.graceMonths]?.amount ?? fresh.at(-1)?.amount ?? 0,
    firstDueDate: fresh[0]?.dueDate ?? today,
    lastDueDate: fresh.at(-1)?.dueDate ?? today,
  };
}
