import { advanceFollowUp } from '../../workflows/domain/advance-follow-up.js';
import {
  initialState,
  type AdvanceDecision,
  type Effect,
  type FollowUpSnapshot,
  type InboundEvent,
  type TimelineEvent,
} from '../../workflows/domain/follow-up-state.js';
import { buildInstalmentSchedule } from '../../workflows/domain/schedule.js';
import type { CallbackTask, CallOutcome, CollateralCondition, Finding, LegalEventType, Loan, ReviewDecision } from '../../workflows/domain/types.js';
import { fixedTimePolicies } from './fixed-time-policies.js';
import { testLoan } from './loans.js';
import type { FollowUpPolicy } from '../../workflows/policy/policy-schema.js';

/**
 * The pure follow-up rules driven step by step with no engine and no database: `sleepUntil` runs every
 * step that falls due before a moment, like a workflow test environment that skips time.
 */
export class DomainHarness {
  snapshot: FollowUpSnapshot;
  now: string;
  wakeAt: string | null;
  readonly timeline: TimelineEvent[] = [];
  readonly effects: Effect[] = [];
  readonly tasks = new Map<string, CallbackTask>();
  private inbox: InboundEvent[] = [];
  private iteration = 0;
  private generation = 0;
  private eventCounter = 0;
  last?: AdvanceDecision;

  constructor(
    loan: Loan = testLoan(),
    readonly policy: FollowUpPolicy = fixedTimePolicies()[loan.product],
  ) {
    this.now = loan.disbursedAt;
    this.snapshot = { loan, instalments: buildInstalmentSchedule(loan), state: initialState(loan.disbursedAt), openTasks: [] };
    this.wakeAt = loan.disbursedAt;
    this.step();
  }

  /** Runs every scheduled step up to `until` (ISO), then leaves the clock there. */
  sleepUntil(until: string): this {
    while (this.wakeAt && this.wakeAt <= until && this.last?.action !== 'CLOSE') {
      this.now = this.wakeAt;
      this.step();
    }
    this.now = until;
    return this;
  }

  /** Delivers an event now, as the inbox would, and runs a step. */
  deliver(event: { type: InboundEvent['type']; at?: string; [field: string]: unknown }): this {
    this.inbox.push({ eventId: `E${++this.eventCounter}`, at: event.at ?? this.now, ...event } as InboundEvent);
    return this.step();
  }

  pay(seq: number, at = this.now): this {
    const instalment = this.snapshot.instalments.find((i) => i.seq === seq)!;
    this.now = at;
    return this.deliver({ type: 'PAYMENT_RECEIVED', amount: instalment.amount - instalment.paidAmount, at });
  }

  answer(
    purpose: string,
    findings: InboundEvent extends infer E ? (E extends { findings: infer F } ? F : never) : never = [],
    outcome: 'REACHED' | 'NO_ANSWER' = 'REACHED',
  ): this {
    const task = [...this.tasks.values()].find((t) => t.purpose === purpose && t.status === 'OPEN');
    if (!task) throw new Error(`no open ${purpose} task`);
    const final = outcome !== 'NO_ANSWER';
    if (final) this.tasks.set(task.taskId, { ...task, status: 'DONE' });
    this.snapshot.openTasks = [...this.tasks.values()].filter((t) => t.status === 'OPEN');
    return this.deliver({ type: 'CALLBACK_OUTCOME', taskId: task.taskId, purpose: task.purpose, outcome, findings, final } as never);
  }

  /** Answers the open task of `purpose` as an agent or a risk officer would, with a promise or a decision. */
  answerWith(
    purpose: string,
    answer: {
      findings?: Finding[];
      outcome?: CallOutcome;
      promise?: { date: string; amount: number };
      decision?: ReviewDecision;
      recallDueDate?: string;
      valuation?: { value: number; condition: CollateralCondition };
    },
  ): this {
    const task = [...this.tasks.values()].find((t) => t.purpose === purpose && t.status === 'OPEN');
    if (!task) throw new Error(`no open ${purpose} task`);
    const outcome = answer.outcome ?? 'REACHED';
    const final = outcome !== 'NO_ANSWER';
    if (final) this.tasks.set(task.taskId, { ...task, status: 'DONE' });
    this.snapshot.openTasks = [...this.tasks.values()].filter((t) => t.status === 'OPEN');
    const findings = answer.findings ?? (answer.promise ? ['promise_to_pay'] : []);
    return this.deliver({
      type: 'CALLBACK_OUTCOME',
      taskId: task.taskId,
      purpose: task.purpose,
      outcome,
      findings,
      final,
      ...(answer.promise ? { promise: answer.promise } : {}),
      ...(answer.decision ? { decision: answer.decision } : {}),
      ...(answer.recallDueDate ? { recallDueDate: answer.recallDueDate } : {}),
      ...(answer.valuation ? { valuation: answer.valuation } : {}),
    } as never);
  }

  /** The legal team records an event on the loan's case. */
  legal(event: LegalEventType, amount?: number): this {
    return this.deliver({ type: 'LEGAL_EVENT', caseId: `CASE-${this.snapshot.loan.loanId}`, event, ...(amount !== undefined ? { amount } : {}) } as never);
  }

  openTask(purpose: string): CallbackTask | undefined {
    return [...this.tasks.values()].find((t) => t.purpose === purpose && t.status === 'OPEN');
  }

  of(type: string): TimelineEvent[] {
    return this.timeline.filter((e) => e.type === type);
  }

  sends(purpose?: string): Extract<Effect, { kind: 'SEND_MESSAGE' }>[] {
    return this.effects.filter((e): e is Extract<Effect, { kind: 'SEND_MESSAGE' }> => e.kind === 'SEND_MESSAGE' && (!purpose || e.purpose === purpose));
  }

  private step(): this {
    const decision = advanceFollowUp(
      { snapshot: this.snapshot, events: this.inbox, now: this.now, generation: this.generation, iteration: this.iteration++ },
      this.policy,
    );
    this.inbox = [];
    this.last = decision;
    this.timeline.push(...decision.timeline);
    this.effects.push(...decision.effects);
    for (const effect of decision.effects) {
      if (effect.kind === 'CREATE_TASK' || effect.kind === 'UPDATE_TASK') this.tasks.set(effect.task.taskId, effect.task);
    }
    this.snapshot = {
      ...this.snapshot,
      instalments: decision.instalments,
      state: decision.state,
      openTasks: [...this.tasks.values()].filter((t) => t.status === 'OPEN'),
    };
    this.wakeAt = decision.action === 'WAIT' ? decision.wakeAt : null;
    if (decision.action === 'CONTINUE') {
      // The next generation starts at once, as ContinueAsNew does.
      this.generation += 1;
      this.iteration = 0;
      this.wakeAt = this.now;
    }
    return this;
  }
}
