import { describe, expect, it } from 'vitest';
import { callVerdict } from '../../workflows/compliance/call-gate.js';
import { DomainHarness } from '../support/domain-harness.js';
import { testLoan } from '../support/loans.js';

// Disbursed 2026-01-05 10:00 Shanghai; instalments due on the 5th of each month.
const at = (local: string) => new Date(`${local}+08:00`).toISOString();

/** Pays every instalment on its due date at 09:00 up to `until`. */
function payOnTime(h: DomainHarness, until: string): DomainHarness {
  for (const inst of h.snapshot.instalments) {
    const payAt = at(`${inst.dueDate}T09:00:00`);
    if (payAt > until) break;
    h.sleepUntil(payAt).pay(inst.seq, payAt);
  }
  return h.sleepUntil(until);
}

describe('onboarding', () => {
  it('welcomes the borrower by SMS and email and opens the first-contact task due in 7 days', () => {
    const h = new DomainHarness();
    expect(h.sends('WELCOME').map((s) => s.channel)).toEqual(['SMS', 'EMAIL']);
    const task = [...h.tasks.values()].find((t) => t.purpose === 'FIRST_CONTACT')!;
    expect(task.dueBy).toBe(at('2026-01-12T10:00:00'));
  });

  it('is idempotent: replaying the first step sends nothing twice', () => {
    const h = new DomainHarness();
    h.sleepUntil(at('2026-01-05T10:00:00'));
    h.deliver({ type: 'CONTACT_CHANGED', fields: ['phone'] } as never);
    expect(h.sends('WELCOME')).toHaveLength(2);
  });
});

describe('first contact', () => {
  it('compliant: an answered first contact is never reported overdue', () => {
    const h = new DomainHarness(testLoan({ product: 'car' }));
    h.sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT', ['funds_received', 'vehicle_delivered']);
    h.sleepUntil(at('2026-01-20T00:00:00'));
    expect(h.of('CALLBACK_OVERDUE')).toHaveLength(0);
    expect(h.of('CALLBACK_COMPLETED')[0]!.findings).toEqual(['funds_received', 'vehicle_delivered']);
  });

  it('noncompliant: no outcome within 7 days notifies supervisors and re-queues at higher priority', () => {
    const h = new DomainHarness(testLoan({ product: 'car' }));
    h.sleepUntil(at('2026-01-12T10:00:00'));
    expect(h.of('CALLBACK_OVERDUE')).toHaveLength(1);
    expect(h.effects.some((e) => e.kind === 'NOTIFY_TEAM' && e.team === 'supervisors')).toBe(true);
    const task = [...h.tasks.values()].find((t) => t.purpose === 'FIRST_CONTACT')!;
    expect(task.requeues).toBe(1);
    expect(task.priority).toBe(h.policy.tasks.basePriority + h.policy.firstContact.requeuePriorityStep);
    expect(task.dueBy).toBe(at('2026-01-19T10:00:00'));
  });
});

describe('scheduled checks and periodic callbacks', () => {
  it('opens the day-30 and day-60 checks on their days', () => {
    const h = payOnTime(new DomainHarness(), at('2026-03-10T00:00:00'));
    const created = h.of('CALLBACK_CREATED');
    expect(created.find((e) => e.purpose === 'DAY30_CHECK')!.at).toBe(at('2026-02-04T09:00:00'));
    expect(created.find((e) => e.purpose === 'DAY60_CHECK')!.at).toBe(at('2026-03-06T09:00:00'));
  });

  it('calls monthly for medium risk and quarterly for low risk (terms over 12 months: see steering.test.ts for the term bands)', () => {
    const medium = payOnTime(new DomainHarness(testLoan({ riskRating: 'medium', termMonths: 24 })), at('2026-12-01T00:00:00'));
    const low = payOnTime(new DomainHarness(testLoan({ riskRating: 'low', termMonths: 24 })), at('2026-12-01T00:00:00'));
    const periodic = (h: DomainHarness) => h.of('CALLBACK_CREATED').filter((e) => e.purpose === 'PERIODIC').length;
    expect(periodic(medium)).toBeGreaterThanOrEqual(7);
    expect(periodic(low)).toBeGreaterThanOrEqual(2);
    expect(periodic(low)).toBeLessThanOrEqual(3);
  });

  it('sends high-risk small businesses a field visit each quarter on top of the monthly calls', () => {
    const h = payOnTime(new DomainHarness(testLoan({ riskRating: 'high', borrowerType: 'small_business', product: 'enterprise' })), at('2026-12-01T00:00:00'));
    const purposes = h.of('CALLBACK_CREATED').map((e) => e.purpose);
    expect(purposes.filter((p) => p === 'PERIODIC').length).toBeGreaterThanOrEqual(7);
    expect(purposes.filter((p) => p === 'FIELD_VISIT').length).toBeGreaterThanOrEqual(2);
  });

  it('calls every two weeks for three months after an anomaly, then returns to the usual rhythm', () => {
    const h = payOnTime(new DomainHarness(testLoan({ riskRating: 'low', termMonths: 24 })), at('2026-06-10T00:00:00'));
    h.deliver({ type: 'HARDSHIP_REPORTED', findings: ['health'] } as never);
    // An agent works each periodic callback the day after it appears.
    for (let day = Date.parse(at('2026-06-11T12:00:00')); day < Date.parse(at('2026-09-10T00:00:00')); day += 86_400_000) {
      const noon = new Date(day).toISOString();
      const due = h.snapshot.instalments.find((i) => !i.paidAt && at(`${i.dueDate}T09:00:00`) <= noon);
      if (due) h.sleepUntil(at(`${due.dueDate}T09:00:00`)).pay(due.seq);
      h.sleepUntil(noon);
      if ([...h.tasks.values()].some((t) => t.purpose === 'PERIODIC' && t.status === 'OPEN')) h.answer('PERIODIC');
    }
    const after = h.of('CALLBACK_CREATED').filter((e) => e.purpose === 'PERIODIC' && e.at > at('2026-06-10T00:00:00'));
    expect(after.length).toBeGreaterThanOrEqual(5);
    const gaps = after.slice(1).map((e, i) => (Date.parse(e.at) - Date.parse(after[i]!.at)) / 86_400_000);
    expect(Math.max(...gaps.slice(0, 5))).toBeLessThanOrEqual(14);
    // Once the three months are over, the next call is a quarter away again.
    h.sleepUntil(at('2026-09-26T00:00:00'));
    expect(h.snapshot.state.nextPeriodicAt! >= at('2026-12-01T00:00:00')).toBe(true);
  });
});

describe('repayment reminders', () => {
  it('sends SMS and email 3 days before the due date', () => {
    const h = new DomainHarness().sleepUntil(at('2026-02-02T10:00:00'));
    const reminder = h.sends('REMINDER');
    expect(reminder.map((s) => `${s.channel}:${s.template}`)).toEqual(['SMS:reminder_before_due', 'EMAIL:reminder_before_due']);
  });

  it('sends a due-date SMS only if the instalment is still unpaid', () => {
    const unpaid = new DomainHarness().sleepUntil(at('2026-02-05T10:00:00'));
    expect(unpaid.sends('REMINDER').filter((s) => s.template === 'reminder_due_today')).toHaveLength(1);
    const paid = new DomainHarness().sleepUntil(at('2026-02-04T12:00:00')).pay(1).sleepUntil(at('2026-02-05T12:00:00'));
    expect(paid.sends('REMINDER').filter((s) => s.template === 'reminder_due_today')).toHaveLength(0);
  });
});

describe('overdue ladder', () => {
  it('DPD 1 notice by SMS and email and the supervisors told, DPD 3 collection call, DPD 7 and 15 call and SMS', () => {
    const h = new DomainHarness().sleepUntil(at('2026-02-21T12:00:00'));
    expect(h.sends('OVERDUE_NOTICE').map((s) => `${s.channel}:${s.template}`)).toEqual([
      'SMS:overdue_notice',
      'EMAIL:overdue_notice',
      'SMS:overdue_followup',
      'SMS:overdue_followup',
    ]);
    expect(
      h
        .of('CALLBACK_CREATED')
        .filter((e) => e.purpose === 'COLLECTION')
        .map((e) => e.taskId),
    ).toEqual(['L-1.COLLECTION.1.E1D3', 'L-1.COLLECTION.1.E1D7', 'L-1.COLLECTION.1.E1D15']);
    const team = h.effects.filter((e) => e.kind === 'NOTIFY_TEAM' && e.reason === 'OVERDUE');
    expect(team).toHaveLength(1);
    expect(team[0]).toMatchObject({ team: 'supervisors', key: 'OVERDUE:E1' });
  });

  it('compliant: one late instalment raises no warning', () => {
    const h = new DomainHarness().sleepUntil(at('2026-01-06T10:00:00')).answer('FIRST_CONTACT', ['funds_received']);
    h.sleepUntil(at('2026-02-08T09:00:00')).pay(1);
    payOnTime(h, at('2026-05-01T00:00:00'));
    expect(h.of('WARNING_RAISED')).toHaveLength(0);
  });

  it('noncompliant: two consecutive late instalments raise PRIMARY', () => {
    const h = new DomainHarness().sleepUntil(at('2026-02-08T09:00:00')).pay(1).sleepUntil(at('2026-03-09T09:00:00')).pay(2);
    expect(h.of('WARNING_RAISED').map((w) => w.level)).toEqual(['PRIMARY']);
  });

  it('DPD 90 raises ADVANCED, refers the case to legal and stops reminders', () => {
    const h = new DomainHarness(testLoan({ product: 'car' })).sleepUntil(at('2026-06-01T00:00:00'));
    const referral = h.effects.find((e) => e.kind === 'LEGAL_REFERRAL');
    expect(referral).toMatchObject({ caseId: 'CASE-L-1' });
    expect(h.of('LEGAL_REFERRAL')[0]!.at).toBe(at('2026-05-06T10:00:00'));
    expect(h.snapshot.state.status).toBe('LEGAL');
    expect(h.effects.some((e) => e.kind === 'NOTIFY_TEAM' && e.team === 'legal')).toBe(true);
    expect(h.of('CALLBACK_CREATED').some((e) => e.purpose === 'COLLATERAL_REVIEW')).toBe(true);
    const sendsAfter = h.sends().filter((s) => s.key.startsWith('REMINDER:5'));
    expect(sendsAfter).toHaveLength(0);
    // With the legal team: no periodic callbacks, and the loan waits in its Legal phase.
    const referredAt = h.of('LEGAL_REFERRAL')[0]!.at;
    expect(h.of('CALLBACK_CREATED').filter((e) => e.at > referredAt && e.purpose === 'PERIODIC')).toHaveLength(0);
    expect(h.last?.phase).toBe('Legal');
    expect(h.of('PHASE_CHANGED').at(-1)).toMatchObject({ from: 'Collections', to: 'Legal' });
  });
});

describe('escalation from findings', () => {
  it('hardship raises INTERMEDIATE with a restructure review; a car loan also gets a collateral review', () => {
    const h = new DomainHarness(testLoan({ product: 'car' })).sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT', ['hardship']);
    expect(h.of('WARNING_RAISED').map((w) => w.level)).toEqual(['INTERMEDIATE']);
    const purposes = h.of('CALLBACK_CREATED').map((e) => e.purpose);
    expect(purposes).toContain('RESTRUCTURE_REVIEW');
    expect(purposes).toContain('COLLATERAL_REVIEW');
  });

  it('a consumer loan gets no collateral review', () => {
    const h = new DomainHarness().sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT', ['income_decline']);
    expect(h.of('CALLBACK_CREATED').map((e) => e.purpose)).not.toContain('COLLATERAL_REVIEW');
  });

  it('deliberate evasion flagged by an agent goes straight to legal', () => {
    const h = new DomainHarness().sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT', ['evasion']);
    expect(h.snapshot.state.warningLevel).toBe('ADVANCED');
    expect(h.of('LEGAL_REFERRAL')).toHaveLength(1);
  });
});

describe('five-category classification', () => {
  it('follows days past due: 关注 from DPD 1, 次级 above 90, 可疑 above 270, 损失 above 360', () => {
    const h = new DomainHarness(testLoan({ termMonths: 24 })).sleepUntil(at('2027-03-01T00:00:00'));
    expect(h.of('CLASSIFICATION_CHANGED').map((e) => `${e.to}@${e.dpd}`)).toEqual(['SPECIAL_MENTION@1', 'SUBSTANDARD@91', 'DOUBTFUL@271', 'LOSS@361']);
  });
});

describe('closure and hand-over', () => {
  it('closes after the last payment with a closing message', () => {
    const h = payOnTime(new DomainHarness(), at('2027-01-06T00:00:00'));
    expect(h.last!.action).toBe('CLOSE');
    expect(h.sends('CLOSING').map((s) => s.channel)).toEqual(['SMS', 'EMAIL']);
  });

  it('payoff closes the loan at once', () => {
    const h = new DomainHarness().sleepUntil(at('2026-03-01T00:00:00')).deliver({ type: 'PAYOFF' } as never);
    expect(h.of('LOAN_CLOSED')).toHaveLength(1);
    expect(h.snapshot.instalments.every((i) => i.paidAt)).toBe(true);
  });

  it('hands over to a new execution before the age limit', () => {
    const h = payOnTime(new DomainHarness(testLoan({ termMonths: 36 })), at('2027-06-01T00:00:00'));
    const handovers = h.of('EXECUTION_CONTINUED');
    expect(handovers).toHaveLength(1);
    expect(Date.parse(handovers[0]!.at) - Date.parse(at('2026-01-05T10:00:00'))).toBeLessThanOrEqual(
      h.policy.handover.maxAgeDays * 86_400_000 + 86_400_000 * 31,
    );
  });

  it('opt-out suppresses that channel and records why', () => {
    const h = new DomainHarness().deliver({ type: 'OPTED_OUT', channels: ['EMAIL'] } as never).sleepUntil(at('2026-02-03T00:00:00'));
    expect(h.sends('REMINDER').map((s) => s.channel)).toEqual(['SMS']);
    expect(h.of('CONTACT_SUPPRESSED').some((e) => e.reason === 'OPTED_OUT' && e.channel === 'EMAIL')).toBe(true);
  });

  it('noncompliant: a do-not-contact flag stops every message and every call, and is recorded', () => {
    const h = new DomainHarness().deliver({ type: 'DO_NOT_CONTACT', reason: 'COMPLAINT' } as never).sleepUntil(at('2026-02-06T00:00:00'));
    expect(h.of('DO_NOT_CONTACT').map((e) => e.reason)).toEqual(['COMPLAINT']);
    expect(h.sends('REMINDER')).toHaveLength(0);
    expect(
      h
        .of('CONTACT_SUPPRESSED')
        .filter((e) => e.reason === 'DO_NOT_CONTACT')
        .map((e) => e.channel),
    ).toEqual(expect.arrayContaining(['SMS', 'EMAIL']));
    expect(callVerdict(h.snapshot.loan, h.snapshot.state, 'PERIODIC', at('2026-02-06T10:00:00'))).toMatchObject({
      allowed: false,
      codes: ['DO_NOT_CONTACT'],
      retryAt: null,
    });
  });
});

describe('compliance gate on every message', () => {
  it('records the pack and version that let a message through', () => {
    const h = new DomainHarness();
    expect(h.sends('WELCOME').every((s) => s.compliance === 'cn@2026-11-01')).toBe(true);
    const us = new DomainHarness(testLoan({ timezone: 'America/New_York', disbursedAt: '2026-01-05T15:00:00.000Z' }));
    expect(us.sends('WELCOME')[0]!.compliance).toBe('us@2026-11-01');
  });

  it('noncompliant: a loan paid out at 22:30 is welcomed at 08:00 the next morning, not at night', () => {
    const h = new DomainHarness(testLoan({ disbursedAt: at('2026-01-05T22:30:00') }));
    expect(h.sends('WELCOME')).toHaveLength(0);
    const held = h.of('CONTACT_SUPPRESSED');
    expect(held.map((e) => [e.channel, e.reason, e.deferredUntil])).toEqual([
      ['SMS', 'OUTSIDE_CONTACT_HOURS', at('2026-01-06T08:00:00')],
      ['EMAIL', 'OUTSIDE_CONTACT_HOURS', at('2026-01-06T08:00:00')],
      ['CALL', 'OUTSIDE_CONTACT_HOURS', at('2026-01-06T08:00:00')],
    ]);
    const firstContact = [...h.tasks.values()].find((t) => t.purpose === 'FIRST_CONTACT')!;
    expect([firstContact.heldUntil, firstContact.dueBy]).toEqual([at('2026-01-06T08:00:00'), at('2026-01-13T08:00:00')]);
    expect(h.wakeAt).toBe(at('2026-01-06T08:00:00'));
    h.sleepUntil(at('2026-01-06T08:00:00'));
    expect(h.sends('WELCOME').map((s) => s.channel)).toEqual(['SMS', 'EMAIL']);
    expect(h.snapshot.state.deferred).toEqual([]);
  });

  it('noncompliant: a second SMS of the same purpose on one day waits for the next day', () => {
    const h = new DomainHarness();
    // Two instalments falling due back to back would remind twice in a day; the gate spreads them.
    h.snapshot.instalments[1] = { ...h.snapshot.instalments[1]!, dueDate: h.snapshot.instalments[0]!.dueDate };
    h.sleepUntil(at('2026-02-02T12:00:00'));
    const reminders = h.sends('REMINDER').filter((s) => s.channel === 'SMS');
    expect(reminders).toHaveLength(1);
    expect(h.of('CONTACT_SUPPRESSED').map((e) => e.reason)).toContain('SMS_DAILY_CAP');
    h.sleepUntil(at('2026-02-03T12:00:00'));
    expect(h.sends('REMINDER').filter((s) => s.channel === 'SMS')).toHaveLength(2);
  });
});
