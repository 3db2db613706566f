import type { FollowUpPolicy } from '../policy/policy-schema.js';
import { callVerdict, contactsBorrower, overdueSeqOf } from '../compliance/call-gate.js';
import { evaluateContact, packFor } from '../compliance/contact-gate.js';
import type { PastContact } from '../compliance/contact-gate-types.js';
import type { AdvanceRequest, DeferredSend, Effect, FollowUpState, TimelineEvent } from './follow-up-state.js';
import { addDaysIso, secondsBetween } from './local-time.js';
import { applyPayment } from './schedule.js';
import { defaultQueueOf } from './task-queue.js';
import type { CallbackTask, Channel, Instalment, Loan, MessagePurpose, TaskPurpose, TaskQueueId, TemplateKey, WarningLevel } from './types.js';
import { taskIdOf, WARNING_LEVELS } from './types.js';

/** How long contacts are remembered for the frequency rules (their longest window is 7 days). */
const RECENT_CONTACT_DAYS = 14;

const isBorrowerFacing = (purpose: TaskPurpose) => contactsBorrower(purpose);

/**
 * Working copy of one loan during one step: rules read and change it, and every change becomes an effect or
 * a timeline event. Keys make each occurrence happen once however often a step is replayed.
 */
export class StepContext {
  readonly loan: Loan;
  readonly policy: FollowUpPolicy;
  readonly now: string;
  instalments: Instalment[];
  readonly state: FollowUpState;
  readonly openTasks = new Map<string, CallbackTask>();
  readonly effects: Effect[] = [];
  readonly timeline: TimelineEvent[] = [];
  readonly changedInstalments = new Set<number>();
  readonly removedInstalments = new Set<number>();
  private readonly doneKeys: Set<string>;

  constructor(request: AdvanceRequest, policy: FollowUpPolicy) {
    const { snapshot, now } = request;
    this.loan = snapshot.loan;
    this.policy = policy;
    this.now = now;
    this.instalments = snapshot.instalments.map((i) => ({ ...i }));
    this.state = { ...snapshot.state, done: [...snapshot.state.done], optedOut: [...snapshot.state.optedOut] };
    this.doneKeys = new Set(this.state.done);
    for (const task of snapshot.openTasks) if (task.status === 'OPEN') this.openTasks.set(task.taskId, { ...task });
  }

  isDone(key: string): boolean {
    return this.doneKeys.has(key);
  }

  markDone(key: string): void {
    if (this.doneKeys.has(key)) return;
    this.doneKeys.add(key);
    this.state.done.push(key);
  }

  /** Runs `action` once per key: false if that occurrence already happened. */
  once(key: string, action: () => void): boolean {
    if (this.isDone(key)) return false;
    this.markDone(key);
    action();
    return true;
  }

  record(type: string, at: string, key: string, details: Record<string, unknown> = {}): void {
    this.timeline.push({ loanId: this.loan.loanId, at, type, key: `${type}:${key}`, ...details });
  }

  get contactAllowed(): boolean {
    return this.state.status === 'ACTIVE';
  }

  /** Sends a message on each channel through the compliance gate, or records why it was not sent. */
  send(key: string, purpose: MessagePurpose, template: TemplateKey, channels: Channel[], params: Record<string, string | number>): void {
    for (const channel of channels) {
      const channelKey = `${key}:${channel}`;
      if (this.isDone(channelKey)) continue;
      this.markDone(channelKey);
      this.gateAndSend({ key: channelKey, channel, purpose, template, params });
    }
  }

  /** Messages the gate held back whose moment has come go through the gate again. */
  releaseDeferred(): void {
    const due = (this.state.deferred ?? []).filter((d) => d.retryAt <= this.now);
    if (due.length === 0) return;
    this.state.deferred = (this.state.deferred ?? []).filter((d) => d.retryAt > this.now);
    for (const { retryAt: _retryAt, ...message } of due) this.gateAndSend(message);
  }

  /** Remembers a call for the frequency rules. */
  noteCall(at: string, conversation: boolean, overdueSeq?: number): void {
    this.rememberContact({ channel: 'CALL', purpose: 'CALL', at, conversation, ...(overdueSeq !== undefined ? { overdueSeq } : {}) });
  }

  private gateAndSend(message: Omit<DeferredSend, 'retryAt'>): void {
    const pack = packFor(this.loan.timezone);
    const decision = evaluateContact(
      pack,
      { loanId: this.loan.loanId, channel: message.channel, purpose: message.purpose, at: this.now, timezone: this.loan.timezone },
      { status: this.state.status, optedOut: this.state.optedOut, doNotContact: this.state.doNotContact ?? false, recent: this.state.recentContacts ?? [] },
    );
    if (decision.allowed) {
      this.effects.push({ kind: 'SEND_MESSAGE', ...message, compliance: `${pack.id}@${pack.version}` });
      this.rememberContact({ channel: message.channel, purpose: message.purpose, at: this.now });
      return;
    }
    const reason = decision.blockedBy[0]!.code;
    this.record('CONTACT_SUPPRESSED', this.now, `${message.key}@${this.now}`, {
      channel: message.channel,
      purpose: message.purpose,
      reason,
      rules: decision.blockedBy.map((b) => b.rule),
      compliance: `${pack.id}@${pack.version}`,
      ...(decision.retryAt ? { deferredUntil: decision.retryAt } : {}),
    });
    if (decision.retryAt) {
      // Moved to another moment by the gate: the pacer's slot, if it had one, is gone with the old moment.
      const { pacedFor: _slot, ...unpaced } = message;
      this.state.deferred = [...(this.state.deferred ?? []), { ...unpaced, retryAt: decision.retryAt }];
    }
    if (decision.undecided) {
      // Fail closed: nobody is contacted and a person looks at the case.
      this.notifyTeam(
        `UNDECIDABLE:${message.key}`,
        'supervisors',
        'COMPLIANCE_UNDECIDED',
        'Contact held: compliance undecided',
        `Loan ${this.loan.loanId}: ${decision.blockedBy.map((b) => b.reason).join('; ')}`,
      );
    }
  }

  private rememberContact(contact: PastContact): void {
    const horizon = addDaysIso(this.now, -RECENT_CONTACT_DAYS);
    this.state.recentContacts = [...(this.state.recentContacts ?? []).filter((c) => c.at > horizon), contact];
  }

  /** Tells a team once per key; `reason` is a code the timeline's TEAM_NOTIFIED keeps. */
  notifyTeam(key: string, team: 'supervisors' | 'legal', reason: string, subject: string, message: string): void {
    this.once(`TEAM:${key}`, () => this.effects.push({ kind: 'NOTIFY_TEAM', key, team, reason, subject, message }));
  }

  createTask(
    occurrence: string,
    purpose: TaskPurpose,
    dueBy: string,
    extraPriority = 0,
    queue: TaskQueueId = defaultQueueOf(purpose),
    /** A task added by hand: who asked (on the task and on CALLBACK_CREATED) and their note (on the task only). */
    adHoc?: { adHoc: true; requestedBy?: string; note?: string },
  ): CallbackTask | undefined {
    const key = `TASK:${occurrence}`;
    if (this.isDone(key)) return undefined;
    this.markDone(key);
    if (isBorrowerFacing(purpose) && !this.contactAllowed) {
      this.record('CONTACT_SUPPRESSED', this.now, key, { channel: 'CALL', purpose, reason: this.state.status === 'LEGAL' ? 'LEGAL_REFERRAL' : 'LOAN_CLOSED' });
      return undefined;
    }
    const heldUntil = isBorrowerFacing(purpose) ? this.gateCall(key, purpose, occurrence) : undefined;
    if (heldUntil === null) return undefined;
    if (heldUntil) dueBy = new Date(Date.parse(heldUntil) + secondsBetween(this.now, dueBy) * 1000).toISOString();
    const task: CallbackTask = {
      taskId: taskIdOf(this.loan.loanId, occurrence),
      loanId: this.loan.loanId,
      purpose,
      queue,
      priority: this.policy.tasks.basePriority + WARNING_LEVELS.indexOf(this.state.warningLevel) * 10 + extraPriority,
      status: 'OPEN',
      createdAt: this.now,
      dueBy,
      ...(heldUntil ? { heldUntil } : {}),
      requeues: 0,
      ...(adHoc ?? {}),
    };
    this.openTasks.set(task.taskId, task);
    this.effects.push({ kind: 'CREATE_TASK', task });
    this.record('CALLBACK_CREATED', this.now, task.taskId, {
      taskId: task.taskId,
      purpose,
      queue,
      priority: task.priority,
      dueBy,
      ...(heldUntil ? { heldUntil } : {}),
      // The note is free text: it stays on the task, like a call's notes, and never joins the timeline.
      ...(adHoc ? { adHoc: true, ...(adHoc.requestedBy ? { by: adHoc.requestedBy } : {}) } : {}),
    });
    return task;
  }

  /**
   * A call task passes the gate as it is created (the queue asks it again when the task is shown). Held back
   * until a foreseeable moment, the task is created for then and due as much later; with no such moment
   * (do-not-contact, calls opted out) it is not created. Either way CONTACT_SUPPRESSED says why.
   * Returns when the task is held until, undefined when it is not held, null when it is not created.
   */
  private gateCall(key: string, purpose: TaskPurpose, occurrence: string): string | undefined | null {
    const verdict = callVerdict(this.loan, this.state, purpose, this.now, overdueSeqOf(`.${occurrence}`));
    if (verdict.allowed) return undefined;
    this.record('CONTACT_SUPPRESSED', this.now, key, {
      channel: 'CALL',
      purpose,
      reason: verdict.codes[0],
      rules: verdict.codes,
      compliance: verdict.compliance,
      ...(verdict.retryAt ? { deferredUntil: verdict.retryAt } : {}),
    });
    return verdict.retryAt;
  }

  updateTask(task: CallbackTask): void {
    if (task.status === 'OPEN') this.openTasks.set(task.taskId, task);
    else this.openTasks.delete(task.taskId);
    // A task created earlier in this same step (a loan catching up on weeks at once) is written once, as it ends up.
    const created = this.effects.findIndex((e) => (e.kind === 'CREATE_TASK' || e.kind === 'UPDATE_TASK') && e.task.taskId === task.taskId);
    if (created >= 0) this.effects[created] = { ...(this.effects[created] as { kind: 'CREATE_TASK' | 'UPDATE_TASK' }), task } as (typeof this.effects)[number];
    else this.effects.push({ kind: 'UPDATE_TASK', task });
  }

  /** Closes a task nobody is to work any more, and says why on the timeline. */
  cancelTask(task: CallbackTask, reason: string): void {
    this.updateTask({ ...task, status: 'CANCELLED', completedAt: this.now });
    this.record('CALLBACK_CANCELLED', this.now, task.taskId, { taskId: task.taskId, purpose: task.purpose, reason });
  }

  /** Closes the open tasks `which` selects (all of them by default). */
  cancelTasks(reason: string, which: (task: CallbackTask) => boolean = () => true): void {
    for (const task of [...this.openTasks.values()]) if (which(task)) this.cancelTask(task, reason);
  }

  /** Closes borrower-facing tasks that must not be worked any more (legal referral, closure). */
  cancelBorrowerTasks(reason: string): void {
    this.cancelTasks(reason, (task) => isBorrowerFacing(task.purpose));
  }

  /**
   * Money received for the loan (a payment, a payoff, a recovery): applied to the oldest unpaid instalments first,
   * recorded as PAYMENT_RECEIVED under `key`.
   */
  receivePayment(amount: number, at: string, key: string, details: Record<string, unknown> = {}): void {
    const result = applyPayment(this.instalments, amount, at);
    for (const inst of result.instalments) {
      const before = this.instalments.find((i) => i.seq === inst.seq);
      if (before && before.paidAmount !== inst.paidAmount) this.changedInstalments.add(inst.seq);
    }
    this.instalments = result.instalments;
    this.record('PAYMENT_RECEIVED', at, key, { amount, settled: result.settledSeqs, payoff: false, unapplied: result.remainder, ...details });
  }

  hasOpenTask(purpose: TaskPurpose): boolean {
    return [...this.openTasks.values()].some((t) => t.purpose === purpose);
  }

  /** Raises the warning level; never lowers it. Returns whether it changed. */
  raiseWarning(level: WarningLevel, reason: string): boolean {
    if (WARNING_LEVELS.indexOf(level) <= WARNING_LEVELS.indexOf(this.state.warningLevel)) return false;
    const from = this.state.warningLevel;
    this.state.warningLevel = level;
    this.record('WARNING_RAISED', this.now, level, { level, from, reason });
    return true;
  }

  dueByFromNow(days: number): string {
    return addDaysIso(this.now, days);
  }
}
