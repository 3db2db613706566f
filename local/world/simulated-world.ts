import { DateTime } from 'luxon';
import type { LoanStore } from '../../functions/ports.js';
import { addLocalDays, atLocalTime, localDate } from '../../workflows/domain/local-time.js';
import {
  DECISION_REVIEWS,
  type CallbackTask,
  type Finding,
  type Instalment,
  type LegalEventType,
  type Loan,
  type Product,
  type ReviewDecision,
  type TaskPurpose,
} from '../../workflows/domain/types.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import type { FollowUpPolicy } from '../../workflows/policy/policy-schema.js';
import type { World } from '../local-step-functions.js';
import { inspectedCollateral, type BorrowerBehaviour, type DecisionReview, type ScriptedReview, type ScriptedReviewPurpose } from './borrower-behaviour.js';
import { hashSeed, seededRandom } from './seeded-random.js';
import { instantOfWallTime, wallTime, wallTimeOf } from './zoned-time.js';

/** The entry points a borrower's bank and the agents use: the same handlers the API exposes. */
export interface WorldApi {
  recordPayment(input: { loanId: string; amount: number; paidAt: string; paymentId: string }): Promise<unknown>;
  recordCallbackOutcome(input: {
    taskId: string;
    outcome: 'REACHED' | 'NO_ANSWER';
    findings: Finding[];
    agentId: string;
    requestId: string;
    /** A promise to pay (with the finding promise_to_pay): a local date and an amount in major units. */
    promise?: { date: string; amount: number };
    /** Risk's decision on a RECALL_REVIEW or PRE_LEGAL_REVIEW. */
    decision?: ReviewDecision;
    /** What the inspection of a secured loan's collateral found (a COLLATERAL_REVIEW), major units. */
    valuation?: { value: number; condition: 'good' | 'damaged' };
  }): Promise<unknown>;
  reportEvent(input: { type: 'PAYOFF'; loanId: string }): Promise<unknown>;
  /** The legal team's record of a case (the `legal` column); worlds without it record none. */
  recordLegalEvent?(input: { caseId: string; event: LegalEventType; amount?: number; eventId: string; by: string }): Promise<unknown>;
  /** Risk agrees a restructure (a `RESTRUCTURE_REVIEW` plan of the `reviews` column); worlds without it answer the review without one. */
  restructureLoan?(input: {
    loanId: string;
    extendMonths: number;
    annualRate: number | null;
    graceMonths: number;
    arrears: 'capitalise' | 'keep_due';
    requestId: string;
    by: string;
  }): Promise<unknown>;
}

/** Something a row's script asked for that the product refused (a restructure plan past a policy bound): the script is wrong. */
export interface ScriptProblem {
  loanId: string;
  /** The behaviour column at fault. */
  field: string;
  reason: string;
}

/**
 * What borrowers and agents know of a loan: its terms and schedule, whether it is closed, and the callback
 * tasks open on it (the agents' work queue), in task-id order as the store lists them.
 */
export interface WorldView {
  /**
   * `legal`: the loan's legal case and when it was referred, once it is. `scheduleChanges`: how many times the
   * schedule moved (RESTRUCTURED, LOAN_RECALLED), when the view keeps count; otherwise the world compares schedules.
   */
  loan(loanId: string): Promise<{ loan: Loan; instalments: Instalment[]; closed: boolean; legal?: LegalCase; scheduleChanges?: number } | undefined>;
  openTasks(loanId: string): Promise<CallbackTask[]>;
}

export interface LegalCase {
  caseId: string;
  /** ISO instant of the LEGAL_REFERRAL. */
  referredAt: string;
}

/** The view read from the store itself, as `npm start` uses it. */
export function storeView(store: LoanStore): WorldView {
  const referrals = new Map<string, LegalCase>();
  return {
    loan: async (loanId) => {
      const snapshot = await store.getSnapshot(loanId);
      if (!snapshot) return undefined;
      const caseId = snapshot.state.legalCaseId;
      let legal = referrals.get(loanId);
      if (caseId && !legal) {
        // Once per loan: when it was referred is on its timeline.
        const referral = (await store.listTimeline(loanId)).find((e) => e.type === 'LEGAL_REFERRAL');
        legal = { caseId, referredAt: referral?.at ?? snapshot.state.lastLegalEventAt ?? snapshot.state.lastAdvancedAt };
        referrals.set(loanId, legal);
      }
      return { loan: snapshot.loan, instalments: snapshot.instalments, closed: snapshot.state.status === 'CLOSED', ...(legal ? { legal } : {}) };
    },
    openTasks: async (loanId) => (await store.listTasks(loanId)).filter((t) => t.status === 'OPEN'),
  };
}

const AGENT_START_HOUR = 9;
const AGENT_END_HOUR = 18;
const PAYMENT_HOUR = '09:00';
/** Tasks staff answer at their desk on working days: risk's reviews and the legal team's follow-ups. */
const STAFF_TASKS: TaskPurpose[] = ['COLLATERAL_REVIEW', 'RESTRUCTURE_REVIEW', 'RECALL_REVIEW', 'PRE_LEGAL_REVIEW', 'LEGAL_FOLLOW_UP'];
/** How far ahead a `B` promise is made (the policy's bound, if nearer). */
const BROKEN_PROMISE_DAYS = 3;

interface LoanScript {
  loan: Loan;
  /**
   * The instalments the `payments` tokens apply to, by index: as captured at the start, and after a restructure
   * or a recall, the ones already handled followed by the new schedule's unpaid instalments in due-date order.
   */
  instalments: Instalment[];
  /** The schedule the world last looked at (and the view's count of changes, if it keeps one). */
  seenInstalments: Instalment[];
  scheduleChanges?: number;
  /** Times the schedule changed under the script: payment ids of a new schedule carry it. */
  generation: number;
  behaviour: BorrowerBehaviour;
  random: () => number;
  /** Index of the next scripted instalment payment. */
  paymentCursor: number;
  /** When the borrower pays each instalment (ms): its due date at the payment hour, plus any days late. */
  payAt: number[];
  paidOff: boolean;
  attempts: Map<string, CallAttempt>;
  reportsTold: Set<number>;
  /** Collection calls answered so far: the index of the next `promises` token. */
  collectionCallsAnswered: number;
  /** Reviews decided so far, per purpose: the index of the next scripted decision of that purpose. */
  reviewsDecided: Map<ScriptedReviewPurpose, number>;
  /** Restructure reviews a scripted plan was sent for (agreed or refused): answered without a plan if still open. */
  plansTried: Set<string>;
  /** No payment before then (ms): the borrower is breaking a promise and pays only after its check. */
  payNotBefore: number;
  /** Index of the next scripted legal event, and the case once the loan is referred. */
  legalCursor: number;
  legalCase?: LegalCase;
}

/** An agent's calls on one task: how many were made, when the next is due, and its answer drawn ahead. */
interface CallAttempt {
  count: number;
  nextAt: number;
  draw?: number;
}

type Candidate = { at: number; deliver: () => Promise<void> };

/**
 * Borrowers who pay (or not) as their script says, and agents who work the queue within the working day.
 * Deterministic for a given seed: every choice comes from the loan's own seeded generator.
 */
export class SimulatedWorld implements World {
  private readonly scripts = new Map<string, LoanScript>();

  /** Scripting errors met on the way (a plan the product refused), for the run to report; the loans carry on. */
  readonly problems: ScriptProblem[] = [];

  private readonly view: WorldView;

  /** `view` defaults to reading the store; the simulator passes one that follows the store's writes instead. */
  constructor(
    store: LoanStore,
    private readonly api: WorldApi,
    private readonly behaviours: Map<string, BorrowerBehaviour>,
    private readonly seed = 1,
    view?: WorldView,
    /** The policy in force per product (promise bounds and checks); the shipped policies by default. */
    policies?: (product: Product) => FollowUpPolicy,
  ) {
    this.view = view ?? storeView(store);
    if (policies) this.policies = policies;
    else {
      const shipped = loadAllPolicies();
      this.policies = (product) => shipped[product];
    }
  }

  private readonly policies: (product: Product) => FollowUpPolicy;

  async nextEvent(loanId: string, now: Date, before: Date): Promise<{ at: Date; deliver: () => Promise<void> } | undefined> {
    const script = await this.script(loanId);
    if (!script) return undefined;
    if (!script.paidOff) await this.followSchedule(script, now.getTime());
    const candidates = [
      this.nextPayment(script, now.getTime()),
      ...(await this.nextCalls(script, now.getTime())),
      await this.nextLegalEvent(script, now.getTime()),
    ].filter((c): c is Candidate => c !== undefined && c.at < before.getTime());
    candidates.sort((a, b) => a.at - b.at);
    const first = candidates[0];
    return first ? { at: new Date(first.at), deliver: first.deliver } : undefined;
  }

  private async script(loanId: string): Promise<LoanScript | undefined> {
    const known = this.scripts.get(loanId);
    if (known) return known;
    const behaviour = this.behaviours.get(loanId);
    if (!behaviour) return undefined;
    const facts = await this.view.loan(loanId);
    if (!facts) return undefined;
    const paid = facts.instalments.filter((i) => i.paidAt).length;
    const script: LoanScript = {
      loan: facts.loan,
      instalments: facts.instalments,
      seenInstalments: facts.instalments,
      ...(facts.scheduleChanges !== undefined ? { scheduleChanges: facts.scheduleChanges } : {}),
      generation: 0,
      behaviour,
      random: seededRandom(hashSeed(this.seed, loanId)),
      paymentCursor: paid,
      payAt: [],
      paidOff: facts.closed,
      attempts: new Map(),
      reportsTold: new Set(),
      collectionCallsAnswered: 0,
      reviewsDecided: new Map(),
      plansTried: new Set(),
      payNotBefore: 0,
      legalCursor: 0,
    };
    this.scripts.set(loanId, script);
    return script;
  }

  private nextPayment(script: LoanScript, now: number): Candidate | undefined {
    const { behaviour, instalments, loan } = script;
    while (!script.paidOff && script.paymentCursor < instalments.length) {
      const instalment = instalments[script.paymentCursor]!;
      const token = behaviour.payments[script.paymentCursor] ?? { kind: 'P' as const };
      if (token.kind === 'M') {
        script.paymentCursor += 1;
        continue;
      }
      const planned = (script.payAt[script.paymentCursor] ??= paymentTime(instalment.dueDate, token.kind === 'L' ? token.days : 0, loan.timezone));
      const at = Math.max(now, planned, script.payNotBefore);
      return {
        at,
        deliver: async () => {
          script.paymentCursor += 1;
          if (token.kind === 'X') {
            script.paidOff = true;
            await this.api.reportEvent({ type: 'PAYOFF', loanId: loan.loanId });
            return;
          }
          const paymentId = `SIM-${loan.loanId}-${instalment.seq}${script.generation ? `-v${script.generation}` : ''}`;
          await this.api.recordPayment({ loanId: loan.loanId, amount: instalment.amount / 100, paidAt: new Date(at).toISOString(), paymentId });
        },
      };
    }
    return undefined;
  }

  /**
   * After a restructure or a recall the borrower pays the new schedule: the tokens not yet used apply to its
   * unpaid instalments in due-date order, each on its new due date and for its new amount. A token is used by
   * an instalment paid, or fallen due unpaid (`M`); those stay as they were while the change leaves them be
   * (an overdue `M` kept due stays unpaid), and one the change moved or replaced is new and takes the next token.
   */
  private async followSchedule(script: LoanScript, now: number): Promise<void> {
    const facts = await this.view.loan(script.loan.loanId);
    if (!facts) return;
    if (facts.scheduleChanges !== undefined) {
      if (facts.scheduleChanges === script.scheduleChanges) return;
      script.scheduleChanges = facts.scheduleChanges;
    } else if (facts.instalments === script.seenInstalments) return;
    script.seenInstalments = facts.instalments;
    const known = new Set(script.instalments.map(scheduleKey));
    if (facts.instalments.every((i) => known.has(scheduleKey(i)))) return;
    // nextPayment looks past `M` instalments before they fall due: their tokens are not used yet.
    const today = localDate(new Date(now).toISOString(), script.loan.timezone);
    let cursor = script.paymentCursor;
    while (cursor > 0 && script.instalments[cursor - 1]!.dueDate >= today && script.behaviour.payments[cursor - 1]?.kind === 'M') cursor -= 1;
    script.paymentCursor = cursor;
    const handled = script.instalments.slice(0, cursor);
    const stays = new Set(handled.map(scheduleKey));
    const pending = facts.instalments
      .filter((i) => !i.paidAt && !stays.has(scheduleKey(i)))
      .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.seq - b.seq);
    script.instalments = [...handled, ...pending];
    script.payAt.length = Math.min(script.payAt.length, script.paymentCursor);
    script.generation += 1;
  }

  private async nextCalls(script: LoanScript, now: number): Promise<Candidate[]> {
    const open = await this.view.openTasks(script.loan.loanId);
    return open.map((task) => {
      let attempt = script.attempts.get(task.taskId);
      if (!attempt) {
        attempt = {
          count: 0,
          nextAt: workingSlot(Math.max(Date.parse(task.createdAt) + 60 * 60_000, task.heldUntil ? Date.parse(task.heldUntil) : 0), script.loan.timezone),
        };
        script.attempts.set(task.taskId, attempt);
      }
      const slot = attempt;
      const at = Math.max(now, slot.nextAt);
      return { at, deliver: () => this.call(script, task, slot, at) };
    });
  }

  private async call(script: LoanScript, task: CallbackTask, attempt: CallAttempt, at: number): Promise<void> {
    // A restructure review scripted with a plan: risk agrees it through the restructure entry point, which
    // completes the review; a plan the product refuses is reported and the review answered without one.
    let planTried = script.plansTried.has(task.taskId);
    if (task.purpose === 'RESTRUCTURE_REVIEW' && !planTried && this.api.restructureLoan) {
      const scripted = this.scriptedReview(script, 'RESTRUCTURE_REVIEW');
      if (scripted?.purpose === 'RESTRUCTURE_REVIEW' && scripted.decision === 'restructure') {
        script.plansTried.add(task.taskId);
        planTried = true;
        const number = this.nextReview(script, 'RESTRUCTURE_REVIEW');
        if (await this.agreeRestructure(script, scripted, number, at)) {
          attempt.count += 1;
          return;
        }
      }
    }
    const staffOnly = STAFF_TASKS.includes(task.purpose);
    // Drawn once per call that is made: a call the gate turns away keeps its draw for when it is made, so the
    // borrower's answers do not depend on when the gate happened to say no.
    const reached = staffOnly || (attempt.draw ??= script.random()) < script.behaviour.answerRate;
    const findings: Finding[] = !reached || staffOnly ? [] : [...routineFindings(script.loan, task.purpose), ...this.reportsDue(script, attempt.nextAt, true)];
    const promise = reached && task.purpose === 'COLLECTION' ? await this.promiseOnCall(script, at) : undefined;
    if (promise) findings.push('promise_to_pay');
    const decision = (DECISION_REVIEWS as readonly TaskPurpose[]).includes(task.purpose)
      ? this.reviewDecision(script, task.purpose as DecisionReview)
      : undefined;
    // The inspector values a secured loan's collateral as the script's collateralEvents say (unchanged without them).
    const valuation =
      task.purpose === 'COLLATERAL_REVIEW' && script.loan.collateral
        ? inspectedCollateral(script.behaviour.collateralEvents ?? [], monthIndex(script.loan, attempt.nextAt), script.loan.collateral.value / 100)
        : undefined;
    try {
      await this.api.recordCallbackOutcome({
        taskId: task.taskId,
        outcome: reached ? 'REACHED' : 'NO_ANSWER',
        findings,
        agentId: task.purpose === 'LEGAL_FOLLOW_UP' ? 'sim-legal' : staffOnly ? 'sim-risk-officer' : 'sim-agent',
        // One id per call made on the task, as the console sends one per form: a retry of it is not a second call.
        requestId: `sim-call-${attempt.count + 1}`,
        ...(promise ? { promise: promise.promise } : {}),
        ...(decision ? { decision } : {}),
        ...(valuation ? { valuation } : {}),
      });
    } catch (error) {
      if (!isRefusedByGate(error)) throw error;
      // The queue showed the call as blocked: the agent comes back when the gate allows it (never, if no moment is foreseeable).
      attempt.nextAt = error.extensions?.retryAt ? workingSlot(Date.parse(String(error.extensions.retryAt)), script.loan.timezone) : Infinity;
      return;
    }
    attempt.count += 1;
    attempt.draw = undefined;
    if (reached && task.purpose === 'COLLECTION') {
      script.collectionCallsAnswered += 1;
      // A promise the borrower means to break: no payment until the loan has checked it.
      if (promise?.breaks) script.payNotBefore = Math.max(script.payNotBefore, promise.payNotBefore);
    }
    if (decision || (task.purpose === 'RESTRUCTURE_REVIEW' && !planTried)) this.nextReview(script, task.purpose as ScriptedReviewPurpose);
    if (reached) this.reportsDue(script, attempt.nextAt);
    else attempt.nextAt = workingSlot(DateTime.fromMillis(attempt.nextAt).plus({ days: 1 }).toMillis(), script.loan.timezone);
  }

  /**
   * What the borrower promises on an answered collection call (`promises` column, `K` past its end): the amount
   * still owed on the oldest unpaid instalment, by a date within the policy's bound from the call's local date.
   * `K` promises the day of the next scripted payment, and keeps it; if that day is beyond the bound (or never
   * comes), it promises the bound and breaks it. `B` promises three days ahead (at most the bound) and breaks it.
   * A broken promise holds the borrower's payments until the day after its check.
   */
  private async promiseOnCall(
    script: LoanScript,
    at: number,
  ): Promise<{ promise: { date: string; amount: number }; breaks: boolean; payNotBefore: number } | undefined> {
    const token = script.behaviour.promises?.[script.collectionCallsAnswered] ?? 'K';
    if (token === 'N') return undefined;
    const facts = await this.view.loan(script.loan.loanId);
    const { loan } = script;
    const today = localDate(new Date(at).toISOString(), loan.timezone);
    const oldest = facts?.instalments.find((i) => !i.paidAt);
    // Nothing overdue (the loan became current before the call): nothing to promise.
    if (!oldest || oldest.dueDate >= today) return undefined;
    const policy = this.policies(loan.product).promises;
    const latest = addLocalDays(today, policy.maxDaysAhead);
    let date: string;
    let breaks: boolean;
    if (token === 'B') {
      const ahead = addLocalDays(today, BROKEN_PROMISE_DAYS);
      date = ahead < latest ? ahead : latest;
      breaks = true;
    } else {
      const payDay = this.nextPaymentDay(script, at);
      breaks = payDay === undefined || payDay > latest;
      date = breaks ? latest : payDay! < today ? today : payDay!;
    }
    const checkDay = localDate(
      atLocalTime(addLocalDays(date, policy.checkDaysAfter), this.policies(loan.product).reminders.localTime, loan.timezone),
      loan.timezone,
    );
    return { promise: { date, amount: (oldest.amount - oldest.paidAmount) / 100 }, breaks, payNotBefore: paymentTime(checkDay, 1, loan.timezone) };
  }

  /** The borrower's local date of their next scripted payment (or payoff), as nextPayment would make it; undefined if none comes. */
  private nextPaymentDay(script: LoanScript, now: number): string | undefined {
    if (script.paidOff) return undefined;
    for (let index = script.paymentCursor; index < script.instalments.length; index++) {
      const token = script.behaviour.payments[index] ?? { kind: 'P' as const };
      if (token.kind === 'M') continue;
      const planned = script.payAt[index] ?? paymentTime(script.instalments[index]!.dueDate, token.kind === 'L' ? token.days : 0, script.loan.timezone);
      return localDate(new Date(Math.max(now, planned, script.payNotBefore)).toISOString(), script.loan.timezone);
    }
    return undefined;
  }

  /** Risk's decision on the next review of this purpose: as scripted, in order, then `continue`. */
  private reviewDecision(script: LoanScript, purpose: DecisionReview): ReviewDecision {
    const scripted = this.scriptedReview(script, purpose);
    return scripted && scripted.purpose !== 'RESTRUCTURE_REVIEW' ? scripted.decision : 'continue';
  }

  /** The next scripted review of this purpose, if the script has one left. */
  private scriptedReview(script: LoanScript, purpose: ScriptedReviewPurpose): ScriptedReview | undefined {
    const index = script.reviewsDecided.get(purpose) ?? 0;
    return (script.behaviour.reviews ?? []).filter((r) => r.purpose === purpose)[index];
  }

  /** Counts a review of this purpose as decided; returns its number (1 for the first). */
  private nextReview(script: LoanScript, purpose: ScriptedReviewPurpose): number {
    const number = (script.reviewsDecided.get(purpose) ?? 0) + 1;
    script.reviewsDecided.set(purpose, number);
    return number;
  }

  /**
   * Risk agrees the scripted plan (in working hours, as it answers reviews). True when the product took it; a
   * client error (a plan past a policy bound, a loan that can no longer be restructured) is the script's fault:
   * it is kept in `problems`, named by loan, column and entry, and the run goes on.
   */
  private async agreeRestructure(
    script: LoanScript,
    scripted: Extract<ScriptedReview, { decision: 'restructure' }>,
    number: number,
    at: number,
  ): Promise<boolean> {
    const { loanId, timezone } = script.loan;
    try {
      await this.api.restructureLoan!({ loanId, ...scripted.plan, requestId: `sim-restructure-${number}`, by: 'sim-risk-officer' });
      return true;
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === undefined || status >= 500) throw error;
      this.problems.push({
        loanId,
        field: 'reviews',
        reason: `RESTRUCTURE_REVIEW ${number} "${scripted.text}" refused on ${localDate(new Date(at).toISOString(), timezone)}: ${(error as Error).message}`,
      });
      return false;
    }
  }

  /**
   * The legal team's next scripted event on the loan's case, that many months after its referral, in working
   * hours. Settled and recovered pay what is still owed on every instalment.
   */
  private async nextLegalEvent(script: LoanScript, now: number): Promise<Candidate | undefined> {
    const scripted = script.behaviour.legal;
    const record = this.api.recordLegalEvent?.bind(this.api);
    if (!scripted || !record || script.legalCursor >= scripted.length) return undefined;
    if (!script.legalCase) {
      const facts = await this.view.loan(script.loan.loanId);
      if (!facts?.legal || facts.closed) return undefined;
      script.legalCase = facts.legal;
    }
    const legalCase = script.legalCase;
    const entry = scripted[script.legalCursor]!;
    const index = script.legalCursor;
    const due = DateTime.fromISO(legalCase.referredAt, { zone: script.loan.timezone }).plus({ months: entry.months }).toMillis();
    const at = Math.max(now, workingSlot(due, script.loan.timezone));
    return {
      at,
      deliver: async () => {
        script.legalCursor = index + 1;
        const facts = await this.view.loan(script.loan.loanId);
        if (!facts || facts.closed) return;
        let amount: number | undefined;
        if (entry.event === 'settled' || entry.event === 'recovered') {
          const owed = facts.instalments.reduce((sum, i) => sum + (i.paidAt ? 0 : i.amount - i.paidAmount), 0);
          if (owed <= 0) return;
          amount = owed / 100;
        }
        try {
          await record({
            caseId: legalCase.caseId,
            event: entry.event,
            ...(amount !== undefined ? { amount } : {}),
            eventId: `SIM-${script.loan.loanId}-L${index + 1}`,
            by: 'sim-legal',
          });
        } catch (error) {
          // The case closed meanwhile (the borrower paid it off): the legal team has nothing left to record.
          const name = (error as { errorName?: string; name?: string }).errorName ?? (error as { name?: string }).name;
          if (name === 'LegalCaseClosedError') return;
          throw error;
        }
      },
    };
  }

  /** Reports for this month and any earlier month no answered call has heard yet (`peek` leaves them untold). */
  private reportsDue(script: LoanScript, at: number, peek = false): Finding[] {
    // Most borrowers have nothing to tell, or have told it all: no need to work out the month.
    if (script.reportsTold.size === script.behaviour.reports.length) return [];
    const month = monthIndex(script.loan, at);
    const due = script.behaviour.reports.filter((r, i) => r.month <= month && !script.reportsTold.has(i));
    if (!peek) for (const report of due) script.reportsTold.add(script.behaviour.reports.indexOf(report));
    return [...new Set(due.map((r) => r.finding))];
  }
}

/** An instalment as a payment plan sees it: which one, when, how much. */
function scheduleKey(i: Instalment): string {
  return `${i.seq}|${i.dueDate}|${i.amount}`;
}

/** The compliance gate refused the call (ContactNotAllowedError, a 409 with the moment it is allowed again). */
function isRefusedByGate(error: unknown): error is { extensions?: Record<string, unknown> } {
  return (
    (error as { errorName?: string; name?: string }).errorName === 'ContactNotAllowedError' || (error as { name?: string }).name === 'ContactNotAllowedError'
  );
}

function routineFindings(loan: Loan, purpose: TaskPurpose): Finding[] {
  if (purpose === 'FIRST_CONTACT')
    return loan.product === 'car' ? ['funds_received', 'vehicle_delivered', 'contact_details_confirmed'] : ['funds_received', 'contact_details_confirmed'];
  if (purpose === 'DAY30_CHECK' || purpose === 'DAY60_CHECK') return loan.product === 'car' ? ['repayment_normal', 'vehicle_in_use'] : ['repayment_normal'];
  return [];
}

/** Month 1 is the first month after disbursement. */
const disbursements = new WeakMap<Loan, DateTime>();

export function monthIndex(loan: Loan, at: number): number {
  let start = disbursements.get(loan);
  if (!start) disbursements.set(loan, (start = DateTime.fromISO(loan.disbursedAt, { zone: loan.timezone })));
  const now = DateTime.fromMillis(at, { zone: loan.timezone });
  return Math.floor(now.diff(start, 'months').months) + 1;
}

/**
 * When the borrower pays: the due date (plus the days late) at the payment hour, borrower time. Luxon places
 * the hour on the due date first and moves on from there, so both moments must be clear of offset changes
 * for the shortcut to give its answer.
 */
export function paymentTime(dueDate: string, daysLate: number, timezone: string): number {
  const onDueDate = instantOfWallTime(wallTimeOf(dueDate, PAYMENT_HOUR), timezone);
  const fast = onDueDate !== undefined && daysLate ? instantOfWallTime(wallTimeOf(dueDate, PAYMENT_HOUR, daysLate), timezone) : onDueDate;
  if (fast !== undefined) return fast;
  const due = DateTime.fromISO(`${dueDate}T${PAYMENT_HOUR}`, { zone: timezone });
  return (daysLate ? due.plus({ days: daysLate }) : due).toMillis();
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** The first moment at or after `at` when agents work: weekdays, 09:00 to 18:00 borrower time. */
export function workingSlot(at: number, timezone: string): number {
  // The same walk as workingSlotByLuxon on wall-clock milliseconds; Luxon decides near an offset change.
  let wall = wallTime(at, timezone);
  for (let i = 0; i < 8; i++) {
    const fields = new Date(wall);
    const weekday = fields.getUTCDay() >= 1 && fields.getUTCDay() <= 5;
    const hour = fields.getUTCHours();
    if (weekday && hour >= AGENT_START_HOUR && hour < AGENT_END_HOUR)
      return i === 0 ? at : (instantOfWallTime(wall, timezone) ?? workingSlotByLuxon(at, timezone));
    const startOfDay = Math.floor(wall / DAY_MS) * DAY_MS;
    if (weekday && hour < AGENT_START_HOUR) return instantOfWallTime(startOfDay + AGENT_START_HOUR * HOUR_MS, timezone) ?? workingSlotByLuxon(at, timezone);
    wall = startOfDay + DAY_MS + AGENT_START_HOUR * HOUR_MS;
  }
  return instantOfWallTime(wall, timezone) ?? workingSlotByLuxon(at, timezone);
}

export function workingSlotByLuxon(at: number, timezone: string): number {
  let t = DateTime.fromMillis(at, { zone: timezone });
  for (let i = 0; i < 8; i++) {
    const weekday = t.weekday <= 5;
    if (weekday && t.hour >= AGENT_START_HOUR && t.hour < AGENT_END_HOUR) return t.toMillis();
    if (weekday && t.hour < AGENT_START_HOUR) return t.set({ hour: AGENT_START_HOUR, minute: 0, second: 0, millisecond: 0 }).toMillis();
    t = t.plus({ days: 1 }).set({ hour: AGENT_START_HOUR, minute: 0, second: 0, millisecond: 0 });
  }
  return t.toMillis();
}
