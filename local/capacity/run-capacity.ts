// `npm run capacity`: a sample of the book through the simulation (runSimulation, in memory) with the meter
// on, over a staggered book's typical month; its timed calls scaled to N loans and set beside each quota.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPortfolio, type PortfolioRow } from '../portfolio-file.js';
import { syntheticRows } from '../bench/synthetic-portfolio.js';
import { loadPrices } from '../simulate/cost.js';
import { runSimulation } from '../simulate/run-simulation.js';
import { PARK_AFTER_DAYS, type ParkingRecord } from './parking.js';
import { hashSeed, seededRandom } from '../world/seeded-random.js';
import { DAY, demandOf, firstHit, headroom, HOUR, loansAtLimit, scaleFactor, type Demand, type Window } from './capacity-math.js';
import { capacitySvg } from './capacity-svg.js';
import { SERIES, type MeterRecord } from './meter.js';
import type { CapacityOptions } from './options.js';
import { describeFigure, figureFor, loadQuotas, sustained, type QuotaFile, type QuotaId, type SmsIdentity } from './quotas.js';

/** The drawn book: disbursed over this many days from DRAWN_FROM; the typical month is the 30 days after. */
export const SPREAD_DAYS = 90;
export const DRAWN_FROM = '2026-01-05T02:00:00Z';
export const WINDOW_DAYS = 30;
/** The drawn book's term: a month's new loans are about WINDOW_DAYS / (36 months) of the book. */
export const TERM_MONTHS = 36;

const SMS_IDENTITY_LABELS: Record<SmsIdentity, string> = {
  smsUsTollFree: 'one US toll-free number',
  smsUs10dlc: 'one US 10DLC number',
  smsUsShortCode: 'one US short code',
  smsLongCodeOther: 'one long code outside US/CA',
};

/** `count` rows of `rows`, drawn without replacement by `seed`, in file order; all of them when there are fewer. */
export function sampleRows(rows: PortfolioRow[], count: number, seed: number): PortfolioRow[] {
  if (rows.length <= count) return rows;
  const random = seededRandom(hashSeed(seed, 'capacity-sample'));
  const picked = [...rows];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (picked.length - i));
    [picked[i], picked[j]] = [picked[j]!, picked[i]!];
  }
  return picked.slice(0, count).sort((a, b) => a.line - b.line);
}

/**
 * The drawn book: `sample` loans as the bench draws them (products, risk ratings, 90% Shanghai, 10% New York),
 * disbursed over SPREAD_DAYS, so the typical month after finds them 0 to 4 months old, not all in their first
 * week. A steady book also takes new loans: a month's share of a TERM_MONTHS book (about 1 in 36) is
 * disbursed during the typical month instead.
 */
export function drawnBook(sample: number, seed: number): { rows: PortfolioRow[]; window: Window } {
  const from = Math.floor(Date.parse(DRAWN_FROM) / DAY) * DAY + SPREAD_DAYS * DAY;
  const window = { from, to: from + WINDOW_DAYS * DAY };
  const rows = syntheticRows({ loans: sample, seed, from: DRAWN_FROM, spreadDays: SPREAD_DAYS, termMonths: TERM_MONTHS });
  const fresh = Math.round((sample * WINDOW_DAYS) / (TERM_MONTHS * 30.44));
  const random = seededRandom(hashSeed(seed, 'capacity-new-loans'));
  for (const row of rows.slice(rows.length - fresh)) {
    // Business hours in Shanghai, as the bench's disbursements.
    row.request.disbursedAt = new Date(from + Math.floor(random() * WINDOW_DAYS) * DAY + (2 + Math.floor(random() * 8)) * HOUR).toISOString();
  }
  return { rows, window };
}

/** The typical month of a portfolio file: the 30 days from the first midnight (UTC) after the sample's last disbursement. */
export function typicalMonth(rows: PortfolioRow[]): Window {
  const last = Math.max(...rows.map((r) => Date.parse(r.request.disbursedAt)));
  const from = Math.floor(last / DAY) * DAY + DAY;
  return { from, to: from + WINDOW_DAYS * DAY };
}

export interface CapacityRow {
  /** The quota's key in aws-quotas.json. */
  quota: QuotaId;
  label: string;
  /** The quota as the file gives it for the Region: `300 calls/s (burst 1,300)`. */
  quotaText: string;
  /** What the demand is compared with: a bucket's refill rate, a rate, a count. */
  limit: number;
  unit: string;
  /** Calls per second at the worst minute, the worst single second, and the worst day (scaled); null for counts. */
  perSecond: number | null;
  worstSecond: number | null;
  perDay: number | null;
  worstMinuteAt: string | null;
  /** The figure compared with the limit, in the limit's unit. */
  demand: number;
  headroom: number;
  utilization: number;
  exceeded: boolean;
  /** The book at which the demand reaches the limit (null: never, it does not grow with the book). */
  loansAtLimit: number | null;
  raisable: boolean;
  confidence: 'documented' | 'check';
  note?: string;
  /** For the chart: demand per hour (scaled) and the limit's per-hour equivalent. */
  perHour?: number[];
  limitPerHour?: number;
}

export interface CapacityReport {
  loans: number;
  region: string;
  quotasCheckedOn: string;
  sample: {
    loans: number;
    source: string;
    seed: number;
    window: { from: string; to: string };
    scale: number;
    lambdaDurationMs: number;
    /** Whether each loan's wake-ups were spread over the policy windows, or all at the policy's local times. */
    spreading: 'policy windows' | 'fixed times';
  };
  rows: CapacityRow[];
  firstHit: { quota: QuotaId; label: string; loansAtLimit: number } | null;
  /** The same among Step Functions, Lambda and DynamoDB: what the messaging identities and a new account's SES sandbox hide. */
  firstPlatformHit: { quota: QuotaId; label: string; loansAtLimit: number } | null;
  exceededAtN: string[];
  lambdaByFunction: Record<string, { perSecond: number; perDay: number }>;
  perExecutionLimits: { quota: QuotaId; name: string; value: string; raisable: boolean }[];
  /**
   * The open-executions route of ending an execution that would wait longer than PARK_AFTER_DAYS and
   * restarting it by a one-time EventBridge Scheduler schedule, as measured on the sample (not built).
   */
  parking: { parkAfterDays: number; parkedShare: number; openExecutions: number; schedulesPerDay: number; schedulerUsdPerMonth: number };
  unattributed: Record<string, number>;
  failedExecutions: number;
  run: { wallSeconds: number; simulationSeconds: number };
}

/** Where the series of a meter record meet the quotas: the pure part of the report (no simulation, no files). */
export function buildRows(input: {
  meter: MeterRecord;
  quotas: QuotaFile;
  region: string;
  loans: number;
  sampleLoans: number;
  window: Window;
  lambdaDurationMs: number;
}): CapacityRow[] {
  const { meter, quotas, region, loans, window } = input;
  const scale = scaleFactor(input.sampleLoans, loans);
  const q = quotas.quotas;
  const figure = (id: QuotaId) => figureFor(q[id], region, quotas.bigThreeRegions);
  const series = (name: string) => meter.series[name] ?? [];
  const common = (id: QuotaId) => ({ quota: id, raisable: q[id].raisable, confidence: q[id].confidence });
  const rows: CapacityRow[] = [];
  const rated = (
    id: QuotaId,
    label: string,
    demand: Demand,
    compared: number,
    limit: number,
    unit: string,
    limitPerHour: number,
    perHour = demand.perHour,
    note?: string,
  ) => {
    const h = headroom(compared, limit);
    rows.push({
      ...common(id),
      label,
      quotaText: describeFigure(figure(id), q[id].unit),
      limit,
      unit,
      perSecond: demand.perSecond,
      worstSecond: demand.worstSecond,
      perDay: demand.perDay,
      worstMinuteAt: new Date(demand.worstMinuteAt).toISOString(),
      demand: compared,
      headroom: h.headroom,
      utilization: h.utilization,
      exceeded: h.exceeded,
      loansAtLimit: loansAtLimit(loans, compared, limit),
      ...(note ? { note } : {}),
      perHour,
      limitPerHour,
    });
  };

  // Step Functions: one open execution per active loan.
  const open = headroom(loans, sustained(figure('sfnOpenExecutions')));
  rows.push({
    ...common('sfnOpenExecutions'),
    label: 'Step Functions open executions',
    quotaText: describeFigure(figure('sfnOpenExecutions'), q.sfnOpenExecutions.unit),
    limit: open.limit,
    unit: 'executions',
    perSecond: null,
    worstSecond: null,
    perDay: null,
    worstMinuteAt: null,
    demand: loans,
    headroom: open.headroom,
    utilization: open.utilization,
    exceeded: open.exceeded,
    loansAtLimit: open.limit,
    note: 'one open Standard execution per active loan',
  });
  for (const [id, name, label] of [
    ['sfnStateTransitions', SERIES.transitions, 'Step Functions state transitions'],
    ['sfnStartExecution', SERIES.startExecution, 'Step Functions StartExecution'],
    ['sfnSendTaskSuccess', SERIES.sendTaskSuccess, 'Step Functions SendTaskSuccess'],
  ] as const) {
    const demand = demandOf(series(name), window, scale);
    const refill = sustained(figure(id));
    rated(id, label, demand, demand.perSecond, refill, '/s (refill)', refill * 3600);
  }

  // Lambda: concurrency = invocations a second x the average duration (Little's law).
  const invocations = Object.entries(meter.series)
    .filter(([name]) => name.startsWith('lambda:'))
    .flatMap(([, times]) => times);
  const lambda = demandOf(invocations, window, scale);
  const seconds = input.lambdaDurationMs / 1000;
  const concurrency = sustained(figure('lambdaConcurrency'));
  rated(
    'lambdaConcurrency',
    `Lambda concurrency (all functions, ${input.lambdaDurationMs} ms a call)`,
    lambda,
    lambda.perSecond * seconds,
    concurrency,
    'concurrent',
    (concurrency / seconds) * 3600,
    lambda.perHour,
    'per s, worst second and per day are invocations; the demand is invocations/s x duration',
  );

  // SMS: per origination identity, the countries it sends to together.
  const byIdentity = new Map<SmsIdentity, { countries: string[]; times: number[] }>();
  for (const [name, times] of Object.entries(meter.series)) {
    if (!name.startsWith('sms:')) continue;
    const country = name.slice('sms:'.length);
    const identity = quotas.smsIdentities.byCountry[country] ?? quotas.smsIdentities.otherCountries;
    const entry = byIdentity.get(identity) ?? { countries: [], times: [] };
    entry.countries.push(country);
    for (const t of times) entry.times.push(t);
    byIdentity.set(identity, entry);
  }
  for (const [identity, { countries, times }] of [...byIdentity].sort(([a], [b]) => a.localeCompare(b))) {
    const demand = demandOf(times, window, scale);
    const limit = sustained(figure(identity));
    rated(identity, `SMS, ${SMS_IDENTITY_LABELS[identity]} (to ${countries.sort().join(', ')})`, demand, demand.perSecond, limit, 'parts/s', limit * 3600);
  }

  // SES: the sending rate and the 24-hour quota.
  const email = demandOf(series(SERIES.email), window, scale);
  const sesRate = sustained(figure('sesSendRate'));
  rated('sesSendRate', 'SES sending rate', email, email.perSecond, sesRate, 'emails/s', sesRate * 3600);
  const sesDay = sustained(figure('sesDailyQuota'));
  rated('sesDailyQuota', 'SES emails per 24 hours', email, email.perDay, sesDay, 'emails/day', sesDay / 24);

  // DynamoDB: the table, each partition of the queue index, the busiest loan partition.
  const writes = demandOf(series(SERIES.tableWrites), window, scale);
  const tableLimit = sustained(figure('dynamodbTableWrites'));
  rated('dynamodbTableWrites', 'DynamoDB table writes (items)', writes, writes.perSecond, tableLimit, 'writes/s', tableLimit * 3600);
  const partitionLimit = sustained(figure('dynamodbPartitionWrites'));
  for (const name of Object.keys(meter.series)
    .filter((n) => n.startsWith('ddb:index:'))
    .sort()) {
    const demand = demandOf(series(name), window, scale);
    rated(
      'dynamodbPartitionWrites',
      `DynamoDB index partition ${name.slice('ddb:index:'.length)} writes`,
      demand,
      demand.perSecond,
      partitionLimit,
      'writes/s',
      partitionLimit * 3600,
    );
  }
  const busiest = meter.busiestLoanPartition;
  const loanPartition = headroom((busiest?.writes ?? 0) / 60, partitionLimit);
  rows.push({
    ...common('dynamodbPartitionWrites'),
    label: 'DynamoDB one loan partition writes (busiest)',
    quotaText: describeFigure(figure('dynamodbPartitionWrites'), q.dynamodbPartitionWrites.unit),
    limit: partitionLimit,
    unit: 'writes/s',
    perSecond: loanPartition.demand,
    worstSecond: null,
    perDay: null,
    worstMinuteAt: busiest ? new Date(busiest.minuteAt).toISOString() : null,
    demand: loanPartition.demand,
    headroom: loanPartition.headroom,
    utilization: loanPartition.utilization,
    exceeded: loanPartition.exceeded,
    // One partition a loan: it does not grow with the book.
    loansAtLimit: loanPartition.exceeded ? 0 : null,
    note: busiest ? `${busiest.pk}, not scaled: a partition serves one loan` : 'no writes in the window',
  });
  return rows.map((row) => (row.loansAtLimit === Number.POSITIVE_INFINITY ? { ...row, loansAtLimit: null } : row));
}

export async function runCapacity(options: CapacityOptions): Promise<{ report: CapacityReport; text: string; files: { json: string; svg: string } }> {
  const started = performance.now();
  // The quota file is checked before anything runs.
  const quotas = loadQuotas();
  const prices = loadPrices();
  const file = options.portfolioFile ? readPortfolio(options.portfolioFile) : undefined;
  if (file?.length === 0) throw new Error(`${options.portfolioFile}: no loans`);
  const { rows, window } = file
    ? (() => {
        const sampled = sampleRows(file, options.sample, options.seed);
        return { rows: sampled, window: typicalMonth(sampled) };
      })()
    : drawnBook(Math.min(options.sample, options.loans), options.seed);
  const source = file
    ? `${options.portfolioFile} (${rows.length} of ${file.length} rows)`
    : `drawn: ${rows.length} loans, disbursed over ${SPREAD_DAYS} days from ${DRAWN_FROM.slice(0, 10)} and a month's new loans during the typical month`;

  const simulation = await runSimulation({
    portfolioFile: options.portfolioFile ?? `(capacity: ${rows.length} drawn loans)`,
    rows,
    until: new Date(window.to),
    seed: options.seed,
    store: 'memory',
    minutesPerCall: 6,
    minutesPerVisit: 90,
    workers: options.workers,
    progress: options.progress,
    prices,
    meter: { from: new Date(window.from), to: new Date(window.to) },
    fixedTimes: options.fixedTimes,
  });
  const meter = simulation.meter!;
  const lambdaDurationMs = prices.lambda.assumedAverageDurationMs;
  const capacityRows = buildRows({ meter, quotas, region: options.region, loans: options.loans, sampleLoans: rows.length, window, lambdaDurationMs });
  const scale = scaleFactor(rows.length, options.loans);
  const reachable = capacityRows.map((r) => ({ ...r, loansAtLimit: r.loansAtLimit ?? Number.POSITIVE_INFINITY }));
  const first = firstHit(reachable);
  const firstPlatform = firstHit(reachable.filter((r) => /^(sfn|lambda|dynamodb)/.test(r.quota)));
  const lambdaByFunction = Object.fromEntries(
    Object.entries(meter.series)
      .filter(([name]) => name.startsWith('lambda:'))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, times]) => {
        const d = demandOf(times, window, scale);
        return [name.slice('lambda:'.length), { perSecond: d.perSecond, perDay: d.perDay }];
      }),
  );
  const report: CapacityReport = {
    loans: options.loans,
    region: options.region,
    quotasCheckedOn: quotas.checkedOn,
    sample: {
      loans: rows.length,
      source,
      seed: options.seed,
      window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
      scale,
      lambdaDurationMs,
      spreading: options.fixedTimes ? 'fixed times' : 'policy windows',
    },
    rows: capacityRows,
    firstHit: first ? { quota: first.quota, label: first.label, loansAtLimit: first.loansAtLimit } : null,
    firstPlatformHit: firstPlatform ? { quota: firstPlatform.quota, label: firstPlatform.label, loansAtLimit: firstPlatform.loansAtLimit } : null,
    exceededAtN: capacityRows.filter((r) => r.exceeded).map((r) => r.label),
    lambdaByFunction,
    perExecutionLimits: (['sfnHistoryEvents', 'sfnExecutionDuration', 'sfnPayload', 'lambdaSyncPayload'] as const).map((id) => ({
      quota: id,
      name: quotas.quotas[id].name,
      value: describeFigure(figureFor(quotas.quotas[id], options.region, quotas.bigThreeRegions), quotas.quotas[id].unit),
      raisable: quotas.quotas[id].raisable,
    })),
    parking: parkingFigures(meter.parking, rows.length, window, options.loans, scale),
    unattributed: meter.unattributed,
    failedExecutions: simulation.failedExecutions.length,
    run: { wallSeconds: (performance.now() - started) / 1000, simulationSeconds: simulation.summary.run.simulationSeconds },
  };

  mkdirSync(options.outDir, { recursive: true });
  const files = { json: join(options.outDir, 'capacity.json'), svg: join(options.outDir, 'capacity.svg') };
  writeFileSync(files.json, `${JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
  const panels = capacityRows.filter((r) => r.perHour && r.limitPerHour).map((r) => ({ label: r.label, perHour: r.perHour!, limitPerHour: r.limitPerHour! }));
  writeFileSync(
    files.svg,
    capacitySvg(panels, window.from, `Demand per hour against each quota: ${fmt(options.loans)} loans, ${options.region}, sample of ${fmt(rows.length)}`),
  );
  return { report, text: formatCapacity(report), files };
}

/** EventBridge Scheduler: $1.00 per million invocations after 14 million free a month (aws.amazon.com/eventbridge/pricing, 2026-12). */
const SCHEDULER_USD_PER_MILLION = 1;
const SCHEDULER_FREE_PER_MONTH = 14_000_000;

/** What parking would do at N loans: the share of loan-time parked, the executions left open, the schedules. */
export function parkingFigures(parking: ParkingRecord, sampleLoans: number, window: Window, loans: number, scale: number): CapacityReport['parking'] {
  const windowMs = window.to - window.from;
  const parkedShare = sampleLoans === 0 ? 0 : Math.min(1, parking.parkedLoanMs / (sampleLoans * windowMs));
  const schedulesPerDay = (parking.parks * scale) / (windowMs / 86_400_000);
  const perMonth = schedulesPerDay * 30;
  return {
    parkAfterDays: PARK_AFTER_DAYS,
    parkedShare,
    openExecutions: Math.round(loans * (1 - parkedShare)),
    schedulesPerDay,
    schedulerUsdPerMonth: (Math.max(0, perMonth - SCHEDULER_FREE_PER_MONTH) / 1_000_000) * SCHEDULER_USD_PER_MILLION,
  };
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'never';
  const abs = Math.abs(n);
  const digits = abs === 0 || abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return n.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

const pct = (u: number) => `${u >= 10 ? fmt(u * 100) : (u * 100).toFixed(u < 0.01 ? 2 : 1)}%`;

export function formatCapacity(report: CapacityReport): string {
  const lines: string[] = [];
  const { sample } = report;
  lines.push(`Capacity of ${fmt(report.loans)} active loans in ${report.region} (quotas as of ${report.quotasCheckedOn}, local/capacity/aws-quotas.json)`);
  lines.push(
    `Sample: ${sample.source}; typical month ${sample.window.from.slice(0, 10)} to ${sample.window.to.slice(0, 10)} (UTC); each sampled loan stands for ${fmt(sample.scale)}; wake-ups ${sample.spreading === 'fixed times' ? 'all at the policy local times (--fixed-times)' : 'spread over the policy windows'}.`,
  );
  lines.push('');
  const header = ['quota', 'limit (sustained)', 'peak/s', 'worst 1 s', 'peak/day', 'demand', 'use', 'headroom', 'reached at N'];
  const table = report.rows.map((r) => [
    r.label,
    r.quotaText,
    r.perSecond === null ? '-' : fmt(r.perSecond),
    r.worstSecond === null ? '-' : fmt(r.worstSecond),
    r.perDay === null ? '-' : fmt(r.perDay),
    fmt(r.demand),
    pct(r.utilization),
    `${fmt(r.headroom)}${r.exceeded ? ' OVER' : ''}`,
    r.loansAtLimit === null ? 'never' : fmt(r.loansAtLimit),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  lines.push(line(header));
  for (const row of table) lines.push(line(row));
  lines.push('');
  lines.push('peak/s: the worst minute of the month over 60; worst 1 s: the busiest second (virtual clocks put every 10:00 wake-up in one second);');
  lines.push("demand: what is compared with the limit, peak/s for rates (a bucket's burst absorbs the first seconds, then its refill rate holds),");
  lines.push(
    `peak/day for a daily quota, the book for open executions, invocations/s x ${sample.lambdaDurationMs} ms for Lambda (the price table's duration; Lambda's other columns are invocations).`,
  );
  lines.push(
    'The hand-over to a new generation (one StartExecution per loan at least every maxAgeDays, 300 in the shipped policies) shows only for loans simulated that long: not in the drawn 4-month sample.',
  );
  const { parking } = report;
  lines.push(
    `Open executions if a loan waiting over ${parking.parkAfterDays} days ended its execution and a one-time EventBridge Scheduler schedule restarted it: ` +
      `${pct(parking.parkedShare)} of loan-time parked, ${fmt(parking.openExecutions)} open instead of ${fmt(report.loans)}; ${fmt(parking.schedulesPerDay)} schedules a day ($${fmt(parking.schedulerUsdPerMonth)} a month after the free tier).`,
  );
  if (report.firstHit) lines.push(`First quota reached as the book grows: ${report.firstHit.label}, at about ${fmt(report.firstHit.loansAtLimit)} loans.`);
  else lines.push('No quota is reached at any book size by what this sample did.');
  if (report.firstPlatformHit && report.firstPlatformHit.quota !== report.firstHit?.quota)
    lines.push(`First of Step Functions, Lambda and DynamoDB: ${report.firstPlatformHit.label}, at about ${fmt(report.firstPlatformHit.loansAtLimit)} loans.`);
  lines.push(
    report.exceededAtN.length > 0
      ? `Over its quota at ${fmt(report.loans)} loans: ${report.exceededAtN.join('; ')}.`
      : `Every quota holds at ${fmt(report.loans)} loans.`,
  );
  lines.push(`Per execution, not per book (the hard limits, enforced elsewhere): ${report.perExecutionLimits.map((l) => `${l.name}: ${l.value}`).join('; ')}.`);
  const lost = Object.entries(report.unattributed).filter(([, n]) => n > 0);
  if (lost.length > 0) lines.push(`Not tied to a loan's clock (left out): ${lost.map(([name, n]) => `${name} ${n}`).join(', ')}.`);
  lines.push(`Simulated in ${fmt(report.run.simulationSeconds)} s (${fmt(report.run.wallSeconds)} s in all).`);
  if (report.failedExecutions > 0) lines.push(`${report.failedExecutions} executions of the sample failed: their demand stops there.`);
  return lines.join('\n');
}
