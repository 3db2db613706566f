// The read side of the operations API: what the queue and the loan page show, from stored records and the
// pure domain rules (nothing here writes).
import { callVerdict } from '../../workflows/compliance/call-gate.js';
import { advanceFollowUp } from '../../workflows/domain/advance-follow-up.js';
import type { AdvanceDecision, FollowUpSnapshot, FollowUpState, TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { addLocalDays, localDate, toOffsetIso } from '../../workflows/domain/local-time.js';
import { riskRatingOf } from '../../workflows/domain/risk-rating.js';
import { collateralValueOf, loanToValue } from '../../workflows/domain/rules/collateral.js';
import { daysPastDue, outstandingPrincipal } from '../../workflows/domain/schedule.js';
import type { CallbackTask, Instalment, Loan, TaskPurpose } from '../../workflows/domain/types.js';
import type { FollowUpPolicy } from '../../workflows/policy/policy-schema.js';
import type { LoanView } from '../ports.js';
import { queueOfTask } from '../../workflows/domain/task-queue.js';

const major = (minor: number) => Math.round(minor) / 100;

export interface ContactNow {
  allowed: boolean;
  reasons: string[];
  retryAt: string | null;
}

/** Whether a call to the borrower now passes the compliance pack of their time zone. */
export function contactNow(loan: Loan, state: FollowUpState, purpose: TaskPurpose | 'CALL', now: string, overdueSeq?: number): ContactNow {
  const verdict = callVerdict(loan, state, purpose, now, overdueSeq);
  return { allowed: verdict.allowed, reasons: verdict.reasons, retryAt: verdict.retryAt };
}

/** The days an officer's recall date may name: today in the borrower's zone plus the policy's recall bounds. */
export function recallDateBounds(loan: Loan, policy: FollowUpPolicy, now: string): { recallEarliestDate: string; recallLatestDate: string } {
  const today = localDate(now, loan.timezone);
  return { recallEarliestDate: addLocalDays(today, policy.recall.minNoticeDays), recallLatestDate: addLocalDays(today, policy.recall.maxNoticeDays) };
}

/** The latest date a borrower may promise to pay: today in their time zone plus the policy's bound. */
export function promiseLatestDate(loan: Loan, policy: FollowUpPolicy, now: string): string {
  return addLocalDays(localDate(now, loan.timezone), policy.promises.maxDaysAhead);
}

export function dpdOf(loan: Loan, instalments: readonly Instalment[], now: string): number {
  return daysPastDue(instalments, localDate(now, loan.timezone));
}

function instalmentStatus(i: Instalment, today: string, tz: string): 'PAID' | 'PAID_LATE' | 'DUE' | 'OVERDUE' | 'PARTIAL' {
  if (i.paidAt) return localDate(i.paidAt, tz) > i.dueDate ? 'PAID_LATE' : 'PAID';
  if (i.dueDate < today) return 'OVERDUE';
  return i.paidAmount > 0 ? 'PARTIAL' : 'DUE';
}

export interface NextAction {
  at: string;
  due: boolean;
  actions: { kind: string; purpose?: string; channel?: string; detail?: string }[];
}

/**
 * What the loan will do next if nothing else happens: the pure step run ahead on copies, at the wake-up time
 * it would choose. Looks a few wake-ups ahead for one that does something visible.
 */
export function previewNextAction(snapshot: FollowUpSnapshot, policy: FollowUpPolicy, now: string): NextAction | null {
  if (snapshot.state.status === 'CLOSED') return null;
  let current: FollowUpSnapshot = structuredClone(snapshot);
  let at = now;
  for (let step = 0; step < 6; step++) {
    const decision = advanceFollowUp({ snapshot: current, events: [], now: at, generation: current.state.generation, iteration: 1 }, policy);
    const actions = describe(decision);
    if (actions.length > 0) return { at, due: step === 0, actions };
    if (!decision.wakeAt || decision.action !== 'WAIT') return null;
    current = after(current, decision);
    at = decision.wakeAt;
  }
  return null;
}

function after(snapshot: FollowUpSnapshot, decision: AdvanceDecision): FollowUpSnapshot {
  const open = new Map(snapshot.openTasks.map((t) => [t.taskId, t]));
  for (const effect of decision.effects) {
    if (effect.kind === 'CREATE_TASK' || effect.kind === 'UPDATE_TASK') {
      if (effect.task.status === 'OPEN') open.set(effect.task.taskId, effect.task);
      else open.delete(effect.task.taskId);
    }
  }
  return { loan: snapshot.loan, instalments: decision.instalments, state: decision.state, openTasks: [...open.values()] };
}

function describe(decision: AdvanceDecision): NextAction['actions'] {
  const out: NextAction['actions'] = [];
  for (const effect of decision.effects) {
    if (effect.kind === 'SEND_MESSAGE') out.push({ kind: 'MESSAGE', purpose: effect.purpose, channel: effect.channel, detail: effect.template });
    else if (effect.kind === 'CREATE_TASK') out.push({ kind: 'TASK', purpose: effect.task.purpose, detail: effect.task.taskId });
    else if (effect.kind === 'UPDATE_TASK')
      out.push({ kind: effect.task.status === 'OPEN' ? 'TASK_REQUEUED' : 'TASK_CANCELLED', purpose: effect.task.purpose, detail: effect.task.taskId });
    else if (effect.kind === 'NOTIFY_TEAM') out.push({ kind: 'TEAM', detail: effect.team });
    else if (effect.kind === 'LEGAL_REFERRAL') out.push({ kind: 'LEGAL_REFERRAL', detail: effect.caseId });
  }
  for (const event of decision.timeline) {
    if (event.type === 'WARNING_RAISED') out.push({ kind: 'WARNING', detail: String(event.level) });
    else if (event.type === 'CLASSIFICATION_CHANGED') out.push({ kind: 'CLASSIFICATION', detail: String(event.to) });
    else if (event.type === 'LOAN_CLOSED') out.push({ kind: 'CLOSE' });
    else if (event.type === 'CONTACT_SUPPRESSED')
      out.push({ kind: 'SUPPRESSED', purpose: String(event.purpose), channel: String(event.channel), detail: String(event.reason) });
  }
  return out;
}

function presentTask(task: CallbackTask & Record<string, unknown>, decisions: Map<string, string>) {
  const promise = task.promise as { date: string; amount: number } | undefined;
  return {
    taskId: task.taskId,
    purpose: task.purpose,
    queue: queueOfTask(task),
    decision: task.decision ?? decisions.get(task.taskId) ?? null,
    status: task.status,
    priority: task.priority,
    createdAt: task.createdAt,
    dueBy: task.dueBy,
    heldUntil: task.heldUntil ?? null,
    requeues: task.requeues,
    outcome: task.outcome ?? null,
    findings: task.findings ?? [],
    notes: typeof task.notes === 'string' && task.notes !== '' ? task.notes : null,
    completedAt: task.completedAt ?? null,
    completedBy: (task.completedBy as string | undefined) ?? (task.lastAttemptBy as string | undefined) ?? null,
    attempts: (task.attempts as number | undefined) ?? 0,
    promise: promise ?? null,
    adHoc: task.adHoc === true,
    requestedBy: typeof task.requestedBy === 'string' ? task.requestedBy : null,
    note: typeof task.note === 'string' && task.note !== '' ? task.note : null,
  };
}

function withoutCollateral(loan: LoanView['loan']): Omit<LoanView['loan'], 'collateral'> {
  const { collateral: _collateral, ...rest } = loan;
  return rest;
}

function presentCollateral(view: LoanView, policy: FollowUpPolicy) {
  const { loan, state, contact } = view;
  if (!loan.collateral) return null;
  const now = collateralValueOf(loan, state)!;
  return {
    type: loan.collateral.type,
    make: loan.collateral.make ?? null,
    model: loan.collateral.model ?? null,
    plate: contact?.vehiclePlate ?? null,
    vin: contact?.vehicleVin ?? null,
    description: contact?.collateralDescription ?? null,
    value: major(now.value),
    valuedAt: now.valuedAt,
    condition: state.collateral?.condition ?? null,
    ltv: loanToValue(outstandingPrincipal(view.instalments), now.value),
    maxLtv: policy.collateral.maxLtv,
    onboardingValue: major(loan.collateral.value),
    nextReviewAt: state.status === 'ACTIVE' ? (state.nextCollateralReviewAt ?? null) : null,
  };
}

export function presentLoan(view: LoanView, policy: FollowUpPolicy, now: string) {
  const { loan, state } = view;
  const today = localDate(now, loan.timezone);
  const payments = view.timeline
    .filter((e): e is TimelineEvent & { amount: number } => e.type === 'PAYMENT_RECEIVED')
    .map((e) => ({
      at: e.at,
      amount: major(e.amount),
      payoff: e.payoff === true,
      eventId: e.key.slice('PAYMENT_RECEIVED:'.length),
      by: typeof e.by === 'string' ? e.by : null,
    }));
  // A review's decision is on the timeline (REVIEW_DECIDED) when the task itself does not carry it.
  const decisions = new Map(
    view.timeline.filter((e) => e.type === 'REVIEW_DECIDED' && typeof e.taskId === 'string').map((e) => [e.taskId as string, String(e.outcome)]),
  );
  return {
    now,
    loan: { ...withoutCollateral(loan), principal: major(loan.principal) },
    contact: view.contact ? { phone: view.contact.phone, email: view.contact.email } : null,
    collateral: presentCollateral(view, policy),
    status: state.status,
    warningLevel: state.warningLevel,
    classification: state.classification,
    dpd: dpdOf(loan, view.instalments, now),
    outstandingPrincipal: major(outstandingPrincipal(view.instalments)),
    borrowerLocalTime: toOffsetIso(now, loan.timezone),
    contactNow: contactNow(loan, state, 'CALL', now),
    phase: state.phase ?? null,
    riskRating: riskRatingOf(loan, state),
    closedReason: state.closedReason ?? null,
    legalCaseId: state.legalCaseId ?? null,
    promise: state.promise ? { date: state.promise.date, amount: major(state.promise.amount), madeAt: state.promise.madeAt } : null,
    episode: state.episode ? { number: state.episode.number, startedAt: state.episode.startedAt, brokenPromises: state.episode.brokenPromises } : null,
    promiseEarliestDate: today,
    promiseLatestDate: promiseLatestDate(loan, policy, now),
    promiseMaxDaysAhead: policy.promises.maxDaysAhead,
    ...recallDateBounds(loan, policy, now),
    restructuring: {
      version: state.restructuring?.version ?? 1,
      count: state.restructuring?.count ?? 0,
      annualRate: state.restructuring?.annualRate ?? loan.annualRate,
      observationUntil: state.restructuring?.observationUntil ?? null,
      maxRestructures: policy.restructuring.maxRestructures,
      maxExtendMonths: policy.restructuring.maxExtendMonths,
      minAnnualRate: policy.restructuring.minAnnualRate,
      maxGraceMonths: policy.restructuring.maxGraceMonths,
    },
    schedule: view.instalments.map((i) => ({
      seq: i.seq,
      dueDate: i.dueDate,
      amount: major(i.amount),
      principal: major(i.principal),
      interest: major(i.interest),
      paidAmount: major(i.paidAmount),
      paidAt: i.paidAt ?? null,
      status: instalmentStatus(i, today, loan.timezone),
    })),
    payments,
    tasks: view.tasks.map((t) => presentTask(t as CallbackTask & Record<string, unknown>, decisions)),
    nextAction: previewNextAction(view, policy, now),
    referral: view.referral ?? null,
    flagged: view.flagged ?? null,
    timeline: view.timeline,
  };
}
