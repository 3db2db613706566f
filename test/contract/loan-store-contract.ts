// The behaviour every LoanStore must share, run against each implementation (see *-loan-store.test.ts).
import { chainEvents, GENESIS } from '../../workflows/audit/hash-chain.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError, LoanClosedError, LoanNotFoundError, TaskAlreadyAnsweredError, TaskNotFoundError } from '../../functions/errors.js';
import type { CallAttempt, LegalCasePackage, LoanStore, ReceiptStore } from '../../functions/ports.js';
import { SEND_MARKER_TTL_DAYS } from '../../functions/adapters/table-keys.js';
import {
  initialState,
  type AdvanceDecision,
  type Effect,
  type FollowUpSnapshot,
  type InboundEvent,
  type TimelineEvent,
} from '../../workflows/domain/follow-up-state.js';
import type { CallbackTask, Contact, Instalment, Loan, TaskPurpose } from '../../workflows/domain/types.js';
import { testLoan } from '../support/loans.js';

/** Contract tests an implementation is known to fail; each runs as `it.fails` for that implementation only. */
export type KnownDiscrepancy =
  /** A decision too large for one transaction, committed on a stale version, must leave nothing behind. */
  'stale-large-decision-writes-nothing';

export interface LoanStoreUnderTest {
  store: LoanStore & ReceiptStore;
  cleanup?: () => Promise<void>;
}

const ONBOARDED_AT = '2026-03-02T02:00:00.000Z';
const LATER = '2026-03-09T02:00:00.000Z';
const CONTACT: Contact = { phone: '+8613800138000', email: 'wang.fang@example.com' };

/** The contract's loan: a 3-month car loan of 30,000.00 onboarded at ONBOARDED_AT, whose schedule is testInstalments(). */
export function contractLoan(loanId = 'L-100'): Loan {
  return testLoan({ loanId, product: 'car', principal: 3_000_000, termMonths: 3, disbursedAt: ONBOARDED_AT });
}

export function testInstalments(): Instalment[] {
  return [
    { seq: 1, dueDate: '2026-04-02', principal: 993_367, interest: 20_000, amount: 1_013_367, paidAmount: 0 },
    { seq: 2, dueDate: '2026-05-02', principal: 999_989, interest: 13_378, amount: 1_013_367, paidAmount: 0 },
    { seq: 3, dueDate: '2026-06-02', principal: 1_006_644, interest: 6_711, amount: 1_013_355, paidAmount: 0 },
  ];
}

export function testTask(loanId: string, occurrence: string, purpose: TaskPurpose, overrides: Partial<CallbackTask> = {}): CallbackTask {
  return {
    taskId: `${loanId}.${occurrence}`,
    loanId,
    purpose,
    priority: 50,
    status: 'OPEN',
    createdAt: ONBOARDED_AT,
    dueBy: '2026-03-05T02:00:00.000Z',
    requeues: 0,
    ...overrides,
  };
}

/** A call as record-callback-outcome records it: the attempt after the ones the task shows now. Returns the task after. */
export async function recordCall(store: LoanStore, taskId: string, outcome: CallAttempt['outcome'], requestId?: string): Promise<CallbackTask> {
  const seenAttempts = (await store.getTask(taskId))?.attempts ?? 0;
  await store.recordCallAttempt({ taskId, seenAttempts, requestId, outcome, event: callEvent(taskId, seenAttempts + 1, outcome) });
  return (await store.getTask(taskId))!;
}

export function callEvent(taskId: string, attempt: number, outcome: CallAttempt['outcome']): InboundEvent {
  return {
    type: 'CALLBACK_OUTCOME',
    eventId: `${taskId}#${attempt}`,
    at: outcome.at,
    taskId,
    purpose: 'FIRST_CONTACT',
    outcome: outcome.outcome,
    findings: outcome.findings,
    final: outcome.final,
    by: outcome.by,
  };
}

function event(loanId: string, at: string, key: string, type = 'NOTE'): TimelineEvent {
  return { loanId, at, type, key, note: `${type} at ${at}` };
}

function payment(eventId: string, at: string, amount = 1_013_367): InboundEvent {
  return { type: 'PAYMENT_RECEIVED', eventId, at, amount };
}

function legalCase(loanId: string, caseId: string): LegalCasePackage {
  return {
    caseId,
    loanId,
    referredAt: LATER,
    reason: 'evasion',
    loan: contractLoan(loanId),
    instalments: testInstalments(),
    tasks: [testTask(loanId, 'COLLECTION.2026-04-20', 'COLLECTION', { status: 'DONE', outcome: 'REFUSED', findings: ['evasion'], completedAt: LATER })],
    timeline: [event(loanId, LATER, 'LEGAL_REFERRAL:1', 'LEGAL_REFERRAL')],
    warningLevel: 'ADVANCED',
    classification: 'DOUBTFUL',
  };
}

/** A step's outcome on top of a snapshot: nothing changes unless `changes` says so. */
function decisionOn(snapshot: FollowUpSnapshot, changes: Partial<AdvanceDecision> = {}): AdvanceDecision {
  return {
    state: { ...snapshot.state, lastAdvancedAt: LATER },
    instalments: snapshot.instalments,
    changedInstalments: [],
    effects: [],
    timeline: [],
    action: 'WAIT',
    wakeAt: null,
    ...changes,
  };
}

function paidFirstInstalment(instalments: Instalment[]): Instalment[] {
  return instalments.map((i) => (i.seq === 1 ? { ...i, paidAmount: i.amount, paidAt: LATER } : i));
}

export function describeLoanStoreContract(
  name: string,
  makeStore: () => Promise<LoanStoreUnderTest>,
  options: { knownDiscrepancies?: KnownDiscrepancy[] } = {},
): void {
  const itUnlessKnown = (discrepancy: KnownDiscrepancy) => (options.knownDiscrepancies?.includes(discrepancy) ? it.fails : it);

  describe(`LoanStore contract: ${name}`, () => {
    let store: LoanStore & ReceiptStore;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    async function onboard(loanId = 'L-100'): Promise<FollowUpSnapshot & { version: number }> {
      expect(
        await store.createLoan({
          loan: contractLoan(loanId),
          contact: CONTACT,
          instalments: testInstalments(),
          requestHash: `hash-${loanId}`,
          now: ONBOARDED_AT,
        }),
      ).toBe(true);
      return (await store.getSnapshot(loanId))!;
    }

    /** Everything a decision could have touched, to show that a refused one left no trace. */
    async function everything(loanId = 'L-100') {
      return {
        snapshot: await store.getSnapshot(loanId),
        tasks: await store.listTasks(loanId),
        timeline: await store.listTimeline(loanId),
        inbox: await store.listInbox(loanId),
      };
    }

    /** What the store holds of L-100 right after onboarding: the snapshot, and the loan's record. */
    const justOnboarded = () => ({
      loan: contractLoan(),
      instalments: testInstalments(),
      state: initialState(ONBOARDED_AT),
      openTasks: [],
      version: 0,
      inbox: [],
    });
    const storedAtOnboarding = () => ({
      loan: contractLoan(),
      state: expect.objectContaining({ status: 'ACTIVE', warningLevel: 'NONE' }),
      requestHash: 'hash-L-100',
    });

    describe('onboarding', () => {
      it('creates loan, contact, schedule and the initial state at version 0', async () => {
        const snapshot = await onboard();
        expect(snapshot).toEqual(justOnboarded());
        expect(await store.getLoan('L-100')).toEqual(storedAtOnboarding());
        expect(await store.getContact('L-100')).toEqual(CONTACT);
      });

      it('returns false for an existing loan and writes nothing', async () => {
        await onboard();
        const again = await store.createLoan({
          loan: { ...contractLoan(), principal: 9_999_999 },
          contact: { phone: '+8613900000000', email: 'other@example.com' },
          instalments: testInstalments().map((i) => ({ ...i, amount: 1 })),
          requestHash: 'other-hash',
          now: LATER,
        });
        expect(again).toBe(false);
        expect(await store.getLoan('L-100')).toEqual(storedAtOnboarding());
        expect(await store.getContact('L-100')).toEqual(CONTACT);
        expect(await store.getSnapshot('L-100')).toEqual(justOnboarded());
      });

      it('knows nothing of a loan that was never created', async () => {
        await onboard();
        expect(await store.getLoan('L-404')).toBeUndefined();
        expect(await store.getContact('L-404')).toBeUndefined();
        expect(await store.getSnapshot('L-404')).toBeUndefined();
        expect(await store.getWaitToken('L-404')).toBeUndefined();
        expect(await store.getLegalCase('L-404')).toBeUndefined();
        expect(await store.getTask('L-404.FIRST_CONTACT')).toBeUndefined();
        expect(await store.getTaskAndLoan('L-404.FIRST_CONTACT')).toEqual({ task: undefined, loan: undefined });
        expect(await store.listTimeline('L-404')).toEqual([]);
        expect(await store.listTasks('L-404')).toEqual([]);
        expect(await store.listInbox('L-404')).toEqual([]);
      });

      it('lists every loan by loanId with where its follow-up stands', async () => {
        for (const loanId of ['L-300', 'L-100', 'L-200']) await onboard(loanId);
        const snapshot = (await store.getSnapshot('L-200'))!;
        await store.commitDecision(
          'L-200',
          0,
          decisionOn(snapshot, { state: { ...snapshot.state, status: 'LEGAL', generation: 1, lastAdvancedAt: LATER } }),
          [],
        );
        expect(await store.listLoans()).toEqual([
          { loanId: 'L-100', status: 'ACTIVE', generation: 0, lastAdvancedAt: ONBOARDED_AT },
          { loanId: 'L-200', status: 'LEGAL', generation: 1, lastAdvancedAt: LATER },
          { loanId: 'L-300', status: 'ACTIVE', generation: 0, lastAdvancedAt: ONBOARDED_AT },
        ]);
      });

      it('lists no loans in an empty store', async () => {
        expect(await store.listLoans()).toEqual([]);
      });
    });

    describe('contact', () => {
      it('updates only the fields given', async () => {
        await onboard();
        await store.updateContact('L-100', { phone: '+8613911112222' });
        expect(await store.getContact('L-100')).toEqual({ ...CONTACT, phone: '+8613911112222' });
        await store.updateContact('L-100', { phone: undefined, email: 'new@example.com' });
        expect(await store.getContact('L-100')).toEqual({ phone: '+8613911112222', email: 'new@example.com' });
        await store.updateContact('L-100', {});
        expect(await store.getContact('L-100')).toEqual({ phone: '+8613911112222', email: 'new@example.com' });
      });
    });

    describe('snapshots are copies', () => {
      it('cannot be changed through returned objects or the objects passed in', async () => {
        const loan = contractLoan();
        const instalments = testInstalments();
        await store.createLoan({ loan, contact: { ...CONTACT }, instalments, requestHash: 'h', now: ONBOARDED_AT });
        loan.principal = 1;
        instalments[0]!.paidAmount = 1;

        const first = (await store.getSnapshot('L-100'))!;
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        const decision = decisionOn(first, { effects: [{ kind: 'CREATE_TASK', task }] });
        await store.commitDecision('L-100', 0, decision, []);
        decision.state.done.push('MUTATED');
        task.priority = -1;

        const snapshot = (await store.getSnapshot('L-100'))!;
        snapshot.loan.principal = 2;
        snapshot.instalments[1]!.amount = 2;
        snapshot.state.done.push('MUTATED');
        snapshot.openTasks[0]!.status = 'DONE';
        (await store.getLoan('L-100'))!.loan.termMonths = 99;
        (await store.getTask(task.taskId))!.findings = ['evasion'];

        expect(await store.getSnapshot('L-100')).toEqual({
          loan: contractLoan(),
          instalments: testInstalments(),
          state: { ...initialState(ONBOARDED_AT), lastAdvancedAt: LATER },
          openTasks: [testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT')],
          version: 1,
          inbox: [],
        });
        expect(await store.getLoan('L-100')).toEqual({ loan: contractLoan(), state: expect.objectContaining({ status: 'ACTIVE' }), requestHash: 'h' });
      });
    });

    describe('commitDecision', () => {
      it('writes state, changed instalments, new tasks and timeline, and bumps the version', async () => {
        const snapshot = await onboard();
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        const instalments = paidFirstInstalment(snapshot.instalments).map((i) => (i.seq === 3 ? { ...i, amount: 0 } : i));
        const timeline = [
          event('L-100', LATER, 'PAYMENT:1', 'PAYMENT_RECORDED'),
          event('L-100', LATER, 'CALLBACK_CREATED:L-100.FIRST_CONTACT', 'CALLBACK_CREATED'),
        ];
        const state = { ...snapshot.state, done: ['TASK:FIRST_CONTACT'], warningLevel: 'PRIMARY' as const, lastAdvancedAt: LATER };
        await store.commitDecision(
          'L-100',
          0,
          decisionOn(snapshot, { state, instalments, changedInstalments: [1], effects: [{ kind: 'CREATE_TASK', task }], timeline }),
          [],
        );

        // Instalment 3 changed in the decision but was not listed as changed: it is not written.
        expect(await store.getSnapshot('L-100')).toEqual({
          loan: contractLoan(),
          instalments: paidFirstInstalment(testInstalments()),
          state,
          openTasks: [task],
          version: 1,
          inbox: [],
        });
        expect(await store.listTasks('L-100')).toEqual([task]);
        expect(await store.getTask(task.taskId)).toEqual(task);
        expect(await store.listTimeline('L-100')).toEqual([timeline[1], timeline[0]]);
      });

      it('deletes the instalments a restructure removed, with the rest of the step', async () => {
        const snapshot = await onboard();
        const last = snapshot.instalments.at(-1)!.seq;
        const instalments = snapshot.instalments.filter((i) => i.seq !== last).map((i) => (i.seq === 1 ? { ...i, amount: i.amount + 1 } : i));
        await store.commitDecision('L-100', 0, decisionOn(snapshot, { instalments, changedInstalments: [1], removedInstalments: [last] }), []);
        expect((await store.getSnapshot('L-100'))!.instalments).toEqual(instalments);
      });

      it('ignores effects that are not task writes', async () => {
        const snapshot = await onboard();
        const effects: Effect[] = [
          {
            kind: 'SEND_MESSAGE',
            key: 'WELCOME:SMS',
            channel: 'SMS',
            purpose: 'WELCOME',
            template: 'welcome',
            params: { loanRef: 'L-1' },
            compliance: 'cn@2026-11-01',
          },
          { kind: 'NOTIFY_TEAM', key: 'OVERDUE:x', team: 'supervisors', reason: 'OVERDUE', subject: 's', message: 'm' },
          { kind: 'LEGAL_REFERRAL', caseId: 'C-1', reason: 'evasion' },
        ];
        await store.commitDecision('L-100', 0, decisionOn(snapshot, { effects }), []);
        expect(await everything()).toEqual({
          snapshot: { ...snapshot, state: { ...snapshot.state, lastAdvancedAt: LATER }, version: 1 },
          tasks: [],
          timeline: [],
          inbox: [],
        });
      });

      it('pins the time a step decided at until its commit, only at the version it was read at', async () => {
        const snapshot = await onboard();
        await store.pinStep('L-100', { version: 0, at: LATER });
        expect((await store.getSnapshot('L-100'))!.pinnedStep).toEqual({ version: 0, at: LATER });
        await expect(store.pinStep('L-100', { version: 3, at: LATER })).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect((await store.getSnapshot('L-100'))!.pinnedStep).toEqual({ version: 0, at: LATER });
        await store.commitDecision('L-100', 0, decisionOn(snapshot), []);
        const committed = (await store.getSnapshot('L-100'))!;
        expect(committed.version).toBe(1);
        expect(committed.pinnedStep).toBeUndefined();
      });

      it('throws ConcurrentUpdateError when the version moved, and writes nothing of the decision', async () => {
        const snapshot = await onboard();
        await store.appendInbox('L-100', payment('E1', LATER));
        await store.commitDecision('L-100', 0, decisionOn(snapshot), []);
        const before = await everything();

        const stale = decisionOn(snapshot, {
          state: { ...snapshot.state, warningLevel: 'ADVANCED' },
          instalments: paidFirstInstalment(snapshot.instalments),
          changedInstalments: [1],
          effects: [{ kind: 'CREATE_TASK', task: testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT') }],
          timeline: [event('L-100', LATER, 'PAYMENT:E1')],
        });
        await expect(store.commitDecision('L-100', 0, stale, [payment('E1', LATER)])).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await everything()).toEqual(before);
        expect(before.snapshot?.version).toBe(1);
        expect(before.inbox).toEqual([payment('E1', LATER)]);
      });

      it('throws ConcurrentUpdateError for a loan that does not exist', async () => {
        const snapshot = await onboard();
        await expect(store.commitDecision('L-404', 0, decisionOn(snapshot), [])).rejects.toBeInstanceOf(ConcurrentUpdateError);
      });

      it('refuses to create a task that already exists, atomically', async () => {
        const snapshot = await onboard();
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await store.commitDecision('L-100', 0, decisionOn(snapshot, { effects: [{ kind: 'CREATE_TASK', task }] }), []);
        await store.appendInbox('L-100', payment('E1', LATER));
        const current = (await store.getSnapshot('L-100'))!;
        const before = await everything();

        const again = decisionOn(current, {
          state: { ...current.state, done: ['PAYMENT:E1'] },
          instalments: paidFirstInstalment(current.instalments),
          changedInstalments: [1],
          effects: [
            { kind: 'CREATE_TASK', task: testTask('L-100', 'DAY30_CHECK', 'DAY30_CHECK') },
            { kind: 'CREATE_TASK', task: { ...task, priority: 99 } },
          ],
          timeline: [event('L-100', LATER, 'PAYMENT:E1')],
        });
        await expect(store.commitDecision('L-100', 1, again, current.inbox)).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await everything()).toEqual(before);
      });

      it('updates an open task; a task no longer open leaves openTasks but stays listed', async () => {
        const snapshot = await onboard();
        const first = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        const periodic = testTask('L-100', 'PERIODIC.2026-03-02', 'PERIODIC');
        await store.commitDecision(
          'L-100',
          0,
          decisionOn(snapshot, {
            effects: [
              { kind: 'CREATE_TASK', task: first },
              { kind: 'CREATE_TASK', task: periodic },
            ],
          }),
          [],
        );
        const requeued = { ...first, requeues: 1, priority: 60, dueBy: LATER };
        const cancelled: CallbackTask = { ...periodic, status: 'CANCELLED', completedAt: LATER };
        await store.commitDecision(
          'L-100',
          1,
          decisionOn(snapshot, {
            effects: [
              { kind: 'UPDATE_TASK', task: requeued },
              { kind: 'UPDATE_TASK', task: cancelled },
            ],
          }),
          [],
        );

        expect((await store.getSnapshot('L-100'))!.openTasks).toEqual([requeued]);
        expect(await store.listTasks('L-100')).toEqual([requeued, cancelled]);
      });

      it('refuses to update a task that is not open, or missing, atomically', async () => {
        const snapshot = await onboard();
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await store.commitDecision('L-100', 0, decisionOn(snapshot, { effects: [{ kind: 'CREATE_TASK', task }] }), []);
        await recordCall(store, task.taskId, { outcome: 'REACHED', findings: ['funds_received'], final: true, at: LATER, by: 'agent-7' });
        const current = (await store.getSnapshot('L-100'))!;
        const before = await everything();

        for (const target of [{ ...task, requeues: 1 }, testTask('L-100', 'DAY60_CHECK', 'DAY60_CHECK')]) {
          const decision = decisionOn(current, {
            instalments: paidFirstInstalment(current.instalments),
            changedInstalments: [1],
            effects: [
              { kind: 'CREATE_TASK', task: testTask('L-100', 'DAY30_CHECK', 'DAY30_CHECK') },
              { kind: 'UPDATE_TASK', task: target },
            ],
            timeline: [event('L-100', LATER, 'CALLBACK_OVERDUE:x')],
          });
          await expect(store.commitDecision('L-100', 1, decision, [])).rejects.toBeInstanceOf(ConcurrentUpdateError);
          expect(await everything()).toEqual(before);
        }
      });

      it('deletes only the consumed inbox events, named by the events the snapshot returned', async () => {
        await onboard();
        await onboard('L-200');
        await store.appendInbox('L-100', payment('E1', '2026-03-05T00:00:00.000Z'));
        await store.appendInbox('L-100', payment('E2', '2026-03-06T00:00:00.000Z'));
        await store.appendInbox('L-100', payment('E3', '2026-03-07T00:00:00.000Z'));
        await store.appendInbox('L-200', payment('E1', '2026-03-05T00:00:00.000Z'));
        const snapshot = (await store.getSnapshot('L-100'))!;
        expect(snapshot.inbox.map((e) => e.eventId)).toEqual(['E1', 'E2', 'E3']);
        await store.commitDecision(
          'L-100',
          0,
          decisionOn(snapshot),
          snapshot.inbox.filter((e) => e.eventId !== 'E2'),
        );
        expect(await store.listInbox('L-100')).toEqual([payment('E2', '2026-03-06T00:00:00.000Z')]);
        expect(await store.listInbox('L-200')).toEqual([payment('E1', '2026-03-05T00:00:00.000Z')]);
      });

      it('records a timeline event already on the timeline only once', async () => {
        const snapshot = await onboard();
        const recorded = event('L-100', LATER, 'WARNING_RAISED:PRIMARY', 'WARNING_RAISED');
        await store.appendTimeline([recorded]);
        await store.commitDecision('L-100', 0, decisionOn(snapshot, { timeline: [recorded, event('L-100', LATER, 'WARNING_RAISED:INTERMEDIATE')] }), []);
        expect((await store.listTimeline('L-100')).map((e) => e.key)).toEqual(['WARNING_RAISED:INTERMEDIATE', 'WARNING_RAISED:PRIMARY']);
      });

      it('rejects a decision that writes one item twice, as a transaction would, and writes nothing', async () => {
        const snapshot = await onboard();
        const before = await everything();
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        const decision = decisionOn(snapshot, {
          effects: [
            { kind: 'CREATE_TASK', task },
            { kind: 'UPDATE_TASK', task: { ...task, status: 'CANCELLED' } },
          ],
          timeline: [event('L-100', LATER, 'X')],
        });
        await expect(store.commitDecision('L-100', 0, decision, [])).rejects.toMatchObject({ name: 'ValidationException' });
        expect(await everything()).toEqual(before);
      });

      it('commits a decision with more items than one transaction holds', async () => {
        const snapshot = await onboard();
        const tasks = Array.from({ length: 101 }, (_, n) => testTask('L-100', `PERIODIC.${String(n).padStart(3, '0')}`, 'PERIODIC'));
        const timeline = Array.from({ length: 30 }, (_, n) => event('L-100', LATER, `E${String(n).padStart(2, '0')}`));
        const decision = decisionOn(snapshot, {
          instalments: paidFirstInstalment(snapshot.instalments),
          changedInstalments: [1],
          effects: tasks.map((task) => ({ kind: 'CREATE_TASK' as const, task })),
          timeline,
        });
        await store.commitDecision('L-100', 0, decision, []);
        const after = (await store.getSnapshot('L-100'))!;
        expect(after.version).toBe(1);
        expect(after.instalments).toEqual(paidFirstInstalment(testInstalments()));
        expect(after.openTasks).toEqual(tasks);
        expect(await store.listTimeline('L-100')).toEqual(timeline);
      });

      // Timeline events are left out on purpose: DynamoLoanStore writes them ahead of the transaction when a
      // decision is large, as idempotent puts, by design.
      itUnlessKnown('stale-large-decision-writes-nothing')('writes no instalment or task of a stale decision too large for one transaction', async () => {
        const snapshot = await onboard();
        await store.commitDecision('L-100', 0, decisionOn(snapshot), []);
        const before = await everything();
        const tasks = Array.from({ length: 101 }, (_, n) => testTask('L-100', `PERIODIC.${String(n).padStart(3, '0')}`, 'PERIODIC'));
        const stale = decisionOn(snapshot, {
          instalments: paidFirstInstalment(snapshot.instalments),
          changedInstalments: [1],
          effects: tasks.map((task) => ({ kind: 'CREATE_TASK' as const, task })),
        });
        await expect(store.commitDecision('L-100', 0, stale, [])).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await everything()).toEqual(before);
      });
    });

    describe('timeline', () => {
      it('lists events by time, then key, in string order', async () => {
        const events = [
          event('L-100', '2026-03-09T02:00:00.000Z', 'b'),
          event('L-100', '2026-03-02T02:00:00.000Z', 'z'),
          event('L-100', '2026-03-09T02:00:00.000Z', 'B'),
          event('L-100', '2026-03-09T02:00:00.000Z', 'a:10'),
          event('L-100', '2026-03-09T02:00:00.000Z', 'a:9'),
          event('L-200', '2026-03-01T00:00:00.000Z', 'other-loan'),
        ];
        await store.appendTimeline(events);
        expect((await store.listTimeline('L-100')).map((e) => `${e.at} ${e.key}`)).toEqual([
          '2026-03-02T02:00:00.000Z z',
          '2026-03-09T02:00:00.000Z B',
          '2026-03-09T02:00:00.000Z a:10',
          '2026-03-09T02:00:00.000Z a:9',
          '2026-03-09T02:00:00.000Z b',
        ]);
        expect(await store.listTimeline('L-200')).toEqual([events[5]]);
      });

      it('appends more events than one batch holds, each key once', async () => {
        const events = Array.from({ length: 60 }, (_, n) => event('L-100', LATER, `K${String(n).padStart(2, '0')}`));
        await store.appendTimeline(events);
        await store.appendTimeline(events.slice(10, 40));
        await store.appendTimeline([]);
        expect(await store.listTimeline('L-100')).toEqual(events);
      });
    });

    describe('tasks', () => {
      async function withTasks(...tasks: CallbackTask[]): Promise<void> {
        const snapshot = await onboard();
        await store.commitDecision('L-100', 0, decisionOn(snapshot, { effects: tasks.map((task) => ({ kind: 'CREATE_TASK' as const, task })) }), []);
      }

      it('lists tasks by taskId in string order and gets one by id', async () => {
        const tasks = [
          testTask('L-100', 'PERIODIC.2026-04-02', 'PERIODIC'),
          testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT'),
          testTask('L-100', 'DAY30_CHECK', 'DAY30_CHECK'),
          testTask('L-100', 'COLLECTION.2026-04-10', 'COLLECTION', { priority: 80 }),
        ];
        await withTasks(...tasks);
        expect((await store.listTasks('L-100')).map((t) => t.taskId)).toEqual([
          'L-100.COLLECTION.2026-04-10',
          'L-100.DAY30_CHECK',
          'L-100.FIRST_CONTACT',
          'L-100.PERIODIC.2026-04-02',
        ]);
        expect(await store.getTask('L-100.COLLECTION.2026-04-10')).toEqual(tasks[3]);
        expect(await store.getTask('L-100.NOPE')).toBeUndefined();
      });

      it('reads a task with its loan, as recording a call needs them', async () => {
        const task = testTask('L-100', 'DAY30_CHECK', 'DAY30_CHECK');
        await withTasks(task);
        const loan = await store.getLoan('L-100');
        expect(await store.getTaskAndLoan(task.taskId)).toEqual({ task, loan });
        expect(await store.getTaskAndLoan('L-100.NOPE')).toEqual({ task: undefined, loan });
      });

      it('keeps a task open on a non-final outcome and counts attempts', async () => {
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await withTasks(task);
        const first = await recordCall(store, task.taskId, { outcome: 'NO_ANSWER', findings: [], final: false, at: '2026-03-03T02:00:00.000Z', by: 'agent-7' });
        expect(first).toEqual({
          ...task,
          outcome: 'NO_ANSWER',
          findings: [],
          lastAttemptAt: '2026-03-03T02:00:00.000Z',
          lastAttemptBy: 'agent-7',
          notes: '',
          attempts: 1,
        });
        const second = await recordCall(store, task.taskId, {
          outcome: 'NO_ANSWER',
          findings: [],
          final: false,
          at: '2026-03-04T02:00:00.000Z',
          by: 'agent-8',
          notes: 'voicemail',
        });
        expect(second).toMatchObject({ status: 'OPEN', attempts: 2, lastAttemptAt: '2026-03-04T02:00:00.000Z', lastAttemptBy: 'agent-8', notes: 'voicemail' });
        expect(await store.getTask(task.taskId)).toEqual(second);
        expect((await store.getSnapshot('L-100'))!.openTasks).toEqual([second]);
      });

      it('closes a task on a final outcome and rejects a second answer', async () => {
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        const other = testTask('L-100', 'DAY30_CHECK', 'DAY30_CHECK');
        await withTasks(task, other);
        await recordCall(store, task.taskId, { outcome: 'NO_ANSWER', findings: [], final: false, at: '2026-03-03T02:00:00.000Z', by: 'agent-7' });
        const done = await recordCall(store, task.taskId, {
          outcome: 'REACHED',
          findings: ['funds_received', 'vehicle_delivered'],
          final: true,
          at: '2026-03-04T02:00:00.000Z',
          by: 'agent-8',
          notes: 'all fine',
        });
        expect(done).toEqual({
          ...task,
          status: 'DONE',
          outcome: 'REACHED',
          findings: ['funds_received', 'vehicle_delivered'],
          completedAt: '2026-03-04T02:00:00.000Z',
          completedBy: 'agent-8',
          lastAttemptAt: '2026-03-03T02:00:00.000Z',
          lastAttemptBy: 'agent-7',
          notes: 'all fine',
          attempts: 2,
        });
        expect(await store.getTask(task.taskId)).toEqual(done);
        expect((await store.getSnapshot('L-100'))!.openTasks).toEqual([other]);

        const secondAnswer = recordCall(store, task.taskId, { outcome: 'REFUSED', findings: ['evasion'], final: true, at: LATER, by: 'agent-9' });
        await expect(secondAnswer).rejects.toBeInstanceOf(TaskAlreadyAnsweredError);
        expect(await store.getTask(task.taskId)).toEqual(done);
      });

      it('rejects an answer to a cancelled task, and to a task that does not exist', async () => {
        const snapshot = await onboard();
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await store.commitDecision('L-100', 0, decisionOn(snapshot, { effects: [{ kind: 'CREATE_TASK', task }] }), []);
        await store.commitDecision(
          'L-100',
          1,
          decisionOn(snapshot, { effects: [{ kind: 'UPDATE_TASK', task: { ...task, status: 'CANCELLED', completedAt: LATER } }] }),
          [],
        );
        const answer = { outcome: 'REACHED' as const, findings: [], final: true, at: LATER, by: 'agent-7' };
        await expect(recordCall(store, task.taskId, answer)).rejects.toBeInstanceOf(TaskAlreadyAnsweredError);
        await expect(recordCall(store, 'L-100.NOPE', answer)).rejects.toBeInstanceOf(TaskNotFoundError);
        await expect(recordCall(store, 'L-404.FIRST_CONTACT', answer)).rejects.toBeInstanceOf(TaskNotFoundError);
      });

      it('records a call and its event for the loan together', async () => {
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await withTasks(task);
        const outcome = { outcome: 'NO_ANSWER' as const, findings: [], final: false, at: LATER, by: 'agent-7' };
        await recordCall(store, task.taskId, outcome, 'req-0001');
        expect(await store.listInbox('L-100')).toEqual([callEvent(task.taskId, 1, outcome)]);
        expect(await store.getTask(task.taskId)).toMatchObject({ attempts: 1, requestIds: ['req-0001'] });
      });

      it('recognises a request sent again with its requestId: nothing written, the task as that call left it', async () => {
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await withTasks(task);
        const outcome = { outcome: 'NO_ANSWER' as const, findings: [], final: false, at: LATER, by: 'agent-7' };
        const recorded = await recordCall(store, task.taskId, outcome, 'req-0001');
        const before = await everything();
        // The retry read the task before the first request landed: it sends the same attempt number.
        const again = await store.recordCallAttempt({
          taskId: task.taskId,
          seenAttempts: 0,
          requestId: 'req-0001',
          outcome,
          event: callEvent(task.taskId, 1, outcome),
        });
        expect(again).toEqual({ replayed: true, task: recorded });
        // Or after: the next attempt number, same requestId.
        const later = await store.recordCallAttempt({
          taskId: task.taskId,
          seenAttempts: 1,
          requestId: 'req-0001',
          outcome,
          event: callEvent(task.taskId, 2, outcome),
        });
        expect(later).toEqual({ replayed: true, task: recorded });
        expect(await everything()).toEqual(before);
      });

      it('refuses a call when another was recorded since the task was read (ConcurrentUpdateError), writing nothing', async () => {
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await withTasks(task);
        const outcome = { outcome: 'NO_ANSWER' as const, findings: [], final: false, at: LATER, by: 'agent-7' };
        await store.recordCallAttempt({ taskId: task.taskId, seenAttempts: 0, requestId: 'req-agent-7', outcome, event: callEvent(task.taskId, 1, outcome) });
        const before = await everything();
        const other = { ...outcome, by: 'agent-8' };
        await expect(
          store.recordCallAttempt({ taskId: task.taskId, seenAttempts: 0, requestId: 'req-agent-8', outcome: other, event: callEvent(task.taskId, 1, other) }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await everything()).toEqual(before);
      });

      it('refuses to commit a step that rewrites a task a call was recorded on since its snapshot, atomically', async () => {
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await withTasks(task);
        const snapshot = (await store.getSnapshot('L-100'))!;
        await recordCall(store, task.taskId, { outcome: 'NO_ANSWER', findings: [], final: false, at: LATER, by: 'agent-7' }, 'req-0001');
        const before = await everything();
        const requeued = { ...snapshot.openTasks[0]!, requeues: 1 };
        await expect(
          store.commitDecision('L-100', snapshot.version, decisionOn(snapshot, { effects: [{ kind: 'UPDATE_TASK', task: requeued }] }), []),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await everything()).toEqual(before);
        // From a fresh snapshot it goes through and keeps the call.
        const fresh = (await store.getSnapshot('L-100'))!;
        await store.commitDecision(
          'L-100',
          fresh.version,
          decisionOn(fresh, { effects: [{ kind: 'UPDATE_TASK', task: { ...fresh.openTasks[0]!, requeues: 1 } }] }),
          [],
        );
        expect(await store.getTask(task.taskId)).toMatchObject({ requeues: 1, attempts: 1, requestIds: ['req-0001'] });
      });
    });

    describe('inbox', () => {
      it('lists events by time, then eventId', async () => {
        await onboard();
        const events: InboundEvent[] = [
          payment('E3', '2026-03-07T00:00:00.000Z'),
          { type: 'HARDSHIP_REPORTED', eventId: 'E2', at: '2026-03-05T00:00:00.000Z', findings: ['hardship', 'income_decline'] },
          { type: 'OPTED_OUT', eventId: 'E1', at: '2026-03-05T00:00:00.000Z', channels: ['SMS'] },
        ];
        for (const e of events) await store.appendInbox('L-100', e);
        expect(await store.listInbox('L-100')).toEqual([events[2], events[1], events[0]]);
        // The snapshot carries them too, in the same order: a step reads its loan with one Query.
        expect((await store.getSnapshot('L-100'))!.inbox).toEqual([events[2], events[1], events[0]]);
        events[0]!.at = 'mutated';
        expect((await store.getSnapshot('L-100'))!.inbox[2]).toEqual(payment('E3', '2026-03-07T00:00:00.000Z'));
      });
    });

    describe('wait tokens', () => {
      it('stores a token only for the live generation or a newer one', async () => {
        const snapshot = await onboard();
        expect(await store.getWaitToken('L-100')).toBeUndefined();
        expect(await store.setWaitToken('L-100', 0, 'token-g0')).toBe('WAITING');
        expect(await store.getWaitToken('L-100')).toBe('token-g0');

        await store.commitDecision('L-100', 0, decisionOn(snapshot, { state: { ...snapshot.state, generation: 2, generationStartedAt: LATER } }), []);
        expect(await store.setWaitToken('L-100', 1, 'token-g1')).toBe('STALE');
        expect(await store.getWaitToken('L-100')).toBe('token-g0');
        expect(await store.setWaitToken('L-100', 2, 'token-g2')).toBe('WAITING');
        expect(await store.getWaitToken('L-100')).toBe('token-g2');
        expect(await store.setWaitToken('L-100', 3, 'token-g3')).toBe('WAITING');
        expect(await store.getWaitToken('L-100')).toBe('token-g3');
        // The token rides on the loan record without moving its version.
        expect((await store.getSnapshot('L-100'))!.version).toBe(1);
      });

      it('says when events reached the inbox that no committed step consumed, counting each event once', async () => {
        await onboard();
        await store.appendInbox('L-100', payment('E1', LATER));
        await store.appendInbox('L-100', payment('E1', LATER));
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        const withTask = (await store.getSnapshot('L-100'))!;
        await store.commitDecision('L-100', 0, decisionOn(withTask, { effects: [{ kind: 'CREATE_TASK', task }] }), []);
        const outcome = { outcome: 'NO_ANSWER' as const, findings: [], final: false, at: LATER, by: 'agent-7' };
        await store.recordCallAttempt({ taskId: task.taskId, seenAttempts: 0, outcome, event: callEvent(task.taskId, 1, outcome) });
        expect(await store.listInbox('L-100')).toHaveLength(2);
        expect(await store.setWaitToken('L-100', 0, 'token-1')).toBe('EVENTS_PENDING');

        // A step consumes one of them: one still pending.
        const snapshot = (await store.getSnapshot('L-100'))!;
        await store.commitDecision(
          'L-100',
          1,
          decisionOn(snapshot),
          snapshot.inbox.filter((e) => e.eventId === 'E1'),
        );
        expect(await store.setWaitToken('L-100', 0, 'token-2')).toBe('EVENTS_PENDING');
        const next = (await store.getSnapshot('L-100'))!;
        await store.commitDecision('L-100', 2, decisionOn(next), next.inbox);
        expect(await store.listInbox('L-100')).toEqual([]);
        expect(await store.setWaitToken('L-100', 0, 'token-3')).toBe('WAITING');
      });

      it('refuses an event for a loan that does not exist, writing nothing', async () => {
        await expect(store.appendInbox('L-404', payment('E1', LATER))).rejects.toBeInstanceOf(LoanNotFoundError);
        expect(await store.listInbox('L-404')).toEqual([]);
        expect(await store.getLoan('L-404')).toBeUndefined();
      });

      it('refuses an event for a closed loan, writing nothing', async () => {
        await onboard();
        const snapshot = (await store.getSnapshot('L-100'))!;
        await store.commitDecision('L-100', 0, decisionOn(snapshot, { state: { ...snapshot.state, status: 'CLOSED' }, action: 'CLOSE' }), []);
        await expect(store.appendInbox('L-100', payment('E1', LATER))).rejects.toBeInstanceOf(LoanClosedError);
        expect(await store.listInbox('L-100')).toEqual([]);
        // Nothing counted for AwaitEvent either.
        expect(await store.setWaitToken('L-100', 0, 'token')).toBe('WAITING');
      });

      it('refuses a token for a loan that does not exist', async () => {
        expect(await store.setWaitToken('L-404', 0, 'token')).toBe('STALE');
        expect(await store.getWaitToken('L-404')).toBeUndefined();
        expect(await store.getSnapshot('L-404')).toBeUndefined();
      });
    });

    describe('send markers', () => {
      it('claims a key once; later claims see the existing record', async () => {
        await onboard();
        expect(await store.claimSend('L-100', 'WELCOME:SMS', LATER)).toBeUndefined();
        expect(await store.claimSend('L-100', 'WELCOME:SMS', LATER)).toMatchObject({ key: 'WELCOME:SMS', status: 'CLAIMED' });
        expect((await store.claimSend('L-100', 'WELCOME:SMS', LATER))?.messageId).toBeUndefined();
        await store.markSent('L-100', 'WELCOME:SMS', 'msg-1');
        expect(await store.claimSend('L-100', 'WELCOME:SMS', LATER)).toEqual({ key: 'WELCOME:SMS', status: 'SENT', claimedAt: LATER, messageId: 'msg-1' });
        // Keys are per loan and per send.
        expect(await store.claimSend('L-100', 'WELCOME:EMAIL', LATER)).toBeUndefined();
        expect(await store.claimSend('L-200', 'WELCOME:SMS', LATER)).toBeUndefined();
      });

      it('keeps when a key was claimed, so an in-doubt send can bound its search for a receipt', async () => {
        await onboard();
        expect(await store.claimSend('L-100', 'WELCOME:SMS', ONBOARDED_AT)).toBeUndefined();
        expect(await store.claimSend('L-100', 'WELCOME:SMS', LATER)).toEqual({ key: 'WELCOME:SMS', status: 'CLAIMED', claimedAt: ONBOARDED_AT });
      });

      it('hands an in-doubt claim over to exactly one later attempt, and never a claim already SENT', async () => {
        await onboard();
        await store.claimSend('L-100', 'WELCOME:SMS', ONBOARDED_AT);
        expect(await store.reclaimSend('L-100', 'WELCOME:SMS', ONBOARDED_AT, LATER)).toBe(true);
        // A second attempt that read the old claim loses.
        expect(await store.reclaimSend('L-100', 'WELCOME:SMS', ONBOARDED_AT, LATER)).toBe(false);
        expect(await store.claimSend('L-100', 'WELCOME:SMS', LATER)).toMatchObject({ status: 'CLAIMED', claimedAt: LATER });
        await store.markSent('L-100', 'WELCOME:SMS', 'msg-2');
        expect(await store.reclaimSend('L-100', 'WELCOME:SMS', LATER, LATER)).toBe(false);
        expect(await store.reclaimSend('L-100', 'NEVER:SMS', LATER, LATER)).toBe(false);
        expect(await store.claimSend('L-100', 'WELCOME:SMS', LATER)).toMatchObject({ status: 'SENT', messageId: 'msg-2' });
      });

      it("lists the message ids of a loan's SENT markers only", async () => {
        await onboard();
        await onboard('L-200');
        for (const [loanId, key, id] of [
          ['L-100', 'WELCOME:SMS', 'm-1'],
          ['L-100', 'REMINDER:1:BEFORE:SMS', 'm-2'],
          ['L-200', 'WELCOME:SMS', 'm-3'],
        ] as const) {
          await store.claimSend(loanId, key, LATER);
          await store.markSent(loanId, key, id);
        }
        await store.claimSend('L-100', 'WELCOME:EMAIL', LATER);
        expect((await store.listSentMessageIds('L-100')).sort()).toEqual(['m-1', 'm-2']);
        expect(await store.listSentMessageIds('L-404')).toEqual([]);
      });

      it('outlives the 14-day redrive window with margin', () => {
        expect(SEND_MARKER_TTL_DAYS).toBeGreaterThanOrEqual(14 * 2);
      });
    });

    describe('delivery receipts', () => {
      const receipt = { loanId: 'L-100', key: 'WELCOME:EMAIL', messageId: 'ses-1', acceptedAt: LATER };

      it('keeps a keyed receipt (email, team) once, however often it is recorded', async () => {
        expect(await store.getReceipt('L-100', 'WELCOME:EMAIL')).toBeUndefined();
        await store.putReceipt(receipt);
        await store.putReceipt(receipt);
        expect(await store.getReceipt('L-100', 'WELCOME:EMAIL')).toEqual(receipt);
        expect(await store.getReceipt('L-100', 'WELCOME:SMS')).toBeUndefined();
        expect(await store.getReceipt('L-200', 'WELCOME:EMAIL')).toBeUndefined();
      });

      it('lists SMS receipts to one destination accepted in a window, oldest first, window ends included', async () => {
        const at = (minute: number, second = 0) => `2026-03-09T02:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;
        const put = (destination: string, messageId: string, acceptedAt: string) => store.putDestinationReceipt({ destination, messageId, acceptedAt });
        await put('hash-a', 'sns-3', at(30));
        await put('hash-a', 'sns-1', at(0));
        await put('hash-a', 'sns-2', at(10));
        await put('hash-a', 'sns-4', at(30, 1));
        await put('hash-b', 'sns-5', at(10));
        expect((await store.listDestinationReceipts('hash-a', at(0), at(30))).map((r) => r.messageId)).toEqual(['sns-1', 'sns-2', 'sns-3']);
        expect(await store.listDestinationReceipts('hash-a', at(5), at(20))).toEqual([{ destination: 'hash-a', messageId: 'sns-2', acceptedAt: at(10) }]);
        expect(await store.listDestinationReceipts('hash-c', at(0), at(59))).toEqual([]);
      });

      it('ties an SMS receipt to one send only; the same send may match it again, and a repeated log keeps the tie', async () => {
        const sms = { destination: 'hash-a', messageId: 'sns-1', acceptedAt: LATER };
        expect(await store.matchDestinationReceipt(sms, 'L-100/WELCOME:SMS')).toBe(false);
        await store.putDestinationReceipt(sms);
        expect(await store.matchDestinationReceipt(sms, 'L-100/WELCOME:SMS')).toBe(true);
        expect(await store.matchDestinationReceipt(sms, 'L-100/WELCOME:SMS')).toBe(true);
        expect(await store.matchDestinationReceipt(sms, 'L-200/WELCOME:SMS')).toBe(false);
        await store.putDestinationReceipt(sms);
        expect(await store.listDestinationReceipts('hash-a', LATER, LATER)).toEqual([{ ...sms, matchedTo: 'L-100/WELCOME:SMS' }]);
      });
    });

    describe('read models: work queue, referrals, loan page', () => {
      async function withTasksOn(loanId: string, ...tasks: CallbackTask[]): Promise<void> {
        const snapshot = await onboard(loanId);
        await store.commitDecision(loanId, 0, decisionOn(snapshot, { effects: tasks.map((task) => ({ kind: 'CREATE_TASK' as const, task })) }), []);
      }

      it('lists open tasks of every loan, highest priority first, then earliest due', async () => {
        await withTasksOn(
          'L-100',
          testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT', { priority: 50, dueBy: '2026-03-09T02:00:00.000Z' }),
          testTask('L-100', 'RESTRUCTURE_REVIEW.2026-03-02', 'RESTRUCTURE_REVIEW', { priority: 120 }),
        );
        await withTasksOn(
          'L-200',
          testTask('L-200', 'FIRST_CONTACT', 'FIRST_CONTACT', { priority: 50, dueBy: '2026-03-04T02:00:00.000Z' }),
          testTask('L-200', 'COLLECTION.1.DPD3', 'COLLECTION', { priority: 103 }),
        );
        expect((await store.listOpenTasks()).map((t) => t.taskId)).toEqual([
          'L-100.RESTRUCTURE_REVIEW.2026-03-02',
          'L-200.COLLECTION.1.DPD3',
          'L-200.FIRST_CONTACT',
          'L-100.FIRST_CONTACT',
        ]);
        expect(await store.listOpenTasks({ purposes: ['FIRST_CONTACT'], limit: 1 })).toEqual([
          testTask('L-200', 'FIRST_CONTACT', 'FIRST_CONTACT', { priority: 50, dueBy: '2026-03-04T02:00:00.000Z' }),
        ]);
        expect(await store.listOpenTasks({ purposes: ['FIELD_VISIT'] })).toEqual([]);
      });

      it('lists the open tasks of the queues asked, each by the queue it carries (or its purpose’s), the limit counting only those', async () => {
        const early = testTask('L-100', 'COLLECTION.1.DPD3', 'COLLECTION', { priority: 103, queue: 'collection_early' });
        const late = testTask('L-100', 'COLLECTION.1.DPD64', 'COLLECTION', { priority: 150, queue: 'collection_late' });
        const before = testTask('L-200', 'COLLECTION.1.DPD7', 'COLLECTION', { priority: 90 });
        await withTasksOn('L-100', early, late);
        await withTasksOn('L-200', before, testTask('L-200', 'FIRST_CONTACT', 'FIRST_CONTACT'));
        expect((await store.listOpenTasks({ purposes: ['COLLECTION'], queues: ['collection_early'] })).map((t) => t.taskId)).toEqual([
          early.taskId,
          before.taskId,
        ]);
        expect((await store.listOpenTasks({ purposes: ['COLLECTION'], queues: ['collection_early'], limit: 1 })).map((t) => t.taskId)).toEqual([early.taskId]);
        expect((await store.listOpenTasks({ queues: ['collection_late'] })).map((t) => t.taskId)).toEqual([late.taskId]);
        expect(await store.listOpenTasks({ purposes: ['COLLECTION'], queues: ['collection_middle'] })).toEqual([]);
      });

      it('keeps a task in the queue after a non-final answer and drops it once answered, cancelled or re-queued elsewhere', async () => {
        const first = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        const day30 = testTask('L-100', 'DAY30_CHECK', 'DAY30_CHECK', { priority: 60 });
        const periodic = testTask('L-100', 'PERIODIC.2026-04-02', 'PERIODIC', { priority: 40 });
        await withTasksOn('L-100', first, day30, periodic);
        await recordCall(store, first.taskId, { outcome: 'NO_ANSWER', findings: [], final: false, at: LATER, by: 'agent-7' });
        expect((await store.listOpenTasks()).map((t) => t.taskId)).toEqual([day30.taskId, first.taskId, periodic.taskId]);
        await recordCall(store, day30.taskId, { outcome: 'REACHED', findings: ['repayment_normal'], final: true, at: LATER, by: 'agent-7' });
        const snapshot = (await store.getSnapshot('L-100'))!;
        await store.commitDecision(
          'L-100',
          1,
          decisionOn(snapshot, {
            effects: [
              { kind: 'UPDATE_TASK', task: { ...periodic, status: 'CANCELLED', completedAt: LATER } },
              { kind: 'UPDATE_TASK', task: { ...snapshot.openTasks.find((t) => t.taskId === first.taskId)!, priority: 70, requeues: 1 } },
            ],
          }),
          [],
        );
        expect(await store.listOpenTasks()).toEqual([expect.objectContaining({ taskId: first.taskId, priority: 70, requeues: 1 })]);
      });

      it('records a promise to pay with the outcome', async () => {
        const task = testTask('L-100', 'COLLECTION.1.DPD3', 'COLLECTION');
        await withTasksOn('L-100', task);
        const done = await recordCall(store, task.taskId, {
          outcome: 'REACHED',
          findings: ['promise_to_pay'],
          final: true,
          at: LATER,
          by: 'agent-7',
          promise: { date: '2026-03-20', amount: 1013.37 },
        });
        expect(done).toMatchObject({ status: 'DONE', promise: { date: '2026-03-20', amount: 1013.37 } });
        expect(await store.getTask(task.taskId)).toEqual(done);
      });

      it('lists legal referrals newest first, without their packages', async () => {
        await onboard('L-100');
        await onboard('L-200');
        await store.putLegalCase({ ...legalCase('L-100', 'CASE-L-100'), referredAt: '2026-06-01T02:00:00.000Z' });
        await store.putLegalCase({ ...legalCase('L-200', 'CASE-L-200'), referredAt: '2026-07-01T02:00:00.000Z' });
        expect(await store.listReferrals()).toEqual([
          {
            caseId: 'CASE-L-200',
            loanId: 'L-200',
            referredAt: '2026-07-01T02:00:00.000Z',
            reason: 'evasion',
            warningLevel: 'ADVANCED',
            classification: 'DOUBTFUL',
            product: 'car',
            principal: 3_000_000,
          },
          {
            caseId: 'CASE-L-100',
            loanId: 'L-100',
            referredAt: '2026-06-01T02:00:00.000Z',
            reason: 'evasion',
            warningLevel: 'ADVANCED',
            classification: 'DOUBTFUL',
            product: 'car',
            principal: 3_000_000,
          },
        ]);
      });

      it('lists no referrals and no open tasks in an empty store', async () => {
        expect(await store.listReferrals()).toEqual([]);
        expect(await store.listOpenTasks()).toEqual([]);
      });

      it('lists an open task with every field it has (the index projects the task fields, nothing else)', async () => {
        const task = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT', {
          queue: 'callback',
          heldUntil: LATER,
          adHoc: true,
          requestedBy: 'agent-1',
          note: 'after 6pm',
        });
        await withTasksOn('L-100', task);
        await recordCall(store, task.taskId, { outcome: 'NO_ANSWER', findings: [], final: false, at: LATER, by: 'agent-7', notes: 'voicemail' }, 'req-1');
        const [listed] = await store.listOpenTasks();
        expect(listed).toEqual(await store.getTask(task.taskId));
        expect(listed).toMatchObject({ attempts: 1, lastAttemptAt: LATER, lastAttemptBy: 'agent-7', notes: 'voicemail', requestIds: ['req-1'] });
      });

      it('reads what the work queue shows of a loan: loan, state and schedule, no contact, case package or timeline', async () => {
        const snapshot = await onboard('L-100');
        await store.putLegalCase(legalCase('L-100', 'CASE-L-100'));
        await store.appendTimeline([event('L-100', LATER, 'B')]);
        expect(await store.getQueueView('L-100')).toEqual({ loan: snapshot.loan, state: snapshot.state, instalments: snapshot.instalments });
        expect(await store.getQueueView('L-404')).toBeUndefined();
      });

      it('reads the loan page: loan, state, schedule, every task, timeline, contact, flag and referral', async () => {
        const open = testTask('L-100', 'DAY30_CHECK', 'DAY30_CHECK');
        const done = testTask('L-100', 'FIRST_CONTACT', 'FIRST_CONTACT');
        await withTasksOn('L-100', open, done);
        const answered = await recordCall(store, done.taskId, { outcome: 'REACHED', findings: [], final: true, at: LATER, by: 'agent-7' });
        await store.appendTimeline([event('L-100', LATER, 'B'), event('L-100', ONBOARDED_AT, 'A')]);
        await store.appendInbox('L-100', payment('E1', LATER));
        await store.claimSend('L-100', 'WELCOME:SMS', LATER);
        expect(await store.getLoanView('L-100')).toEqual({
          loan: contractLoan(),
          state: { ...initialState(ONBOARDED_AT), lastAdvancedAt: LATER },
          version: 1,
          instalments: testInstalments(),
          openTasks: [open],
          tasks: [open, answered],
          timeline: [event('L-100', ONBOARDED_AT, 'A'), event('L-100', LATER, 'B')],
          contact: CONTACT,
        });
        await store.markFlagged('L-100', 'States.TaskFailed', LATER);
        await store.putLegalCase(legalCase('L-100', 'CASE-L-100'));
        expect(await store.getLoanView('L-100')).toMatchObject({
          flagged: { reason: 'States.TaskFailed', at: LATER },
          referral: { caseId: 'CASE-L-100', referredAt: LATER, reason: 'evasion' },
        });
        expect(await store.getLoanView('L-404')).toBeUndefined();
      });
    });

    describe('legal cases and flags', () => {
      it('stores and replaces the legal case package', async () => {
        await onboard();
        const pkg = legalCase('L-100', 'CASE-1');
        await store.putLegalCase(pkg);
        expect(await store.getLegalCase('L-100')).toEqual(pkg);
        const replaced = { ...legalCase('L-100', 'CASE-2'), reason: 'lost_ability' };
        await store.putLegalCase(replaced);
        expect(await store.getLegalCase('L-100')).toEqual(replaced);
        (await store.getLegalCase('L-100'))!.tasks.length = 0;
        expect(await store.getLegalCase('L-100')).toEqual(replaced);
      });

      it('flags an existing loan without touching its follow-up, and refuses a missing one', async () => {
        const snapshot = await onboard();
        await store.markFlagged('L-100', 'States.TaskFailed', LATER);
        expect(await store.getSnapshot('L-100')).toEqual(snapshot);
        await expect(store.markFlagged('L-404', 'States.TaskFailed', LATER)).rejects.toThrow();
        expect(await store.getSnapshot('L-404')).toBeUndefined();
      });

      it('flags and appends a chained record in one write, only while the head is the one read', async () => {
        const snapshot = await onboard();
        const record = { loanId: 'L-100', at: LATER, type: 'EXECUTION_FAILED', key: `EXECUTION_FAILED:${LATER}`, error: 'States.TaskFailed' };
        const first = chainEvents(GENESIS, [record]);
        await store.markFlagged('L-100', 'States.TaskFailed', LATER, { records: first.events, from: null, to: first.head });
        expect((await store.getLoan('L-100'))!.state.auditHead).toEqual(first.head);
        expect(await store.listTimeline('L-100')).toEqual(first.events);

        // Read before the first append: the head has moved since, so nothing of this one is written.
        const stale = chainEvents(GENESIS, [{ ...record, key: 'EXECUTION_FAILED:again' }]);
        await expect(store.markFlagged('L-100', 'x', LATER, { records: stale.events, from: null, to: stale.head })).rejects.toBeInstanceOf(
          ConcurrentUpdateError,
        );
        const second = chainEvents(first.head, [{ ...record, key: 'EXECUTION_FAILED:again' }]);
        await expect(
          store.markFlagged('L-100', 'x', LATER, { records: second.events, from: { seq: 1, hash: 'f'.repeat(64) }, to: second.head }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await store.listTimeline('L-100')).toEqual(first.events);
        expect((await store.getSnapshot('L-100'))!.state).toEqual({ ...snapshot.state, auditHead: first.head });
      });
    });
  });
}
