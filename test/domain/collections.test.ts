// The collections life of a loan, rule by rule, on the pure domain (no engine, no database).
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../workflows/domain/follow-up-state.js';
import { advanceFollowUp } from '../../workflows/domain/advance-follow-up.js';
import { promiseDateProblem } from '../../workflows/domain/rules/promises.js';
import { recallDateProblem } from '../../workflows/domain/rules/reviews.js';
import { fixedTimePolicies } from '../support/fixed-time-policies.js';
import type { FollowUpPolicy } from '../../workflows/policy/policy-schema.js';
import { DomainHarness } from '../support/domain-harness.js';
import { testLoan } from '../support/loans.js';

// Disbursed 2026-01-05 10:00 Shanghai; instalments due on the 5th of each month, the first on 2026-02-05.
const at = (local: string) => new Date(`${local}+08:00`).toISOString();
const consumer = fixedTimePolicies().consumer;
const withPolicy = (change: (p: FollowUpPolicy) => void): FollowUpPolicy => {
  const copy = structuredClone(consumer);
  change(copy);
  return copy;
};

const teamNotices = (h: DomainHarness, reason: string) =>
  h.effects.filter((e): e is Extract<Effect, { kind: 'NOTIFY_TEAM' }> => e.kind === 'NOTIFY_TEAM' && e.reason === reason);
const collectionCalls = (h: DomainHarness) => h.of('CALLBACK_CREATED').filter((e) => e.purpose === 'COLLECTION');

describe('the collection ladder', () => {
  it('does not go quiet: calls every 7 days after DPD 15, SMS at 7, 15, 30, 45, 60, a written demand at 60, a pre-legal review at 75, referral at 90', () => {
    const h = new DomainHarness().sleepUntil(at('2026-05-06T12:00:00'));
    const dpds = collectionCalls(h).map((e) => Number(/E1D(\d+)$/.exec(String(e.taskId))![1]));
    expect(dpds).toEqual([3, 7, 15, 22, 29, 36, 43, 50, 57, 64, 71, 78, 85]);
    const followups = h.sends('OVERDUE_NOTICE').filter((s) => s.template === 'overdue_followup');
    expect(followups.map((s) => s.key)).toEqual([7, 15, 30, 45, 60].map((d) => `LADDER:E1:FOLLOWUP_SMS:${d}:SMS`));
    expect(h.sends('DEMAND_LETTER').map((s) => `${s.channel}:${s.template}:${s.params.dpd}`)).toEqual(['EMAIL:demand_letter:60']);
    expect(
      h
        .of('CALLBACK_CREATED')
        .filter((e) => e.purpose === 'PRE_LEGAL_REVIEW')
        .map((e) => e.at),
    ).toEqual([at('2026-04-21T10:00:00')]);
    expect(h.of('LEGAL_REFERRAL').map((e) => e.dpd)).toEqual([90]);
  });

  it('puts each call in the queue of its tier: early to DPD 30, middle to 60, late after', () => {
    const h = new DomainHarness().sleepUntil(at('2026-05-04T12:00:00'));
    const queueOf = (dpd: number) => collectionCalls(h).find((e) => String(e.taskId).endsWith(`E1D${dpd}`))!.queue;
    expect([3, 29, 36, 57, 64, 85].map(queueOf)).toEqual([
      'collection_early',
      'collection_early',
      'collection_middle',
      'collection_middle',
      'collection_late',
      'collection_late',
    ]);
  });

  it('keeps one collection call in the queue: a new step supersedes the call still open', () => {
    const h = new DomainHarness().sleepUntil(at('2026-02-21T12:00:00'));
    const open = [...h.tasks.values()].filter((t) => t.purpose === 'COLLECTION' && t.status === 'OPEN');
    expect(open.map((t) => t.taskId)).toEqual(['L-1.COLLECTION.1.E1D15']);
    expect(h.of('CALLBACK_CANCELLED').filter((e) => e.reason === 'SUPERSEDED')).toHaveLength(2);
  });

  it('tells the supervisors at DPD 1 exactly once an episode, and again in the next episode', () => {
    const h = new DomainHarness().sleepUntil(at('2026-03-10T12:00:00'));
    // Instalment 2 fell due on 03-05 while instalment 1 was unpaid: the same episode, no second notice or ladder.
    expect(teamNotices(h, 'OVERDUE').map((e) => e.key)).toEqual(['OVERDUE:E1']);
    expect(h.sends('OVERDUE_NOTICE').filter((s) => s.template === 'overdue_notice' && s.channel === 'SMS')).toHaveLength(1);
    h.pay(1).pay(2).sleepUntil(at('2026-04-07T12:00:00'));
    expect(h.of('COLLECTION_ENDED')).toMatchObject([{ episode: 1, cured: true }]);
    expect(teamNotices(h, 'OVERDUE').map((e) => e.key)).toEqual(['OVERDUE:E1', 'OVERDUE:E2']);
    expect(h.of('COLLECTION_STARTED').map((e) => e.episode)).toEqual([1, 2]);
  });

  it('compliant: a loan paid on time opens no episode and tells nobody', () => {
    const h = new DomainHarness();
    for (const seq of [1, 2, 3]) {
      const inst = h.snapshot.instalments[seq - 1]!;
      h.sleepUntil(at(`${inst.dueDate}T09:00:00`)).pay(seq);
    }
    h.sleepUntil(at('2026-05-01T00:00:00'));
    expect(h.of('COLLECTION_STARTED')).toHaveLength(0);
    expect(teamNotices(h, 'OVERDUE')).toHaveLength(0);
  });

  it('noncompliant: the borrower opted out of SMS gets the ladder by email and call only, the SMS recorded as suppressed', () => {
    const h = new DomainHarness().deliver({ type: 'OPTED_OUT', channels: ['SMS'] }).sleepUntil(at('2026-03-20T12:00:00'));
    expect(h.sends().filter((s) => s.channel === 'SMS' && s.key.startsWith('LADDER'))).toHaveLength(0);
    expect(h.of('CONTACT_SUPPRESSED').filter((e) => e.channel === 'SMS' && e.reason === 'OPTED_OUT').length).toBeGreaterThan(0);
    expect(collectionCalls(h).length).toBeGreaterThan(3);
  });
});

describe('promises to pay', () => {
  const overdueWithCall = () => new DomainHarness().sleepUntil(at('2026-02-08T11:00:00'));

  it('records PROMISE_MADE, reminds the day before and is kept when the promised amount is paid', () => {
    const h = overdueWithCall().answerWith('COLLECTION', { promise: { date: '2026-02-14', amount: 3131.73 } });
    expect(h.of('PROMISE_MADE')).toMatchObject([{ date: '2026-02-14', amount: 313173 }]);
    h.sleepUntil(at('2026-02-13T12:00:00'));
    expect(h.sends('PROMISE_REMINDER').map((s) => `${s.channel}:${s.params.dueDate}:${s.params.amountMinor}`)).toEqual(['SMS:2026-02-14:313173']);
    h.pay(1, at('2026-02-14T09:00:00')).sleepUntil(at('2026-02-20T00:00:00'));
    expect(h.of('PROMISE_KEPT')).toHaveLength(1);
    expect(h.of('PROMISE_BROKEN')).toHaveLength(0);
  });

  it('pauses the ladder while open: no call and no ladder SMS until the check', () => {
    const h = overdueWithCall()
      .answerWith('COLLECTION', { promise: { date: '2026-02-14', amount: 3131.73 } })
      .sleepUntil(at('2026-02-15T09:00:00'));
    const paused = h.of('CONTACT_SUPPRESSED').filter((e) => e.reason === 'PROMISE_OPEN');
    expect(paused.map((e) => `${e.channel}:${e.dpd}`)).toEqual(['CALL:7', 'SMS:7']);
    expect(collectionCalls(h).map((e) => e.taskId)).toEqual(['L-1.COLLECTION.1.E1D3']);
  });

  it('broken: PROMISE_BROKEN the day after, and the next call brought forward with its priority raised', () => {
    const h = overdueWithCall()
      .answerWith('COLLECTION', { promise: { date: '2026-02-14', amount: 3131.73 } })
      .sleepUntil(at('2026-02-15T12:00:00'));
    expect(h.of('PROMISE_BROKEN')).toMatchObject([{ at: at('2026-02-15T10:00:00'), brokenInEpisode: 1 }]);
    const forward = collectionCalls(h).find((e) => String(e.taskId).endsWith('E1P1'))!;
    expect(forward.at).toBe(at('2026-02-15T10:00:00'));
    const ladderCall = collectionCalls(h).find((e) => String(e.taskId).endsWith('E1D3'))!;
    expect(Number(forward.priority)).toBeGreaterThan(Number(ladderCall.priority) + consumer.promises.brokenPriorityBoost - 1);
    // The DPD 15 call it replaced is not made again on its own day.
    h.sleepUntil(at('2026-02-21T12:00:00'));
    expect(collectionCalls(h).some((e) => String(e.taskId).endsWith('E1D15'))).toBe(false);
  });

  it('noncompliant: a partial payment does not keep the promise', () => {
    const h = overdueWithCall().answerWith('COLLECTION', { promise: { date: '2026-02-14', amount: 3131.73 } });
    h.deliver({ type: 'PAYMENT_RECEIVED', amount: 100_000 }).sleepUntil(at('2026-02-15T12:00:00'));
    expect(h.of('PROMISE_KEPT')).toHaveLength(0);
    expect(h.of('PROMISE_BROKEN')).toMatchObject([{ paid: 100_000 }]);
  });

  it('three broken promises in an episode put a PRE_LEGAL_REVIEW before risk', () => {
    const h = overdueWithCall();
    const breakOne = (promised: string, check: string) => {
      const purpose = h.openTask('COLLECTION') ? 'COLLECTION' : undefined;
      if (!purpose) throw new Error('no collection call to answer');
      h.answerWith('COLLECTION', { promise: { date: promised, amount: 3131.73 } }).sleepUntil(at(check));
    };
    breakOne('2026-02-10', '2026-02-11T12:00:00');
    breakOne('2026-02-14', '2026-02-15T12:00:00');
    expect(h.of('CALLBACK_CREATED').filter((e) => e.purpose === 'PRE_LEGAL_REVIEW')).toHaveLength(0);
    breakOne('2026-02-18', '2026-02-19T12:00:00');
    expect(h.of('REPEATED_DEFAULT')).toMatchObject([{ brokenPromises: 3, action: 'PRE_LEGAL_REVIEW' }]);
    expect(h.openTask('PRE_LEGAL_REVIEW')?.queue).toBe('review');
    expect(h.snapshot.state.status).toBe('ACTIVE');
  });

  it('the policy can make repeated default an automatic referral', () => {
    const policy = withPolicy((p) => {
      p.repeatedDefault.brokenPromisesPerEpisode = 1;
      p.repeatedDefault.action = 'REFER';
    });
    const h = new DomainHarness(testLoan(), policy).sleepUntil(at('2026-02-08T11:00:00'));
    h.answerWith('COLLECTION', { promise: { date: '2026-02-10', amount: 3131.73 } }).sleepUntil(at('2026-02-11T12:00:00'));
    expect(h.of('LEGAL_REFERRAL')).toMatchObject([{ reason: expect.stringContaining('repeated default') }]);
  });

  it('episodes in 12 months count too: the third episode goes to PRE_LEGAL_REVIEW', () => {
    const h = new DomainHarness();
    for (const seq of [1, 2, 3]) {
      const inst = h.snapshot.instalments[seq - 1]!;
      h.sleepUntil(at(`${inst.dueDate}T09:00:00`))
        .sleepUntil(at(`${inst.dueDate.slice(0, 8)}09T09:00:00`))
        .pay(seq);
    }
    expect(h.of('COLLECTION_STARTED')).toHaveLength(3);
    expect(h.of('REPEATED_DEFAULT')).toMatchObject([{ episodes: 3 }]);
    expect(h.of('CALLBACK_CREATED').filter((e) => e.purpose === 'PRE_LEGAL_REVIEW')).toHaveLength(1);
  });
});

describe('warnings and what answers them', () => {
  const firstContact = () => new DomainHarness().sleepUntil(at('2026-01-06T11:00:00'));

  it('lost ability to repay raises ADVANCED and a RECALL_REVIEW for risk, not a referral', () => {
    const h = firstContact().answer('FIRST_CONTACT', ['lost_ability']);
    expect(h.snapshot.state.warningLevel).toBe('ADVANCED');
    expect(h.of('LEGAL_REFERRAL')).toHaveLength(0);
    expect(h.openTask('RECALL_REVIEW')).toMatchObject({ queue: 'review' });
    expect(teamNotices(h, 'WARNING_RAISED').map((e) => e.key)).toEqual(['WARNING:ADVANCED']);
  });

  it('misused funds raise INTERMEDIATE and a RECALL_REVIEW, and the supervisors hear of it', () => {
    const h = firstContact().answer('FIRST_CONTACT', ['funds_misused']);
    expect(h.snapshot.state.warningLevel).toBe('INTERMEDIATE');
    expect(h.openTask('RECALL_REVIEW')).toBeDefined();
    expect(teamNotices(h, 'WARNING_RAISED').map((e) => e.key)).toEqual(['WARNING:INTERMEDIATE']);
  });

  it('evasion still refers at once', () => {
    const h = firstContact().answer('FIRST_CONTACT', ['evasion']);
    expect(h.of('LEGAL_REFERRAL')).toHaveLength(1);
    expect(h.snapshot.state.status).toBe('LEGAL');
  });

  it('a recall review decided continue changes nothing but the record', () => {
    const h = firstContact().answer('FIRST_CONTACT', ['lost_ability']).answerWith('RECALL_REVIEW', { decision: 'continue' });
    expect(h.of('REVIEW_DECIDED')).toMatchObject([{ purpose: 'RECALL_REVIEW', outcome: 'continue' }]);
    expect(h.snapshot.state.status).toBe('ACTIVE');
    expect(h.of('LOAN_RECALLED')).toHaveLength(0);
  });

  it('refer sends the loan to the legal team', () => {
    const h = firstContact().answer('FIRST_CONTACT', ['lost_ability']).answerWith('RECALL_REVIEW', { decision: 'refer' });
    expect(h.of('LEGAL_REFERRAL')).toMatchObject([{ reason: 'risk decision on RECALL_REVIEW' }]);
  });

  it('restructure puts a RESTRUCTURE_REVIEW in the queue', () => {
    const h = firstContact().answer('FIRST_CONTACT', ['lost_ability']).answerWith('RECALL_REVIEW', { decision: 'restructure' });
    expect(h.openTask('RESTRUCTURE_REVIEW')).toBeDefined();
  });

  it('recall makes the whole balance due on the recall date with a formal notice, and collections run on it', () => {
    const h = firstContact().answer('FIRST_CONTACT', ['lost_ability']).answerWith('RECALL_REVIEW', { decision: 'recall' });
    const recalled = h.of('LOAN_RECALLED')[0]!;
    expect(recalled.dueDate).toBe('2026-01-21');
    expect(h.snapshot.instalments.every((i) => i.dueDate === '2026-01-21')).toBe(true);
    // Interest not yet accrued is not owed: the balance is the principal.
    expect(recalled.amount).toBe(3_600_000);
    expect(h.sends('RECALL_NOTICE').map((s) => `${s.channel}:${s.params.dueDate}:${s.params.amountMinor}`)).toEqual([
      'SMS:2026-01-21:3600000',
      'EMAIL:2026-01-21:3600000',
    ]);
    h.sleepUntil(at('2026-01-25T12:00:00'));
    expect(h.of('COLLECTION_STARTED')).toHaveLength(1);
    expect(h.last?.phase).toBe('Collections');
  });
});

describe('the legal phase, and an end', () => {
  const referred = () => new DomainHarness().sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT', ['evasion']);

  it('written off: LEGAL_CASE_CLOSED, LOAN_CLOSED WRITTEN_OFF, classified LOSS, and the execution ends', () => {
    const h = referred().legal('hearing_scheduled').legal('written_off');
    expect(h.of('LEGAL_EVENT').map((e) => e.event)).toEqual(['hearing_scheduled', 'written_off']);
    expect(h.of('LEGAL_CASE_CLOSED')).toMatchObject([{ outcome: 'written_off', caseId: 'CASE-L-1' }]);
    expect(h.of('LOAN_CLOSED')).toMatchObject([{ reason: 'WRITTEN_OFF' }]);
    expect(h.snapshot.state.classification).toBe('LOSS');
    expect(h.last?.action).toBe('CLOSE');
  });

  it('recovered money that covers the balance closes the case as LEGAL_RECOVERED; less does not', () => {
    const h = referred().legal('recovered', 1_000_000);
    expect(h.of('LOAN_CLOSED')).toHaveLength(0);
    const owed = h.snapshot.instalments.reduce((sum, i) => sum + i.amount - i.paidAmount, 0);
    h.legal('recovered', owed);
    expect(h.of('LEGAL_CASE_CLOSED')).toMatchObject([{ outcome: 'recovered' }]);
    expect(h.of('LOAN_CLOSED')).toMatchObject([{ reason: 'LEGAL_RECOVERED' }]);
    // No closing message to a borrower the legal team deals with.
    expect(h.sends('CLOSING')).toHaveLength(0);
  });

  it('a settlement covering the balance closes as LEGAL_SETTLED', () => {
    const h = referred();
    const owed = h.snapshot.instalments.reduce((sum, i) => sum + i.amount - i.paidAmount, 0);
    h.legal('settled', owed);
    expect(h.of('LOAN_CLOSED')).toMatchObject([{ reason: 'LEGAL_SETTLED' }]);
  });

  it('a case quiet for 90 days gets a LEGAL_FOLLOW_UP for the legal team; a legal event completes it', () => {
    const h = referred().sleepUntil(at('2026-04-07T12:00:00'));
    const task = h.openTask('LEGAL_FOLLOW_UP');
    expect(task).toMatchObject({ queue: 'legal' });
    expect(task!.createdAt).toBe(at('2026-04-06T11:00:00'));
    h.legal('judgment');
    expect(h.openTask('LEGAL_FOLLOW_UP')).toBeUndefined();
    // The next one counts from the judgment.
    h.sleepUntil(at('2026-07-04T12:00:00'));
    expect(h.openTask('LEGAL_FOLLOW_UP')).toBeUndefined();
    h.sleepUntil(at('2026-07-06T12:00:00'));
    expect(h.openTask('LEGAL_FOLLOW_UP')).toBeDefined();
  });

  it('payments still count in the legal phase and move the classification; nobody calls', () => {
    const h = new DomainHarness().sleepUntil(at('2026-05-07T12:00:00'));
    expect(h.snapshot.state.status).toBe('LEGAL');
    expect(h.snapshot.state.classification).toBe('SUBSTANDARD');
    const created = h.of('CALLBACK_CREATED').length;
    const owed = h.snapshot.instalments.filter((i) => i.dueDate <= '2026-05-07').reduce((sum, i) => sum + i.amount - i.paidAmount, 0);
    h.deliver({ type: 'PAYMENT_RECEIVED', amount: owed }).sleepUntil(at('2026-06-01T00:00:00'));
    expect(h.snapshot.state.classification).toBe('SPECIAL_MENTION');
    expect(
      h
        .of('CALLBACK_CREATED')
        .slice(created)
        .filter((e) => e.purpose !== 'LEGAL_FOLLOW_UP'),
    ).toHaveLength(0);
  });
});

describe('phases', () => {
  it('a loan paid on time goes FirstContact → EarlyChecks → Servicing, and to Collections and back when it slips', () => {
    const h = new DomainHarness().sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT');
    h.sleepUntil(at('2026-02-05T09:00:00')).pay(1).sleepUntil(at('2026-02-06T09:00:00')).answer('DAY30_CHECK');
    h.sleepUntil(at('2026-03-05T09:00:00')).pay(2).sleepUntil(at('2026-03-07T09:00:00')).answer('DAY60_CHECK');
    h.sleepUntil(at('2026-04-08T12:00:00')).pay(3);
    expect(h.of('PHASE_CHANGED').map((e) => `${e.from}->${e.to}`)).toEqual([
      'null->FirstContact',
      'FirstContact->EarlyChecks',
      'EarlyChecks->Servicing',
      'Servicing->Collections',
      'Collections->Servicing',
    ]);
  });

  it('closing by payoff records LOAN_CLOSED with reason PAID_OFF', () => {
    const h = new DomainHarness().sleepUntil(at('2026-01-20T12:00:00')).deliver({ type: 'PAYOFF' });
    expect(h.of('LOAN_CLOSED')).toMatchObject([{ reason: 'PAID_OFF' }]);
  });
});

describe('purity', () => {
  it('a step that breaks a promise leaves the snapshot it was given as it was (catch-up re-runs steps on it)', () => {
    const h = new DomainHarness().sleepUntil(at('2026-02-08T11:00:00')).answerWith('COLLECTION', { promise: { date: '2026-02-14', amount: 3131.73 } });
    const before = structuredClone(h.snapshot);
    const request = { snapshot: h.snapshot, events: [], now: at('2026-02-15T12:00:00'), generation: 0, iteration: 99 };
    const decision = advanceFollowUp(request, consumer);
    expect(decision.state.episode?.brokenPromises).toBe(1);
    expect(h.snapshot).toEqual(before);
    expect(advanceFollowUp(request, consumer).state.episode?.brokenPromises).toBe(1);
  });
});

describe('the promised date (checked by the API before anything is written)', () => {
  const now = at('2026-02-08T11:00:00');
  it('compliant: today and up to maxDaysAhead ahead, in the borrower’s time zone', () => {
    expect(promiseDateProblem('2026-02-08', now, 'Asia/Shanghai', 14)).toBeNull();
    expect(promiseDateProblem('2026-02-22', now, 'Asia/Shanghai', 14)).toBeNull();
  });

  it('noncompliant: a date in the past', () => {
    expect(promiseDateProblem('2026-02-07', now, 'Asia/Shanghai', 14)).toBe("must not be in the past (today is 2026-02-08 in the borrower's time zone)");
  });

  it('noncompliant: beyond the bound', () => {
    expect(promiseDateProblem('2026-02-23', now, 'Asia/Shanghai', 14)).toBe('must be at most 14 days ahead (2026-02-22 at the latest)');
  });

  it('reads today in the borrower’s zone, not UTC', () => {
    // 2026-02-08 05:00 in Shanghai is 2026-02-07 13:00 in Los Angeles: the 7th is past in one zone, today in the other.
    const early = at('2026-02-08T05:00:00');
    expect(promiseDateProblem('2026-02-07', early, 'Asia/Shanghai', 14)).not.toBeNull();
    expect(promiseDateProblem('2026-02-07', early, 'America/Los_Angeles', 14)).toBeNull();
  });
});

describe('a promise made while nothing is overdue', () => {
  it('noncompliant: is not kept by itself; unpaid, it is broken the day after, with no collection to bring forward', () => {
    const h = new DomainHarness().sleepUntil(at('2026-01-06T11:00:00'));
    h.answerWith('FIRST_CONTACT', { promise: { date: '2026-01-15', amount: 500 } });
    expect(h.of('PROMISE_MADE')).toHaveLength(1);
    expect(h.of('PROMISE_KEPT')).toHaveLength(0);
    h.sleepUntil(at('2026-01-17T00:00:00'));
    expect(h.of('PROMISE_BROKEN')).toMatchObject([{ episode: null }]);
    expect(h.of('CALLBACK_CREATED').filter((e) => e.purpose === 'COLLECTION')).toHaveLength(0);
  });

  it('compliant: paid, it is kept', () => {
    const h = new DomainHarness().sleepUntil(at('2026-01-06T11:00:00'));
    h.answerWith('FIRST_CONTACT', { promise: { date: '2026-01-15', amount: 500 } });
    h.sleepUntil(at('2026-01-10T09:00:00')).deliver({ type: 'PAYMENT_RECEIVED', amount: 50_000 });
    expect(h.of('PROMISE_KEPT')).toHaveLength(1);
  });
});

describe('the recall date', () => {
  const lost = () => new DomainHarness().sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT', ['lost_ability']);
  it('compliant: the officer sets it within the policy bounds', () => {
    const h = lost().answerWith('RECALL_REVIEW', { decision: 'recall', recallDueDate: '2026-02-01' });
    expect(h.of('LOAN_RECALLED')).toMatchObject([{ dueDate: '2026-02-01' }]);
    expect(recallDateProblem('2026-02-01', at('2026-01-06T11:00:00'), 'Asia/Shanghai', consumer.recall)).toBeNull();
  });

  it('noncompliant: too soon or too late is refused by name', () => {
    expect(recallDateProblem('2026-01-08', at('2026-01-06T11:00:00'), 'Asia/Shanghai', consumer.recall)).toBe(
      "must be between 2026-01-13 and 2026-02-05 (7 to 30 days from today in the borrower's time zone)",
    );
    expect(recallDateProblem('2026-03-01', at('2026-01-06T11:00:00'), 'Asia/Shanghai', consumer.recall)).not.toBeNull();
  });
});

describe('hand-over in time', () => {
  it('a loan past maturity with the legal team for two years hands over before each generation is a year old', () => {
    // Legal follow-ups every 90 days would wake it anyway: stretch them so only the cap is left.
    const policy = withPolicy((p) => {
      p.legal.followUpAfterDays = 365;
      p.handover.maxAgeDays = 200;
    });
    const h = new DomainHarness(testLoan({ termMonths: 6 }), policy);
    h.sleepUntil(at('2026-01-06T11:00:00')).answer('FIRST_CONTACT', ['evasion']);
    const starts: string[] = [h.snapshot.state.generationStartedAt];
    let generation = h.snapshot.state.generation;
    while (h.wakeAt && h.wakeAt < at('2028-01-10T00:00:00')) {
      h.sleepUntil(h.wakeAt);
      if (h.snapshot.state.generation !== generation) {
        generation = h.snapshot.state.generation;
        starts.push(h.snapshot.state.generationStartedAt);
      }
    }
    expect(h.snapshot.state.status).toBe('LEGAL');
    expect(starts.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < starts.length; i++) expect(Date.parse(starts[i]!) - Date.parse(starts[i - 1]!)).toBeLessThanOrEqual(200 * 86_400_000);
  });
});
