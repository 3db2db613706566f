// The pieces of the report: local times, monthly counts, working days, the bill, the chart, the progress line.
import { describe as group, expect, it } from 'vitest';
import { forecastCost, loadPrices, usd } from '../../local/simulate/cost.js';
import { ProgressBar } from '../../local/simulate/progress.js';
import { buildSummary, formatReport, workingDaysIn } from '../../local/simulate/summary.js';
import { emptyTally, mergeTallies, tallyLoan, weekOf } from '../../local/simulate/tally.js';
import { exportEvent, inTimeOrder, localDay, offsetIso } from '../../local/simulate/timeline-export.js';
import { weeklySeries, workloadSvg } from '../../local/simulate/workload-svg.js';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';

group('timeline export', () => {
  it('writes instants with the borrower offset, DST included', () => {
    expect(offsetIso('2026-01-05T02:00:00.000Z', 'Asia/Shanghai')).toBe('2026-01-05T10:00:00.000+08:00');
    expect(offsetIso('2026-01-05T15:00:00.000Z', 'America/New_York')).toBe('2026-01-05T10:00:00.000-05:00');
    expect(offsetIso('2026-07-05T14:00:00.000Z', 'America/New_York')).toBe('2026-07-05T10:00:00.000-04:00');
    // Spring forward on 2026-03-08 at 07:00 UTC: one second before and at the change.
    expect(offsetIso('2026-03-08T06:59:59.000Z', 'America/New_York')).toBe('2026-03-08T01:59:59.000-05:00');
    expect(offsetIso('2026-03-08T07:00:00.000Z', 'America/New_York')).toBe('2026-03-08T03:00:00.000-04:00');
    expect(offsetIso('2026-01-05T04:15:00.000Z', 'Asia/Kathmandu')).toBe('2026-01-05T10:00:00.000+05:45');
    expect(localDay(Date.parse('2026-01-04T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-01-05');
  });

  it('keeps every attribute, loanId, at and type first, the rest by name; same instant by chain order', () => {
    const line = JSON.stringify(exportEvent({ loanId: 'L', at: '2026-01-05T02:00:00.000Z', type: 'T', key: 'T:1', zeta: 1, alpha: 2 }, 'Asia/Shanghai'));
    expect(line).toBe('{"loanId":"L","at":"2026-01-05T10:00:00.000+08:00","type":"T","alpha":2,"key":"T:1","zeta":1}');
    const at = '2026-01-05T02:00:00.000Z';
    const ordered = inTimeOrder([
      { loanId: 'L', at, type: 'B', key: 'B', seq: 2 },
      { loanId: 'L', at: '2026-01-04T02:00:00.000Z', type: 'C', key: 'C', seq: 3 },
      { loanId: 'L', at, type: 'A', key: 'A', seq: 1 },
    ]);
    expect(ordered.map((e) => e.type)).toEqual(['C', 'A', 'B']);
  });
});

const event = (at: string, type: string, details: Record<string, unknown> = {}): TimelineEvent => ({
  loanId: 'L-1',
  at,
  type,
  key: `${type}:${at}`,
  ...details,
});

group('monthly counts', () => {
  // Shanghai times: 2026-01-05 is a Monday.
  const events = [
    event('2026-01-05T02:00:00.000Z', 'LOAN_ONBOARDED'),
    event('2026-01-05T02:00:00.000Z', 'MESSAGE_SENT', { channel: 'SMS', purpose: 'WELCOME' }),
    event('2026-01-05T02:00:00.000Z', 'MESSAGE_SENT', { channel: 'EMAIL', purpose: 'WELCOME' }),
    event('2026-01-05T02:00:00.000Z', 'CALLBACK_CREATED', { purpose: 'FIRST_CONTACT' }),
    event('2026-01-05T03:00:00.000Z', 'CALLBACK_ATTEMPTED', { purpose: 'FIRST_CONTACT', outcome: 'NO_ANSWER' }),
    event('2026-01-06T03:00:00.000Z', 'CALLBACK_ATTEMPTED', { purpose: 'FIRST_CONTACT', outcome: 'NO_ANSWER' }),
    event('2026-01-06T05:00:00.000Z', 'CALLBACK_COMPLETED', { purpose: 'FIRST_CONTACT', outcome: 'REACHED' }),
    event('2026-01-20T01:00:00.000Z', 'CALLBACK_COMPLETED', { purpose: 'RESTRUCTURE_REVIEW', outcome: 'REACHED' }),
    event('2026-02-06T02:00:00.000Z', 'CLASSIFICATION_CHANGED', { from: 'NORMAL', to: 'SPECIAL_MENTION' }),
    event('2026-02-06T02:00:00.000Z', 'WARNING_RAISED', { level: 'PRIMARY' }),
    event('2026-02-07T02:00:00.000Z', 'CONTACT_SUPPRESSED', { channel: 'SMS', purpose: 'REMINDER', reason: 'OPTED_OUT' }),
    // 2026-02-28 23:30 UTC is already March 1st in Shanghai.
    event('2026-02-28T23:30:00.000Z', 'CLASSIFICATION_CHANGED', { from: 'SPECIAL_MENTION', to: 'NORMAL' }),
    event('2026-03-10T01:00:00.000Z', 'PAYMENT_RECEIVED', { amount: 100 }),
    event('2026-03-10T01:00:00.000Z', 'LOAN_CLOSED'),
  ];
  const horizon = { day: '2026-04-30', ms: Date.parse('2026-04-30T00:00:00Z') };

  it('counts by the borrower calendar month, calls per day and week, classification at each month end', () => {
    const tally = emptyTally();
    tallyLoan(tally, events, 'Asia/Shanghai', horizon, '2026-01-05T02:00:00.000Z');
    expect(tally.months['2026-01']).toMatchObject({ messages: { SMS: 1, EMAIL: 1 }, calls: 3, reviews: 1, loansOnboarded: 1, classification: { NORMAL: 1 } });
    expect(tally.months['2026-01']!.callbacksCompleted).toEqual({ FIRST_CONTACT: 1, RESTRUCTURE_REVIEW: 1 });
    expect(tally.months['2026-02']).toMatchObject({ warnings: { PRIMARY: 1 }, contactSuppressed: { OPTED_OUT: 1 }, classification: { SPECIAL_MENTION: 1 } });
    expect(tally.months['2026-03']).toMatchObject({ payments: 1, loansClosed: 1, classification: {} });
    expect(tally.months['2026-04']).toBeUndefined();
    expect(tally.callsByDay).toEqual({ '2026-01-05': 1, '2026-01-06': 2 });
    expect(tally.callsByWeek).toEqual({ '2026-01-05': 3 });
    expect(tally.loanMonthsActive).toBeCloseTo((Date.parse('2026-03-10T01:00:00Z') - Date.parse('2026-01-05T02:00:00Z')) / ((365.25 / 12) * 86_400_000), 6);
    const twice = mergeTallies(mergeTallies(emptyTally(), tally), tally);
    expect(twice.months['2026-01']!.calls).toBe(6);
    expect(twice.months['2026-01']!.messagesByPurpose).toEqual({ WELCOME: { SMS: 2, EMAIL: 2 } });
  });

  it('reports calls per working day, the busiest day, agent hours and the bill', () => {
    const tally = emptyTally();
    tallyLoan(tally, events, 'Asia/Shanghai', horizon, '2026-01-05T02:00:00.000Z');
    const prices = loadPrices();
    const summary = buildSummary({
      tally,
      usage: { stateTransitions: 1000, lambdaInvocations: { 'advance-loan': 300, 'await-event': 300 }, dynamoReads: 2000, dynamoWrites: 3000, executions: 2 },
      sent: { sms: { CN: 10 }, email: 5, team: 1 },
      prices,
      portfolio: { file: 'p.csv', loans: 1, scripted: 1, drawn: 0 },
      seed: 1,
      store: 'memory',
      policyFile: null,
      firstDay: '2026-01-05',
      horizonDay: '2026-04-30',
      loanMonthsSimulated: 3.8,
      minutesPerCall: 10,
      minutesPerVisit: 90,
      run: { wallSeconds: 2, simulationSeconds: 1, cpuSeconds: 2, workers: 0, batches: 1 },
    });
    const january = summary.months[0]!;
    // January from Monday the 5th: four full weeks.
    expect(january.workingDays).toBe(20);
    expect(january.agentWorkload).toMatchObject({ calls: 3, peakDay: { date: '2026-01-06', calls: 2 }, fieldVisits: 0, reviews: 1, agentHours: 0.5 });
    expect(january.agentWorkload.callsPerWorkingDay).toBe(0.2); // 3 / 20, to one decimal
    expect(summary.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
    expect(summary.months[3]!.agentWorkload.peakDay).toBeNull();
    expect(summary.totals.agentWorkload.peakDay).toEqual({ date: '2026-01-06', calls: 2 });
    expect(summary.usage.lambdaInvocations.total).toBe(600);
    const expected = forecastCost(
      { stateTransitions: 1000, lambdaInvocations: 600, dynamoReads: 2000, dynamoWrites: 3000, sms: { CN: 10 }, emails: 5, teamPublishes: 1 },
      prices,
    );
    expect(summary.cost.forecast.total).toBeCloseTo(expected.total, 6);
    expect(summary.perLoanYear.stateTransitions).toBeGreaterThan(1000 * 2);
    const report = formatReport(summary);
    expect(report).toContain('2026-01');
    expect(report).toContain('2026-01-06 (2)');
    expect(report).toContain('AWS forecast');
  });

  it('counts Monday to Friday within the horizon', () => {
    expect(workingDaysIn('2026-02', '2026-01-01', '2026-12-31')).toBe(20);
    expect(workingDaysIn('2026-02', '2026-02-10', '2026-02-13')).toBe(4);
    expect(weekOf('2026-01-11')).toBe('2026-01-05');
    expect(weekOf('2026-01-12')).toBe('2026-01-12');
  });
});

group('collections: promises, tiers, cures, rolls, legal cases, closings', () => {
  // Shanghai times. Loan A: an episode from DPD 1 on 2026-03-06, cured at DPD 40 (2026-04-14) after a broken
  // and a kept promise. Loan B: an episode from 2026-03-06 referred at DPD 75, written off on 2026-09-03.
  // Loan C: an episode from 2026-04-06 still open at the horizon (2026-05-20, DPD 45).
  const shanghai = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();
  const loan = (loanId: string, list: [string, string, Record<string, unknown>?][]): TimelineEvent[] =>
    list.map(([at, type, details], i) => ({ loanId, at: shanghai(at), type, key: `${type}:${i}`, seq: i + 1, ...details }));
  const a = loan('A', [
    ['2026-01-05', 'LOAN_ONBOARDED'],
    ['2026-03-06', 'COLLECTION_STARTED', { episode: 1, dpd: 1 }],
    ['2026-03-06', 'MESSAGE_SENT', { channel: 'SMS', purpose: 'OVERDUE_NOTICE' }],
    ['2026-03-06', 'MESSAGE_SENT', { channel: 'EMAIL', purpose: 'OVERDUE_NOTICE' }],
    ['2026-03-08', 'CALLBACK_CREATED', { purpose: 'COLLECTION', queue: 'collection_early' }],
    ['2026-03-09', 'PROMISE_MADE', { date: '2026-03-12', amount: 100 }],
    ['2026-03-11', 'MESSAGE_SENT', { channel: 'SMS', purpose: 'PROMISE_REMINDER' }],
    ['2026-03-13', 'PROMISE_BROKEN', { date: '2026-03-12', amount: 100 }],
    ['2026-04-05', 'MESSAGE_SENT', { channel: 'SMS', purpose: 'OVERDUE_NOTICE' }],
    ['2026-04-06', 'CALLBACK_CREATED', { purpose: 'COLLECTION', queue: 'collection_middle' }],
    ['2026-04-06', 'PROMISE_MADE', { date: '2026-04-14', amount: 100 }],
    ['2026-04-14', 'PAYMENT_RECEIVED', { amount: 100 }],
    ['2026-04-14', 'COLLECTION_ENDED', { episode: 1, cured: true }],
    ['2026-04-14', 'PROMISE_KEPT', { date: '2026-04-14', amount: 100 }],
    // Not a collection message: the regular reminder after the episode.
    ['2026-05-02', 'MESSAGE_SENT', { channel: 'SMS', purpose: 'REMINDER' }],
  ]);
  const b = loan('B', [
    ['2026-01-05', 'LOAN_ONBOARDED'],
    ['2026-03-06', 'COLLECTION_STARTED', { episode: 1, dpd: 1 }],
    ['2026-05-04', 'MESSAGE_SENT', { channel: 'EMAIL', purpose: 'DEMAND_LETTER' }],
    ['2026-05-08', 'CALLBACK_CREATED', { purpose: 'COLLECTION', queue: 'collection_late' }],
    ['2026-05-19', 'COLLECTION_ENDED', { episode: 1, cured: false, reason: 'LEGAL_REFERRAL' }],
    ['2026-05-19', 'LEGAL_REFERRAL', { caseId: 'CASE-B', dpd: 75 }],
    ['2026-09-03', 'LEGAL_CASE_CLOSED', { caseId: 'CASE-B', outcome: 'written_off' }],
    ['2026-09-03', 'LOAN_CLOSED', { reason: 'WRITTEN_OFF' }],
  ]);
  const c = loan('C', [
    ['2026-01-05', 'LOAN_ONBOARDED'],
    ['2026-04-06', 'COLLECTION_STARTED', { episode: 1, dpd: 1 }],
    ['2026-05-06', 'MESSAGE_SENT', { channel: 'SMS', purpose: 'OVERDUE_NOTICE' }],
  ]);

  it('counts each by month, messages in the tier of the episode days past due, rolls on the episode clock', () => {
    const horizon = { day: '2026-05-20', ms: Date.parse(shanghai('2026-05-20', '00:00')) };
    const tally = emptyTally();
    for (const events of [a, b])
      tallyLoan(tally, events, 'Asia/Shanghai', { day: '2026-12-31', ms: Date.parse(shanghai('2026-12-31')) }, shanghai('2026-01-05'));
    tallyLoan(tally, c, 'Asia/Shanghai', horizon, shanghai('2026-01-05'));
    expect(tally.months['2026-03']).toMatchObject({ promisesMade: 1, promisesBroken: 1, episodesStarted: 2, collectionCalls: { collection_early: 1 } });
    // A's DPD 1 notice and promise reminder are early; its SMS on 04-05 (DPD 31) is middle. C's SMS on 05-06 is DPD 31.
    expect(tally.months['2026-03']!.collectionMessages).toEqual({ collection_early: { SMS: 2, EMAIL: 1 } });
    expect(tally.months['2026-04']).toMatchObject({
      promisesMade: 1,
      promisesKept: 1,
      episodesStarted: 1,
      episodesEnded: { CURED: 1 },
      collectionCalls: { collection_middle: 1 },
    });
    expect(tally.months['2026-04']!.collectionMessages).toEqual({ collection_middle: { SMS: 1 } });
    // B's demand letter on 05-04 is DPD 60 (middle); the regular reminder of A is no collection message.
    expect(tally.months['2026-05']!.collectionMessages).toEqual({ collection_middle: { EMAIL: 1, SMS: 1 } });
    expect(tally.months['2026-05']).toMatchObject({ episodesEnded: { LEGAL_REFERRAL: 1 }, legalReferrals: 1, collectionCalls: { collection_late: 1 } });
    expect(tally.months['2026-09']).toMatchObject({ legalCasesClosed: { written_off: 1 }, loansClosedByReason: { WRITTEN_OFF: 1 }, loansClosed: 1 });
    // A reached DPD 40 (31-60); B’s clock ran on after its referral to the write-off (DPD 182); C is in 31-60 at the horizon.
    expect(tally.rolls).toEqual({
      '1-30': { reached: 3, rolled: 3, censored: 0 },
      '31-60': { reached: 3, rolled: 1, censored: 1 },
      '61-90': { reached: 1, rolled: 1, censored: 0 },
    });
    // Other policy tiers move the messages, not the calls (their queue is the product's decision).
    const narrow = emptyTally();
    tallyLoan(narrow, a, 'Asia/Shanghai', horizon, shanghai('2026-01-05'), { middleFromDpd: 5, lateFromDpd: 20 });
    expect(narrow.months['2026-03']!.collectionMessages).toEqual({ collection_early: { SMS: 1, EMAIL: 1 }, collection_middle: { SMS: 1 } });
    expect(narrow.months['2026-04']!.collectionMessages).toEqual({ collection_late: { SMS: 1 } });

    const summary = buildSummary({
      tally: mergeTallies(emptyTally(), tally),
      usage: { stateTransitions: 0, lambdaInvocations: {}, dynamoReads: 0, dynamoWrites: 0, executions: 3 },
      sent: { sms: {}, email: 0, team: 0 },
      prices: loadPrices(),
      portfolio: { file: 'p.csv', loans: 3, scripted: 3, drawn: 0 },
      seed: 1,
      store: 'memory',
      policyFile: null,
      firstDay: '2026-01-05',
      horizonDay: '2026-12-31',
      loanMonthsSimulated: 30,
      minutesPerCall: 6,
      minutesPerVisit: 90,
      run: { wallSeconds: 1, simulationSeconds: 1, cpuSeconds: 1, workers: 0, batches: 1 },
    });
    const t = summary.totals;
    expect(t.promises).toEqual({ made: 2, kept: 1, broken: 1 });
    expect(t.collections).toEqual({
      episodesStarted: 3,
      episodesEnded: { CURED: 1, LEGAL_REFERRAL: 1 },
      byTier: {
        collection_early: { calls: 1, sms: 2, emails: 1 },
        collection_middle: { calls: 1, sms: 2, emails: 1 },
        collection_late: { calls: 1, sms: 0, emails: 0 },
      },
      cureRate: 0.3333,
      rollRates: [
        { from: '1-30', to: '31-60', episodes: 3, rolled: 3, censored: 0, rate: 1 },
        { from: '31-60', to: '61-90', episodes: 2, rolled: 1, censored: 1, rate: 0.5 },
        { from: '61-90', to: '91+', episodes: 1, rolled: 1, censored: 0, rate: 1 },
      ],
    });
    expect(t.legal).toEqual({ casesOpened: 1, casesClosed: { written_off: 1 } });
    expect(t.loansClosedByReason).toEqual({ WRITTEN_OFF: 1 });
    expect(summary.months.find((m) => m.month === '2026-04')!.promises).toEqual({ made: 1, kept: 1, broken: 0 });
    const report = formatReport(summary);
    expect(report).toContain('Promises to pay: 2 made, 1 kept, 1 broken');
    expect(report).toContain(
      'Collections: 3 episodes, 1 cured (cure rate 33.3%), ended uncured: LEGAL_REFERRAL 1; by tier early/middle/late: calls 1/1/1, SMS 2/2/0, emails 1/1/0',
    );
    expect(report).toContain(
      'Roll rates (episodes by days past due): 1-30→31-60 3/3 (100%), 31-60→61-90 1/2 (50%), 61-90→91+ 1/1 (100%); 1 still in a bucket at the horizon',
    );
    expect(report).toContain('Legal cases: 1 opened, 1 closed (written_off 1)');
    expect(report).toContain('loans closed: 1 (WRITTEN_OFF 1)');
  });
});

group('schedules changed: restructures and recalls', () => {
  const at = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString();
  const restructured = [
    event(at('2026-01-05'), 'LOAN_ONBOARDED'),
    event(at('2026-06-15'), 'RESTRUCTURED', { fromVersion: 1, toVersion: 2 }),
    event(at('2026-09-30', '23:30'), 'RESTRUCTURED', { fromVersion: 2, toVersion: 3 }),
  ];
  const recalled = [event(at('2026-01-05'), 'LOAN_ONBOARDED'), event(at('2026-07-01', '00:30'), 'LOAN_RECALLED', { dueDate: '2026-07-16', amount: 100 })];

  it('counts RESTRUCTURED and LOAN_RECALLED by the borrower month, in totals and in the report', () => {
    const tally = emptyTally();
    for (const events of [restructured, recalled])
      tallyLoan(tally, events, 'Asia/Shanghai', { day: '2026-12-31', ms: Date.parse(at('2026-12-31')) }, at('2026-01-05'));
    expect(tally.months['2026-06']).toMatchObject({ restructures: 1, recalls: 0 });
    // 00:30 on July 1st in Shanghai is still June 30th in UTC: the borrower's month counts.
    expect(tally.months['2026-07']).toMatchObject({ restructures: 0, recalls: 1 });
    expect(tally.months['2026-09']).toMatchObject({ restructures: 1 });
    const summary = buildSummary({
      tally: mergeTallies(emptyTally(), tally),
      usage: { stateTransitions: 0, lambdaInvocations: {}, dynamoReads: 0, dynamoWrites: 0, executions: 2 },
      sent: { sms: {}, email: 0, team: 0 },
      prices: loadPrices(),
      portfolio: { file: 'p.csv', loans: 2, scripted: 2, drawn: 0 },
      seed: 1,
      store: 'memory',
      policyFile: null,
      firstDay: '2026-01-05',
      horizonDay: '2026-12-31',
      loanMonthsSimulated: 24,
      minutesPerCall: 6,
      minutesPerVisit: 90,
      run: { wallSeconds: 1, simulationSeconds: 1, cpuSeconds: 1, workers: 0, batches: 1 },
      scriptProblems: [
        { line: 3, loanId: 'L-2', field: 'reviews', reason: 'RESTRUCTURE_REVIEW 1 "extend30" refused on 2026-06-15: extendMonths: must be at most 24 months' },
      ],
    });
    expect(summary.months.map((m) => [m.month, m.restructures, m.recalls]).filter(([, r, c]) => r || c)).toEqual([
      ['2026-06', 1, 0],
      ['2026-07', 0, 1],
      ['2026-09', 1, 0],
    ]);
    expect(summary.totals).toMatchObject({ restructures: 2, recalls: 1 });
    const report = formatReport(summary);
    expect(report).toContain('Schedules changed: 2 restructured, 1 recalled (restructured/recalled by month: 2026-06 1/0, 2026-07 0/1, 2026-09 1/0)');
    expect(report).toContain('  line 3: loan L-2: reviews: RESTRUCTURE_REVIEW 1 "extend30" refused on 2026-06-15: extendMonths: must be at most 24 months');
    expect(summary.scriptProblems).toHaveLength(1);
  });
});

group('the price table and the bill', () => {
  it('names a source for every figure and the date it was checked', () => {
    const prices = loadPrices();
    expect(prices.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const part of [prices.stepFunctions, prices.lambda, prices.dynamodb, prices.sms, prices.ses, prices.sns])
      expect(part.source).toMatch(/^https:\/\/aws\.amazon\.com\//);
    expect(prices.sms.perMessageByCountry.CN).toBeGreaterThan(0);
    expect(prices.sms.perMessageByCountry.US).toBeGreaterThan(0);
  });

  it('multiplies each counted unit by its price', () => {
    const prices = loadPrices();
    const cost = forecastCost(
      {
        stateTransitions: 2000,
        lambdaInvocations: 1_000_000,
        dynamoReads: 1_000_000,
        dynamoWrites: 1_000_000,
        sms: { CN: 2, US: 1, XX: 1 },
        emails: 1000,
        teamPublishes: 0,
      },
      prices,
    );
    expect(cost.stepFunctions).toBeCloseTo(2 * prices.stepFunctions.standardPerThousandTransitions, 10);
    expect(cost.lambdaRequests).toBeCloseTo(prices.lambda.perMillionRequests, 10);
    expect(cost.lambdaCompute).toBeCloseTo(
      1_000_000 * (prices.lambda.assumedAverageDurationMs / 1000) * (prices.lambda.memoryMb / 1024) * prices.lambda.arm64PerGbSecond,
      8,
    );
    expect(cost.dynamodbReads).toBeCloseTo(prices.dynamodb.perMillionReadRequestUnits, 10);
    expect(cost.dynamodbWrites).toBeCloseTo(prices.dynamodb.perMillionWriteRequestUnits, 10);
    expect(cost.sms).toBeCloseTo(2 * prices.sms.perMessageByCountry.CN! + prices.sms.perMessageByCountry.US! + prices.sms.otherCountries, 10);
    expect(cost.email).toBeCloseTo(prices.ses.perThousandEmails, 10);
    expect(cost.total).toBeCloseTo(cost.platform + cost.sms + cost.email, 10);
    expect(usd(0.000123)).toBe('$0.000123');
    expect(usd(1234.5)).toBe('$1,235');
  });
});

group('workload.svg', () => {
  it('draws calls and messages per week, every week of the horizon', () => {
    const series = weeklySeries({ '2026-01-05': 3, '2026-01-19': 7 }, { '2026-01-12': 40 }, '2026-01-07', '2026-02-02');
    expect(series.weeks).toEqual(['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02']);
    expect(series.calls).toEqual([3, 0, 7, 0, 0]);
    expect(series.messages).toEqual([0, 40, 0, 0, 0]);
    const svg = workloadSvg(series, 'Calls & messages <test>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('Calls &amp; messages &lt;test&gt;');
    expect(svg).toContain('>2026-01<');
    expect(svg).toContain('>2026-02<');
    expect(svg.trim().endsWith('</svg>')).toBe(true);
  });
});

group('progress', () => {
  it('shows loans done and the virtual time of the slowest running loan', () => {
    const bar = new ProgressBar(200, new Date('2029-01-01T00:00:00Z'), { enabled: true, tty: false, width: 10 });
    const line = bar.line({ finished: 50, laggard: Date.parse('2027-06-15T12:00:00Z') });
    expect(line).toMatch(/^\[###\.{7}\] 50\/200 loans {2}virtual time 2027-06-15 of 2029-01-01 {2}\d+ s$/);
  });
});
