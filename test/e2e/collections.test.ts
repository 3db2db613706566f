// The collections life of a loan end to end: the synthesized definition on the local engine, the real handlers,
// DynamoDB Local, and simulated borrowers, agents, risk officers and lawyers acting out each loan's script.
import { beforeAll, describe, expect, it } from 'vitest';
import { storiesOnDynamoDbLocal, type StoryResult } from '../support/story-harness.js';
import { loanRequest } from '../support/loans.js';

const story = storiesOnDynamoDbLocal();

const executionsOf = (s: StoryResult) => [...s.app.runtime.executions.values()];
const phases = (s: StoryResult) => s.of('PHASE_CHANGED').map((e) => e.to);

describe('a loan cured at DPD 40 after one broken and one kept promise', () => {
  let s: StoryResult;
  beforeAll(async () => {
    // Instalment 1 paid 40 days late; the first answered collection call promises 3 days ahead and breaks it,
    // the fifth promises the day the borrower does pay.
    s = await story(loanRequest({ loanId: 'CURED-40' }), { payments: 'L40 P P P', promises: 'B N N N K', answerRate: 1 }, 4);
  });

  it('records the broken promise, then the kept one', () => {
    expect(s.of('PROMISE_MADE').length).toBeGreaterThanOrEqual(2);
    expect(s.of('PROMISE_BROKEN')).toHaveLength(1);
    expect(s.of('PROMISE_KEPT')).toHaveLength(1);
    expect(s.of('PROMISE_BROKEN')[0]!.at < s.of('PROMISE_KEPT')[0]!.at).toBe(true);
  });

  it('brought the next call forward when the promise broke', () => {
    const broken = s.of('PROMISE_BROKEN')[0]!;
    const forward = s.of('CALLBACK_CREATED').find((e) => /\.E1P1$/.test(String(e.taskId)));
    expect(forward?.at).toBe(broken.at);
  });

  it('ends the episode cured, back in servicing, without a referral', () => {
    expect(s.of('COLLECTION_ENDED')).toMatchObject([{ episode: 1, cured: true }]);
    expect(s.of('LEGAL_REFERRAL')).toHaveLength(0);
    expect(phases(s)).toContain('Collections');
    expect(phases(s).at(-1)).not.toBe('Collections');
    expect(
      s
        .of('CLASSIFICATION_CHANGED')
        .map((e) => e.to)
        .at(-1),
    ).toBe('NORMAL');
  });

  it('sent the borrower a reminder before the promised date', () => {
    expect(s.outbox.filter((m) => m.purpose === 'PROMISE_REMINDER' && m.channel === 'SMS').length).toBeGreaterThanOrEqual(1);
  });
});

describe('three broken promises go to a pre-legal review, and risk refers the loan', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'BROKEN-3' }), { payments: 'M M M M M M', promises: 'B B B', reviews: 'PRE_LEGAL_REVIEW:refer', answerRate: 1 }, 4);
  });

  it('counts the third broken promise as repeated default and asks risk', () => {
    expect(s.of('PROMISE_BROKEN').length).toBeGreaterThanOrEqual(3);
    expect(s.of('REPEATED_DEFAULT')).toMatchObject([{ brokenPromises: 3, action: 'PRE_LEGAL_REVIEW' }]);
    expect(s.of('CALLBACK_CREATED').filter((e) => e.purpose === 'PRE_LEGAL_REVIEW')[0]).toMatchObject({ queue: 'review' });
  });

  it('is referred on risk’s decision, well before DPD 90', () => {
    expect(s.of('REVIEW_DECIDED')).toMatchObject([{ purpose: 'PRE_LEGAL_REVIEW', outcome: 'refer' }]);
    const referral = s.of('LEGAL_REFERRAL')[0]!;
    expect(referral.reason).toBe('risk decision on PRE_LEGAL_REVIEW');
    expect(Number(referral.dpd)).toBeLessThan(90);
    expect(phases(s).at(-1)).toBe('Legal');
  });

  it('the execution waits in the Legal state', () => {
    const running = executionsOf(s).filter((e) => e.status === 'RUNNING');
    expect(running).toHaveLength(1);
  });
});

describe('lost ability to repay answered by a recall review that decides continue', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'LOST-CONT' }), { reports: '2:lost_ability', reviews: 'RECALL_REVIEW:continue' }, 5);
  });

  it('raises ADVANCED and tells the supervisors, with no referral', () => {
    expect(s.of('WARNING_RAISED').map((w) => w.level)).toContain('ADVANCED');
    expect(s.of('TEAM_NOTIFIED').some((e) => e.reason === 'WARNING_RAISED')).toBe(true);
    expect(s.of('LEGAL_REFERRAL')).toHaveLength(0);
  });

  it('risk decides continue on the recall review and the follow-up carries on', () => {
    expect(s.of('REVIEW_DECIDED')).toMatchObject([{ purpose: 'RECALL_REVIEW', outcome: 'continue' }]);
    expect(s.of('LOAN_RECALLED')).toHaveLength(0);
    const decidedAt = s.of('REVIEW_DECIDED')[0]!.at;
    expect(s.outbox.some((m) => m.purpose === 'REMINDER' && m.at > decidedAt)).toBe(true);
  });
});

describe('a referred loan written off', () => {
  let s: StoryResult;
  beforeAll(async () => {
    s = await story(loanRequest({ loanId: 'WRITE-OFF' }), { payments: 'M M M M M M', reports: '1:evasion', legal: 'hearing_scheduled@2;written_off@4' }, 7);
  });

  it('records the legal events and closes the case written off', () => {
    expect(s.of('LEGAL_EVENT').map((e) => e.event)).toEqual(['hearing_scheduled', 'written_off']);
    expect(s.of('LEGAL_CASE_CLOSED')).toMatchObject([{ caseId: 'CASE-WRITE-OFF', outcome: 'written_off' }]);
    expect(s.of('LOAN_CLOSED')).toMatchObject([{ reason: 'WRITTEN_OFF' }]);
  });

  it('classifies the loan LOSS and ends its execution', async () => {
    expect(s.of('CLASSIFICATION_CHANGED').at(-1)?.to).toBe('LOSS');
    expect(executionsOf(s).every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect((await s.app.store.getLoan('WRITE-OFF'))?.state.status).toBe('CLOSED');
  });

  it('never contacted the borrower after the referral', () => {
    const referredAt = s.of('LEGAL_REFERRAL')[0]!.at;
    expect(s.outbox.filter((m) => m.at > referredAt && m.channel !== 'TEAM')).toHaveLength(0);
  });
});

describe('the team hears of a missed instalment at DPD 1, once an episode', () => {
  let s: StoryResult;
  beforeAll(async () => {
    // Instalment 1 is paid 20 days late, instalment 2 on time, instalment 3 ten days late: two episodes.
    s = await story(loanRequest({ loanId: 'TEAM-DPD1' }), { payments: 'L20 P L10 P' }, 5);
  });

  it('notifies the supervisors once in each of the two episodes, on the first day past due', () => {
    const notices = s.of('TEAM_NOTIFIED').filter((e) => e.reason === 'OVERDUE');
    expect(notices).toHaveLength(2);
    expect(s.of('COLLECTION_STARTED').map((e) => e.episode)).toEqual([1, 2]);
    const starts = s.of('COLLECTION_STARTED').map((e) => e.at);
    expect(notices.map((e) => e.at)).toEqual(starts);
    expect(s.outbox.filter((m) => m.channel === 'TEAM' && m.to === 'topic:supervisors' && m.body.includes('collection episode'))).toHaveLength(2);
  });
});
