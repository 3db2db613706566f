import { DateTime } from 'luxon';
import type { LoanStore } from '../../../functions/ports.js';
import type { CallbackTask, Finding, Instalment, Loan, TaskPurpose } from '../../../workflows/domain/types.js';
import type { World } from '../local-step-functions.js';
import type { BorrowerBehaviour } from './borrower-behaviour.js';
import { hashSeed, seededRandom } from './seeded-random.js';
import { instantOfWallTime, wallTime, wallTimeOf } from './zoned-time.js';

/** The entry points a borrower's bank and the agents use: the same handlers the API exposes. */
export interface WorldApi {
  recordPayment(input: { loanId: string; amount: number; paidAt: string; paymentId: string }): Promise<unknown>;
  recordCallbackOutcome(input: { taskId: string; outcome: 'REACHED' | 'NO_ANSWER'; findings: Finding[]; agentId: string; requestId: string }): Promise<unknown>;
  reportEvent(input: { type: 'PAYOFF'; loanId: string }): Promise<unknown>;
}

/**
 * What borrowers and agents know of a loan: its terms and schedule, whether it is closed, and the callback
 * tasks open on it (the agents' work queue), in task-id order as the store lists them.
 */
export interface WorldView {
  loan(loanId: string): Promise<{ loan: Loan; instalments: Instalment[]; closed: boolean } | undefined>;
  openTasks(loanId: string): Promise<CallbackTask[]>;
}

/** The view read from the store itself, as `npm start` uses it. */
export function storeView(store: LoanStore): WorldView {
  return {
    loan: async (loanId) => {
      const snapshot = await store.getSnapshot(loanId);
      return snapshot && { loan: snapshot.loan, instalments: snapshot.instalments, closed: snapshot.state.status === 'CLOSED' };
    },
    openTasks: async (loanId) => (await store.listTasks(loanId)).filter((t) => t.status === 'OPEN'),
  };
}

const AGENT_START_HOUR = 9;
const AGENT_END_HOUR = 18;
const PAYMENT_HOUR = '09:00';
const STAFF_TASKS: TaskPurpose[] = ['COLLATERAL_REVIEW', 'RESTRUCTURE_REVIEW'];

interface LoanScript {
  loan: Loan;
  instalments: Instalment[];
  behaviour: BorrowerBehaviour;
  random: () => number;
  /** Index of the next scripted instalment payment. */
  paymentCursor: number;
  /** When the borrower pays each instalment (ms): its due date at the payment hour, plus any days late. */
  payAt: number[];
  paidOff: boolean;
  attempts: Map<string, CallAttempt>;
  reportsTold: Set<number>;
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

  private readonly view: WorldView;

  /** `view` defaults to reading the store; the simulator passes one that follows the store's writes instead. */
  constructor(
    store: LoanStore,
    private readonly api: WorldApi,
    private readonly behaviours: Map<string, BorrowerBehaviour>,
    private readonly seed = 1,
    view?: WorldView,
  ) {
    this.view = view ?? storeView(store);
  }

  async nextEvent(loanId: string, now: Date, before: Date): Promise<{ at: Date; deliver: () => Promise<void> } | undefined> {
    const script = await this.script(loanId);
    if (!script) return undefined;
    const candidates = [this.nextPayment(script, now.getTime()), ...(await this.nextCalls(script, now.getTime()))].filter(
      (c): c is Candidate => c !== undefined && c.at < before.getTime(),
    );
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
      behaviour,
      random: seededRandom(hashSeed(this.seed, loanId)),
      paymentCursor: paid,
      payAt: [],
      paidOff: facts.closed,
      attempts: new Map(),
      reportsTold: new Set(),
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
      const at = Math.max(now, planned);
      return {
        at,
        deliver: async () => {
          script.paymentCursor += 1;
          if (token.kind === 'X') {
            script.paidOff = true;
            await this.api.reportEvent({ type: 'PAYOFF', loanId: loan.loanId });
            return;
          }
          await this.api.recordPayment({ loanId: loan.loanId, amount: instalment.amount / 100, paidAt: new Date(at).toISOString(), paymentId: `SIM-${loan.loanId}-${instalment.seq}` });
        },
      };
    }
    return undefined;
  }

  private async nextCalls(script: LoanScript, now: number): Promise<Candidate[]> {
    const open = await this.view.openTasks(script.loan.loanId);
    return open.map((task) => {
      let attempt = script.attempts.get(task.taskId);
      if (!attempt) {
        attempt = { count: 0, nextAt: workingSlot(Math.max(Date.parse(task.createdAt) + 60 * 60_000, task.heldUntil ? Date.parse(task.heldUntil) : 0), script.loan.timezone) };
        script.attempts.set(task.taskId, attempt);
      }
      const slot = attempt;
      return { at: Math.max(now, slot.nextAt), deliver: () => this.call(script, task, slot) };
    });
  }

  private async call(script: LoanScript, task: CallbackTask, attempt: CallAttempt): Promise<void> {
    const staffOnly = STAFF_TASKS.includes(task.purpose);
    // Drawn once per call that is made: a call the gate turns away keeps its draw for when it is made, so the
    // borrower's answers do not depend on when the gate happened to say no.
    const reached = staffOnly || (attempt.draw ??= script.random()) < script.behaviour.answerRate;
    const findings = !reached || staffOnly ? [] : [...routineFindings(script.loan, task.purpose), ...this.reportsDue(script, attempt.nextAt, true)];
    try {
      await this.api.recordCallbackOutcome({
        taskId: task.taskId,
        outcome: reached ? 'REACHED' : 'NO_ANSWER',
        findings,
        agentId: staffOnly ? 'sim-risk-officer' : 'sim-agent',
        // One id per call made on the task, as the console sends one per form: a retry of it is not a second call.
        requestId: `sim-call-${attempt.count + 1}`,
      });
    } catch (error) {
      if (!isRefusedByGate(error)) throw error;
      // The queue showed the call as blocked: the agent comes back when the gate allows it (never, if no moment is foreseeable).
      attempt.nextAt = error.extensions?.retryAt ? workingSlot(Date.parse(String(error.extensions.retryAt)), script.loan.timezone) : Infinity;
      return;
    }
    attempt.count += 1;
    attempt.draw = undefined;
    if (reached) this.reportsDue(script, attempt.nextAt);
    else attempt.nextAt = workingSlot(DateTime.fromMillis(attempt.nextAt).plus({ days: 1 }).toMillis(), script.loan.timezone);
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

/** The compliance gate refused the call (ContactNotAllowedError, a 409 with the moment it is allowed again). */
function isRefusedByGate(error: unknown): error is { extensions?: Record<string, unknown> } {
  return (error as { errorName?: string; name?: string }).errorName === 'ContactNotAllowedError' || (error as { name?: string }).name === 'ContactNotAllowedError';
}

function routineFindings(loan: Loan, purpose: TaskPurpose): Finding[] {
  if (purpose === 'FIRST_CONTACT') return loan.product === 'car' ? ['funds_received', 'vehicle_delivered', 'contact_details_confirmed'] : ['funds_received', 'contact_details_confirmed'];
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
    if (weekday && hour >= AGENT_START_HOUR && hour < AGENT_END_HOUR) return i === 0 ? at : (instantOfWallTime(wall, timezone) ?? workingSlotByLuxon(at, timezone));
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
