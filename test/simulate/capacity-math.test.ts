// The arithmetic of `npm run capacity` on hand-built timestamp sets: each expected figure is worked out in
// the test from the events it builds.
import { ParkingTally } from '../../local/capacity/parking.js';
import { describe as group, expect, it } from 'vitest';
import { binCounts, busiest, DAY, demandOf, firstHit, headroom, HOUR, loansAtLimit, MINUTE, scaleFactor, SECOND } from '../../local/capacity/capacity-math.js';
import { emptyMeterRecord, loanOfInput, mergeMeterRecords, type MeterRecord } from '../../local/capacity/meter.js';
import { loadQuotas } from '../../local/capacity/quotas.js';
import { buildRows, drawnBook, parkingFigures, sampleRows, typicalMonth, WINDOW_DAYS } from '../../local/capacity/run-capacity.js';

const FROM = Date.parse('2026-04-05T00:00:00Z');
const WINDOW = { from: FROM, to: FROM + 30 * DAY };
/** `count` timestamps spread evenly over `spanMs` from `at`. */
const burst = (at: number, count: number, spanMs: number) => Array.from({ length: count }, (_, i) => at + Math.floor((i * spanMs) / count));

group('bins and the busiest bin', () => {
  it('counts each timestamp in its bin, the window start included and its end left out', () => {
    const times = [FROM - 1, FROM, FROM + MINUTE - 1, FROM + MINUTE, WINDOW.to - 1, WINDOW.to];
    const bins = binCounts(times, WINDOW, MINUTE);
    expect(bins).toHaveLength(30 * 24 * 60);
    expect(bins[0]).toBe(2); // FROM and FROM + 59.999 s
    expect(bins[1]).toBe(1);
    expect(bins.at(-1)).toBe(1); // the window's last millisecond; its end is outside
    expect(bins.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('finds the busiest minute, the earliest of equals', () => {
    const tenOClock = FROM + 2 * HOUR;
    const times = [...burst(FROM + 5 * MINUTE, 30, MINUTE), ...burst(tenOClock, 40, MINUTE), ...burst(tenOClock + DAY, 40, MINUTE)];
    expect(busiest(times, WINDOW, MINUTE)).toEqual({ at: tenOClock, count: 40 });
    expect(busiest([], WINDOW, MINUTE)).toEqual({ at: FROM, count: 0 });
  });
});

group('scaling a sample to a book', () => {
  it('120 events in one minute over a sample of 10 loans, scaled to 1,000 loans, are 200 a second', () => {
    const scale = scaleFactor(10, 1000); // each sampled loan stands for 100
    expect(scale).toBe(100);
    const demand = demandOf(burst(FROM + 2 * HOUR, 120, MINUTE), WINDOW, scale);
    expect(demand.perSecond).toBe((120 * 100) / 60); // 200
    expect(demand.perSecond).toBe(200);
    expect(demand.worstMinuteAt).toBe(FROM + 2 * HOUR);
    // Spread evenly over the minute: 2 a second in the sample, 200 in the book.
    expect(demand.worstSecond).toBe(200);
    expect(demand.perDay).toBe(120 * 100);
    expect(demand.total).toBe(12_000);
  });

  it('takes the worst minute, the worst second and the worst day each on its own', () => {
    // Day 0: 60 events at one instant (a 10:00 wake-up) and 100 spread over an hour; day 3: 300 over the day.
    const times = [...burst(FROM + 2 * HOUR, 60, 0), ...burst(FROM + 5 * HOUR, 100, HOUR), ...burst(FROM + 3 * DAY, 300, DAY)];
    const demand = demandOf(times, WINDOW, 2);
    expect(demand.perSecond).toBe((60 * 2) / 60); // the instant's minute: 60 events
    expect(demand.worstSecond).toBe(60 * 2);
    expect(demand.perDay).toBe(300 * 2); // day 3 beats day 0's 160
    expect(demand.worstDayAt).toBe(FROM + 3 * DAY);
    expect(demand.perHour).toHaveLength(30 * 24);
    expect(demand.perHour[2]).toBe(120);
    expect(demand.perHour.reduce((a, b) => a + b, 0)).toBe(460 * 2);
  });

  it('refuses an empty sample or book', () => {
    expect(() => scaleFactor(0, 1000)).toThrow(/at least one loan/);
    expect(() => scaleFactor(10, 0)).toThrow(/loans must be above 0/);
  });
});

group('headroom and the first quota hit', () => {
  it('gives the room left and the share used', () => {
    expect(headroom(200, 1500)).toEqual({ demand: 200, limit: 1500, headroom: 1300, utilization: 200 / 1500, exceeded: false });
    expect(headroom(2000, 1500)).toMatchObject({ headroom: -500, exceeded: true });
  });

  it('finds the book at which a demand growing with the loans reaches its limit', () => {
    // 1,000 loans make 200/s against 1,500/s: 7.5 times the book, 7,500 loans.
    expect(loansAtLimit(1000, 200, 1500)).toBe(7500);
    expect(loansAtLimit(1000, 0, 1500)).toBe(Number.POSITIVE_INFINITY);
    const rows = [
      { name: 'transitions', loansAtLimit: 7500 },
      { name: 'sms', loansAtLimit: 30 },
      { name: 'never', loansAtLimit: Number.POSITIVE_INFINITY },
      { name: 'sms again', loansAtLimit: 30 },
    ];
    expect(firstHit(rows)?.name).toBe('sms');
    expect(firstHit([{ loansAtLimit: Number.POSITIVE_INFINITY }])).toBeUndefined();
  });
});

group('the rows of the report', () => {
  const quotas = loadQuotas();
  // A sample of 10 loans scaled to 10,000: each stands for 1,000.
  const tenOClock = FROM + 2 * HOUR;
  const meter: MeterRecord = {
    ...emptyMeterRecord(),
    series: {
      'sfn:transitions': burst(tenOClock, 120, MINUTE), // 2 a second in the sample: 2,000/s
      'lambda:advance-loan': burst(tenOClock, 300, MINUTE),
      'lambda:await-event': burst(tenOClock, 300, MINUTE), // 600 a minute: 10,000/s, x 60 ms = 600 concurrent
      'sms:US': burst(tenOClock, 60, MINUTE), // 1 a second: 1,000/s against one toll-free number's 3
      'sms:CN': burst(tenOClock, 6, MINUTE),
      email: burst(tenOClock, 3, 0),
      'ddb:writes': burst(tenOClock, 600, MINUTE),
      'ddb:index:QUEUE#OPEN': burst(tenOClock, 30, MINUTE),
    },
    busiestLoanPartition: { pk: 'LOAN#L-1', minuteAt: tenOClock, writes: 120 },
  };
  const rows = (region: string) => buildRows({ meter, quotas, region, loans: 10_000, sampleLoans: 10, window: WINDOW, lambdaDurationMs: 60 });
  const row = (region: string, label: RegExp) => rows(region).find((r) => label.test(r.label))!;

  it('sets each series beside its quota, the bucket of the Region', () => {
    const east = row('us-east-1', /state transitions/);
    expect(east).toMatchObject({
      quota: 'sfnStateTransitions',
      perSecond: 2000,
      limit: 1500,
      demand: 2000,
      headroom: -500,
      exceeded: true,
      loansAtLimit: 7500,
    });
    // Outside the big three the refill is 500/s: reached at a third of the book.
    expect(row('eu-central-1', /state transitions/)).toMatchObject({ limit: 500, loansAtLimit: 2500 });
    expect(row('us-east-1', /StartExecution/)).toMatchObject({ perSecond: 0, loansAtLimit: null });
  });

  it('counts one open execution per loan, and Lambda concurrency as rate times duration', () => {
    expect(row('us-east-1', /open executions/)).toMatchObject({ demand: 10_000, limit: 1_000_000, loansAtLimit: 1_000_000, exceeded: false });
    const lambda = row('us-east-1', /Lambda concurrency/);
    expect(lambda.perSecond).toBe(10_000);
    expect(lambda.demand).toBeCloseTo(600, 9);
    expect(lambda.loansAtLimit).toBeCloseTo((10_000 * 1000) / 600, 6);
  });

  it('sends SMS through the identity of each country, email against the rate and the day', () => {
    expect(row('us-east-1', /SMS.*toll-free/)).toMatchObject({ quota: 'smsUsTollFree', perSecond: 1000, limit: 3, loansAtLimit: 30 });
    expect(row('us-east-1', /SMS.*long code/)).toMatchObject({ quota: 'smsLongCodeOther', perSecond: 100, limit: 10 });
    // Three emails at one instant: 3,000 in the minute (50/s) and in the day.
    expect(row('us-east-1', /SES sending rate/)).toMatchObject({ perSecond: 50, worstSecond: 3000, limit: 1 });
    expect(row('us-east-1', /SES emails per 24 hours/)).toMatchObject({ demand: 3000, limit: 200, loansAtLimit: (10_000 * 200) / 3000 });
  });

  it('scales the table and the shared index partition, not a loan partition', () => {
    expect(row('us-east-1', /table writes/)).toMatchObject({ perSecond: 10_000, limit: 40_000, loansAtLimit: 40_000 });
    expect(row('us-east-1', /QUEUE#OPEN/)).toMatchObject({ perSecond: 500, limit: 1000, loansAtLimit: 20_000 });
    // 120 writes in a minute to one loan's partition: 2/s, whatever the book.
    expect(row('us-east-1', /one loan partition/)).toMatchObject({ perSecond: 2, demand: 2, loansAtLimit: null });
    const first = firstHit(rows('us-east-1').map((r) => ({ ...r, loansAtLimit: r.loansAtLimit ?? Number.POSITIVE_INFINITY })));
    expect(first?.quota).toBe('smsUsTollFree');
  });
});

group('the sample', () => {
  it('draws a staggered book with a month of new loans, and the typical month after the staggering', () => {
    const { rows, window } = drawnBook(1000, 1);
    expect(rows).toHaveLength(1000);
    expect(window.to - window.from).toBe(WINDOW_DAYS * DAY);
    const inWindow = rows.filter((r) => Date.parse(r.request.disbursedAt) >= window.from);
    // About 1 in 36 of a 36-month book is new in a month.
    expect(inWindow).toHaveLength(Math.round((1000 * 30) / (36 * 30.44)));
    expect(inWindow.every((r) => Date.parse(r.request.disbursedAt) < window.to)).toBe(true);
    expect(new Set(rows.map((r) => r.request.loanId)).size).toBe(1000);
    expect(drawnBook(1000, 1).rows.map((r) => r.request.disbursedAt)).toEqual(rows.map((r) => r.request.disbursedAt));
  });

  it('samples a portfolio without replacement, in file order, and finds its typical month', () => {
    const { rows } = drawnBook(50, 2);
    const picked = sampleRows(rows, 10, 7);
    expect(picked).toHaveLength(10);
    expect(new Set(picked.map((r) => r.line)).size).toBe(10);
    expect(picked.map((r) => r.line)).toEqual([...picked.map((r) => r.line)].sort((a, b) => a - b));
    expect(sampleRows(rows, 100, 7)).toBe(rows);
    const last = Math.max(...picked.map((r) => Date.parse(r.request.disbursedAt)));
    const month = typicalMonth(picked);
    expect(month.from).toBeGreaterThan(last);
    expect(month.from - last).toBeLessThanOrEqual(DAY);
    expect(month.from % DAY).toBe(0);
  });
});

group('the meter', () => {
  it('ties a handler input to its loan', () => {
    expect(loanOfInput({ loanId: 'L-1', generation: 0 })).toBe('L-1');
    expect(loanOfInput({ taskId: 'L-2.FIRST_CONTACT' })).toBe('L-2');
    expect(loanOfInput({ caseId: 'CASE-L-3', event: 'hearing_scheduled' })).toBe('L-3');
    expect(loanOfInput({ Payload: { loanId: 'L-4' } })).toBe('L-4');
    expect(loanOfInput({ nothing: true })).toBeUndefined();
  });

  it('ties an API call to its loan: by the path, else by the onboarding body', () => {
    const event = (routeKey: string, pathParameters?: Record<string, string>, body?: string) => ({ routeKey, pathParameters, body, requestContext: {} });
    expect(loanOfInput(event('POST /api/loans/{id}/payments', { id: 'L-5' }, '{"amount":1}'))).toBe('L-5');
    expect(loanOfInput(event('POST /api/tasks/{id}/outcome', { id: 'L-6.DAY30_CHECK' }))).toBe('L-6');
    expect(loanOfInput(event('POST /api/referrals/{caseId}/events', { caseId: 'CASE-L-7' }))).toBe('L-7');
    expect(loanOfInput(event('POST /api/loans', undefined, '{"loanId":"L-8","product":"car"}'))).toBe('L-8');
    expect(loanOfInput(event('POST /api/loans/import', undefined, 'loanId,product'))).toBeUndefined();
  });

  it('merges batches: timestamps appended, the busiest partition kept, totals added', () => {
    const a: MeterRecord = {
      series: { email: [1, 2] },
      busiestLoanPartition: { pk: 'LOAN#A', minuteAt: 0, writes: 5 },
      unattributed: { team: 1 },
      totals: { transitions: 3, invocations: 2 },
      parking: { parkedLoanMs: 100, parks: 1 },
    };
    const b: MeterRecord = {
      series: { email: [3], 'sms:CN': [4] },
      busiestLoanPartition: { pk: 'LOAN#B', minuteAt: SECOND, writes: 9 },
      unattributed: {},
      totals: { transitions: 1, invocations: 1 },
      parking: { parkedLoanMs: 50, parks: 2 },
    };
    const merged = mergeMeterRecords(mergeMeterRecords(emptyMeterRecord(), a), b);
    expect(merged).toEqual({
      series: { email: [1, 2, 3], 'sms:CN': [4] },
      busiestLoanPartition: { pk: 'LOAN#B', minuteAt: SECOND, writes: 9 },
      unattributed: { team: 1 },
      totals: { transitions: 4, invocations: 3 },
      parking: { parkedLoanMs: 150, parks: 3 },
    });
  });
});

group('the parking tally (ending executions that wait longer than 30 days)', () => {
  const window = { from: 100 * DAY, to: 130 * DAY };

  it('counts only waits planned longer than the threshold, clipped to the window, ended by the next step', () => {
    const tally = new ParkingTally(window, 30 * DAY);
    tally.waitStarted('SHORT', 101 * DAY, 29 * 86_400);
    tally.stepStarted('SHORT', 110 * DAY);
    tally.waitStarted('LONG', 95 * DAY, 180 * 86_400);
    tally.stepStarted('LONG', 120 * DAY);
    tally.waitStarted('WOKEN', 105 * DAY, 60 * 86_400);
    tally.stepStarted('WOKEN', 107 * DAY);
    tally.waitStarted('PAST-END', 125 * DAY, 90 * 86_400);
    // LONG: days 100-120 inside the window (begun before it: no park counted); WOKEN: days 105-107; PAST-END: 125-130.
    expect(tally.finish()).toEqual({ parkedLoanMs: (20 + 2 + 5) * DAY, parks: 2 });
  });

  it('turns it into open executions and schedules at N loans', () => {
    // 10 sampled loans over a 30-day window, 30 loan-days parked: a tenth of the book; 3 parks scaled by 100,000.
    const figures = parkingFigures({ parkedLoanMs: 30 * DAY, parks: 3 }, 10, window, 1_000_000, 100_000);
    expect(figures).toMatchObject({ parkAfterDays: 30, parkedShare: 0.1, openExecutions: 900_000, schedulesPerDay: 10_000 });
    // 300,000 schedules a month: inside the 14 million free.
    expect(figures.schedulerUsdPerMonth).toBe(0);
  });
});
