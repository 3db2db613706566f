// Steering a loan by hand and by policy, rule by rule on the domain harness (no engine, no database): tasks added
// by hand, risk re-ratings and the suggestions findings make, the cadence by term, field visits on top of the
// periodic callbacks, a first contact never reached, and the queue order a re-queue earns.
import { describe, expect, it } from 'vitest';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import type { FollowUpPolicy } from '../../workflows/policy/policy-schema.js';
import { DomainHarness } from '../support/domain-harness.js';
import { testLoan } from '../support/loans.js';

// Disbursed 2026-01-05 10:00 Shanghai; instalments due on the 5th of each month.
const at = (local: string) => new Date(`${local}+08:00`).toISOString();

/** Pays every instalment on its due date at 09:00 up to `until`. */
function payOnTime(h: DomainHarness, until: string): DomainHarness {
  for (const inst of h.snapshot.instalments) {
    const payAt = at(`${inst.dueDate}T09:00:00`);
    if (payAt > until) break;
    if (payAt < h.now) continue;
    h.sleepUntil(payAt).pay(inst.seq, payAt);
  }
  return h.sleepUntil(until);
}

/** A loan whose first contact was answered at once (so nothing else raises a warning). */
function reached(loan = testLoan()): DomainHarness {
  return new DomainHarness(loan).sleepUntil(at('2026-01-05T11:00:00')).answer('FIRST_CONTACT', ['funds_received']);
}

const created = (h: DomainHarness, purpose: string) => h.of('CALLBACK_CREATED').filter((e) => e.purpose === purpose);
const localDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

describe('tasks added by hand (TASK_REQUESTED)', () => {
  it('compliant: becomes a task at the next step, in its queue, with who asked and the note; answered like any other', () => {
    const h = reached().sleepUntil(at('2026-01-20T10:00:00'));
    h.deliver({ type: 'TASK_REQUESTED', purpose: 'PERIODIC', dueBy: at('2026-01-23T18:00:00'), note: 'ask about the new job', by: 'li.agent' });
    const task = [...h.tasks.values()].find((t) => t.adHoc)!;
    expect(task).toMatchObject({
      purpose: 'PERIODIC',
      queue: 'callback',
      status: 'OPEN',
      dueBy: at('2026-01-23T18:00:00'),
      adHoc: true,
      requestedBy: 'li.agent',
      note: 'ask about the new job',
      requeues: 0,
    });
    expect(task.taskId).toMatch(/^L-1\.ADHOC\./);
    expect(h.of('CALLBACK_CREATED').at(-1)).toMatchObject({ taskId: task.taskId, purpose: 'PERIODIC', adHoc: true, by: 'li.agent' });
    // Free text stays on the task: the timeline (hash-chained, in case packages) holds none.
    expect(h.of('CALLBACK_CREATED').at(-1)).not.toHaveProperty('note');

    h.sleepUntil(at('2026-01-21T10:00:00')).answer('PERIODIC', ['repayment_normal']);
    expect(h.of('CALLBACK_COMPLETED').at(-1)).toMatchObject({ taskId: task.taskId, outcome: 'REACHED', findings: ['repayment_normal'] });
    expect(h.openTask('PERIODIC')).toBeUndefined();
  });

  it('compliant: a review goes to the review queue; the same request delivered twice makes one task', () => {
    const h = reached().sleepUntil(at('2026-01-20T10:00:00'));
    const request = { type: 'TASK_REQUESTED' as const, eventId: 'TASK-abc', purpose: 'RECALL_REVIEW', dueBy: at('2026-01-27T10:00:00'), by: 'wang.risk' };
    h.deliver(request).deliver(request);
    const reviews = created(h, 'RECALL_REVIEW');
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ queue: 'review', adHoc: true, by: 'wang.risk' });
  });

  it('noncompliant: past its due date it is re-queued and the supervisors told, as every task is', () => {
    const h = reached().sleepUntil(at('2026-01-20T10:00:00'));
    h.deliver({ type: 'TASK_REQUESTED', purpose: 'FIELD_VISIT', dueBy: at('2026-01-22T10:00:00'), by: 'li.agent' });
    h.sleepUntil(at('2026-01-22T10:00:00'));
    const task = [...h.tasks.values()].find((t) => t.adHoc)!;
    expect(task).toMatchObject({ requeues: 1, queue: 'field' });
    expect(h.of('CALLBACK_OVERDUE').map((e) => e.taskId)).toContain(task.taskId);
  });

  it('noncompliant: a borrower who may not be contacted gets no call from a task added by hand either (the compliance gate)', () => {
    const h = reached().sleepUntil(at('2026-01-20T10:00:00'));
    h.deliver({ type: 'DO_NOT_CONTACT', reason: 'COMPLAINT' });
    h.deliver({ type: 'TASK_REQUESTED', purpose: 'PERIODIC', dueBy: at('2026-01-23T18:00:00'), by: 'li.agent' });
    expect([...h.tasks.values()].filter((t) => t.adHoc)).toHaveLength(0);
    expect(h.of('CONTACT_SUPPRESSED').at(-1)).toMatchObject({ channel: 'CALL', purpose: 'PERIODIC' });
  });
});

describe('risk re-rating (RISK_RATING_CHANGED)', () => {
  it('compliant: low to high records {from, to, reason} and the callbacks go monthly from the next step', () => {
    const h = payOnTime(reached(testLoan({ riskRating: 'low', termMonths: 24 })), at('2026-05-01T00:00:00'));
    const quarterly = created(h, 'PERIODIC').map((e) => localDay(e.at));
    expect(quarterly).toEqual(['2026-04-05']);
    expect(h.snapshot.state.nextPeriodicAt).toBe(at('2026-07-05T09:00:00'));

    h.deliver({ type: 'RISK_RATING_CHANGED', riskRating: 'high', reason: 'FINDINGS_CONFIRMED', by: 'wang.risk' });
    expect(h.of('RISK_RATING_CHANGED')).toEqual([expect.objectContaining({ from: 'low', to: 'high', reason: 'FINDINGS_CONFIRMED', by: 'wang.risk' })]);
    expect(h.snapshot.state.riskRating).toBe('high');
    expect(h.snapshot.state.nextPeriodicAt).toBe(at('2026-06-01T09:00:00'));

    payOnTime(h, at('2026-09-15T00:00:00'));
    expect(created(h, 'PERIODIC').map((e) => localDay(e.at))).toEqual(['2026-04-05', '2026-06-01', '2026-07-01', '2026-08-01', '2026-09-01']);
  });

  it('compliant: high to low keeps the call already planned, then goes quarterly', () => {
    const h = payOnTime(reached(testLoan({ riskRating: 'high', termMonths: 24 })), at('2026-04-10T00:00:00'));
    const before = h.snapshot.state.nextPeriodicAt;
    h.deliver({ type: 'RISK_RATING_CHANGED', riskRating: 'low', reason: 'REPAYMENT_BEHAVIOUR' });
    expect(h.snapshot.state.nextPeriodicAt).toBe(before);
    payOnTime(h, at('2026-12-01T00:00:00'));
    const days = created(h, 'PERIODIC')
      .map((e) => localDay(e.at))
      .filter((d) => d > '2026-04-10');
    expect(days).toEqual(['2026-04-20', '2026-07-20', '2026-10-20']);
  });

  it('a re-rating to the rating the loan has records nothing', () => {
    const h = reached(testLoan({ riskRating: 'medium' }));
    h.deliver({ type: 'RISK_RATING_CHANGED', riskRating: 'medium', reason: 'CORRECTION' });
    expect(h.of('RISK_RATING_CHANGED')).toHaveLength(0);
    expect(h.snapshot.state.riskRating).toBeUndefined();
  });

  it('findings suggest a higher rating for risk to confirm (RISK_RATING_SUGGESTED), changing nothing by themselves', () => {
    const h = reached(testLoan({ riskRating: 'low', termMonths: 24 })).sleepUntil(at('2026-01-20T10:00:00'));
    h.deliver({ type: 'HARDSHIP_REPORTED', findings: ['management_change', 'income_decline'] });
    expect(h.of('RISK_RATING_SUGGESTED')).toEqual([expect.objectContaining({ from: 'low', to: 'high', finding: 'income_decline' })]);
    expect(h.snapshot.state.riskRating).toBeUndefined();
    expect(h.of('RISK_RATING_CHANGED')).toHaveLength(0);

    // Already rated high: nothing to suggest.
    const high = reached(testLoan({ riskRating: 'high' })).sleepUntil(at('2026-01-20T10:00:00'));
    high.deliver({ type: 'HARDSHIP_REPORTED', findings: ['income_decline'] });
    expect(high.of('RISK_RATING_SUGGESTED')).toHaveLength(0);
  });
});

describe('periodic cadence by term (periodic.termBands)', () => {
  it('calls a low-risk loan of 12 months every two months and one of 24 months quarterly', () => {
    const short = payOnTime(reached(testLoan({ riskRating: 'low', termMonths: 12 })), at('2026-12-01T00:00:00'));
    const long = payOnTime(reached(testLoan({ riskRating: 'low', termMonths: 24 })), at('2026-12-01T00:00:00'));
    expect(created(short, 'PERIODIC').map((e) => localDay(e.at))).toEqual(['2026-03-20', '2026-05-20', '2026-07-20', '2026-09-20', '2026-11-20']);
    expect(created(long, 'PERIODIC').map((e) => localDay(e.at))).toEqual(['2026-04-05', '2026-07-05', '2026-10-05']);
  });

  it('falls back to periodic.intervalMonths when no band holds the term', () => {
    const policy: FollowUpPolicy = structuredClone(loadAllPolicies().consumer);
    policy.periodic.termBands = [];
    const h = new DomainHarness(testLoan({ riskRating: 'low', termMonths: 12 }), policy).sleepUntil(at('2026-01-05T11:00:00')).answer('FIRST_CONTACT');
    payOnTime(h, at('2026-12-01T00:00:00'));
    expect(created(h, 'PERIODIC').map((e) => localDay(e.at))).toEqual(['2026-04-05', '2026-07-05', '2026-10-05']);
  });
});

describe('field visits on top of the periodic callbacks', () => {
  it('a medium-risk self-employed borrower gets a field visit each quarter and the monthly calls too', () => {
    const h = payOnTime(reached(testLoan({ riskRating: 'medium', borrowerType: 'self_employed', termMonths: 24 })), at('2026-12-01T00:00:00'));
    expect(created(h, 'FIELD_VISIT').map((e) => localDay(e.at))).toEqual(['2026-04-05', '2026-07-05', '2026-10-05']);
    expect(created(h, 'FIELD_VISIT').every((e) => e.queue === 'field')).toBe(true);
    expect(created(h, 'PERIODIC').length).toBeGreaterThanOrEqual(8);
    // Its own next time, and a wake-up no later than it.
    expect(h.snapshot.state.nextFieldVisitAt).toBe(at('2027-01-05T09:00:00'));
    expect(h.wakeAt! <= h.snapshot.state.nextFieldVisitAt!).toBe(true);
  });

  it('an individual, or a low-risk small business, gets no field visits', () => {
    for (const loan of [
      testLoan({ riskRating: 'high', borrowerType: 'individual' }),
      testLoan({ riskRating: 'low', borrowerType: 'small_business', product: 'enterprise' }),
    ]) {
      const h = payOnTime(reached(loan), at('2026-12-01T00:00:00'));
      expect(created(h, 'FIELD_VISIT')).toHaveLength(0);
      expect(h.snapshot.state.nextFieldVisitAt ?? null).toBeNull();
    }
  });

  it('a re-rating into the segment starts the visits; out of it stops them', () => {
    const h = payOnTime(
      reached(testLoan({ riskRating: 'low', borrowerType: 'small_business', product: 'enterprise', termMonths: 24 })),
      at('2026-05-10T00:00:00'),
    );
    expect(created(h, 'FIELD_VISIT')).toHaveLength(0);
    h.deliver({ type: 'RISK_RATING_CHANGED', riskRating: 'medium', reason: 'FINANCIAL_REVIEW' });
    // The first visit was due on 2026-04-05 by the plan: it comes at once.
    expect(created(h, 'FIELD_VISIT').map((e) => e.at)).toEqual([h.now]);
    h.answer('FIELD_VISIT', ['repayment_normal']);
    h.deliver({ type: 'RISK_RATING_CHANGED', riskRating: 'low', reason: 'CORRECTION' });
    payOnTime(h, at('2026-12-01T00:00:00'));
    expect(created(h, 'FIELD_VISIT')).toHaveLength(1);
    expect(h.snapshot.state.nextFieldVisitAt).toBeNull();
  });
});

describe('a first contact never reached', () => {
  it('noncompliant: after its last re-queue raises PRIMARY (first_contact_unreached) and tells the supervisors', () => {
    const h = new DomainHarness(testLoan({ product: 'car' })).sleepUntil(at('2026-02-03T00:00:00'));
    expect(h.of('CALLBACK_OVERDUE')).toHaveLength(4);
    expect(h.of('CALLBACK_CANCELLED')).toEqual([expect.objectContaining({ purpose: 'FIRST_CONTACT', reason: 'UNREACHED', at: at('2026-02-02T10:00:00') })]);
    expect(h.of('WARNING_RAISED')).toEqual([
      expect.objectContaining({ level: 'PRIMARY', from: 'NONE', reason: 'first_contact_unreached', at: at('2026-02-02T10:00:00') }),
    ]);
    expect(h.snapshot.state.warningLevel).toBe('PRIMARY');
    const notices = h.effects.filter((e) => e.kind === 'NOTIFY_TEAM' && e.reason === 'FIRST_CONTACT_UNREACHED');
    expect(notices).toEqual([expect.objectContaining({ team: 'supervisors', key: 'FIRST_CONTACT_UNREACHED:L-1.FIRST_CONTACT' })]);
  });

  it('compliant: a first contact reached after a re-queue raises nothing', () => {
    const h = new DomainHarness(testLoan({ product: 'car' })).sleepUntil(at('2026-01-13T10:00:00')).answer('FIRST_CONTACT', ['funds_received']);
    h.sleepUntil(at('2026-02-03T00:00:00'));
    expect(h.of('WARNING_RAISED')).toHaveLength(0);
    expect(h.effects.filter((e) => e.kind === 'NOTIFY_TEAM' && e.reason === 'FIRST_CONTACT_UNREACHED')).toHaveLength(0);
  });

  it('a day-30 check never reached ends without a warning (only the first contact says the details may be false)', () => {
    const h = reached(testLoan({ product: 'car', termMonths: 24 }));
    payOnTime(h, at('2026-03-10T00:00:00'));
    expect(h.of('CALLBACK_CANCELLED').map((e) => e.purpose)).toContain('DAY30_CHECK');
    expect(h.of('WARNING_RAISED')).toHaveLength(0);
  });
});

describe('the order of the work queue', () => {
  it('a re-queue raises the priority by requeuePriorityStep while moving the due date a week on', () => {
    const h = new DomainHarness(testLoan({ product: 'car' })).sleepUntil(at('2026-01-12T10:00:00'));
    const task = h.openTask('FIRST_CONTACT')!;
    expect(task.priority).toBe(h.policy.tasks.basePriority + h.policy.firstContact.requeuePriorityStep);
    expect(task.dueBy).toBe(at('2026-01-19T10:00:00'));
  });
});
