// A portfolio over a horizon: every loan through the real definition and handlers, on its own virtual clock,
// then the timeline export, the summary, the report and the chart.
import { availableParallelism } from 'node:os';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { synthesizeDefinition } from '../../infra/asl.js';
import { readPortfolio, type PortfolioRow } from '../portfolio-file.js';
import { createLocalDynamoClient, ensureTable, startDynamoDbLocal, type DynamoDbLocal } from '../dynamodb-local.js';
import { drawBehaviour } from './behaviour-draw.js';
import { loadPrices, type PriceTable } from './cost.js';
import { ProgressBar } from './progress.js';
import { policyOverride, runBatch, type BatchInput, type BatchProgress, type BatchResult, type Sent, type SimLoan, type Usage } from './run-batch.js';
import type { FromWorker, ToWorker } from './sim-worker.js';
import { SIMULATION_WORKER_LIMITS } from './worker-limits.js';
import { buildSummary, formatReport, monthsToHorizon, type Summary } from './summary.js';
import { emptyTally, mergeTallies } from './tally.js';
import { emptyMeterRecord, mergeMeterRecords, type MeterRecord } from '../capacity/meter.js';
import { localDay } from './timeline-export.js';
import { weeklySeries, workloadSvg } from './workload-svg.js';

export interface SimulationOptions {
  /** CSV or JSON lines; or give `rows` directly (the bench does). */
  portfolioFile: string;
  rows?: PortfolioRow[];
  until: Date;
  /** Where timeline.jsonl, summary.json and workload.svg go; nothing is written when absent. */
  outDir?: string;
  seed: number;
  store: 'memory' | 'dynamodb';
  /** A running DynamoDB Local to use (store dynamodb); one is started in memory otherwise. */
  endpoint?: string;
  policyFile?: string;
  /** Every loan at the policy's local times (`--fixed-times`). */
  fixedTimes?: boolean;
  minutesPerCall: number;
  minutesPerVisit: number;
  /** Worker threads; 0 runs every batch in this thread. Default: one per core for 200 loans or more. */
  workers?: number;
  /**
   * Loans per local app (its own engine and store): bounds memory, and keeps each heap small enough that
   * garbage collection does not grow with the portfolio. Default: about four batches a thread, 50 to 500 loans
   * each (see defaultBatchSize).
   */
  batchSize?: number;
  progress?: boolean;
  prices?: PriceTable;
  /** Time what hits each AWS quota inside this window (`npm run capacity`; local/capacity/meter.ts). */
  meter?: { from: Date; to: Date };
}

export interface SimulationResult {
  summary: Summary;
  report: string;
  files: { timeline?: string; summary?: string; svg?: string };
  failedExecutions: string[];
  /** What rows' scripts asked for and the product refused (a restructure plan past a bound): the run went on without it. */
  scriptProblems: BatchResult['scriptProblems'];
  /** What the meter timed, every batch's together, when the options asked for it. */
  meter?: MeterRecord;
}

const MAX_BATCH = 500;
const MIN_BATCH = 50;
/** Batches a worker thread takes by default: the threads finish together when each takes a few in turn. */
const BATCHES_PER_WORKER = 4;

/**
 * Loans per batch: a few batches per thread, so a thread that is done takes the next one instead of waiting
 * for the slowest (with one batch each, the run lasted as long as the slower half of the portfolio); at least
 * MIN_BATCH loans (an engine and a store per batch) and at most MAX_BATCH (memory).
 */
function defaultBatchSize(loans: number, workers: number): number {
  const threads = Math.max(1, workers);
  const share = Math.ceil(loans / threads);
  return Math.max(1, Math.min(share, MAX_BATCH, Math.max(MIN_BATCH, Math.ceil(loans / (threads * BATCHES_PER_WORKER)))));
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const wallStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  // Everything that can be wrong with the input is found before anything runs.
  const rows = options.rows ?? readPortfolio(options.portfolioFile);
  if (rows.length === 0) throw new Error(`${options.portfolioFile}: no loans`);
  policyOverride(options.policyFile);
  const prices = options.prices ?? loadPrices();
  const earliest = Math.min(...rows.map((r) => Date.parse(r.request.disbursedAt)));
  if (!(options.until.getTime() > earliest))
    throw new Error(`--until ${options.until.toISOString()} must be after the first disbursement (${new Date(earliest).toISOString()})`);

  const loans: SimLoan[] = rows.map((row) => ({
    line: row.line,
    request: row.request,
    behaviour: row.scripted === false ? drawBehaviour(row.request, options.seed) : row.behaviour,
  }));
  const scripted = rows.filter((r) => r.scripted !== false).length;

  const parts = options.outDir ? join(options.outDir, '.timeline-parts') : undefined;
  if (options.outDir) {
    mkdirSync(options.outDir, { recursive: true });
    rmSync(parts!, { recursive: true, force: true });
    mkdirSync(parts!, { recursive: true });
  }

  const workers = options.workers ?? (loans.length >= 200 ? Math.min(availableParallelism(), 4) : 0);
  const batchSize = options.batchSize ?? defaultBatchSize(loans.length, workers);
  let dynamo: DynamoDbLocal | undefined;
  let endpoint = options.endpoint;
  const tableName = `simulation-${process.pid}-${Date.now()}`;
  if (options.store === 'dynamodb') {
    if (!endpoint) {
      dynamo = await startDynamoDbLocal({});
      endpoint = dynamo.endpoint;
    }
    const db = createLocalDynamoClient(endpoint);
    await ensureTable(db, tableName);
    db.destroy();
  }

  const batches: BatchInput[] = [];
  for (let i = 0; i * batchSize < loans.length; i++) {
    batches.push({
      index: i,
      loans: loans.slice(i * batchSize, (i + 1) * batchSize),
      until: options.until.toISOString(),
      seed: options.seed,
      store: options.store,
      endpoint,
      tableName,
      policyFile: options.policyFile,
      fixedTimes: options.fixedTimes,
      timelineFile: parts ? join(parts, `${String(i).padStart(5, '0')}.jsonl`) : undefined,
      ...(options.meter ? { meter: { from: options.meter.from.toISOString(), to: options.meter.to.toISOString() } } : {}),
    });
  }

  const bar = new ProgressBar(loans.length, options.until, { enabled: options.progress ?? false });
  const progressByBatch = new Map<number, BatchProgress>();
  const onProgress = (p: BatchProgress) => {
    progressByBatch.set(p.index, p);
    let finished = 0;
    let laggard = options.until.getTime();
    for (const batch of batches) {
      const known = progressByBatch.get(batch.index);
      if (known) {
        finished += known.finished;
        if (known.finished < known.loans) laggard = Math.min(laggard, known.laggard);
      } else laggard = Math.min(laggard, ...batch.loans.map((l) => Date.parse(l.request.disbursedAt)));
    }
    bar.update({ finished, laggard });
  };

  let results: BatchResult[];
  let simulationSeconds: number;
  let storeCpuSeconds: number | undefined;
  try {
    ({ results, seconds: simulationSeconds } = workers > 0 ? await runInWorkers(batches, workers, onProgress) : await runHere(batches, onProgress));
    storeCpuSeconds = dynamo?.cpuSeconds();
  } finally {
    await dynamo?.stop();
  }
  bar.finish({ finished: loans.length, laggard: options.until.getTime() });

  const usage: Usage = { stateTransitions: 0, lambdaInvocations: {}, dynamoReads: 0, dynamoWrites: 0, executions: 0 };
  const sent: Sent = { sms: {}, email: 0, team: 0 };
  const tally = emptyTally();
  for (const result of results.sort((a, b) => a.index - b.index)) {
    usage.stateTransitions += result.usage.stateTransitions;
    usage.dynamoReads += result.usage.dynamoReads;
    usage.dynamoWrites += result.usage.dynamoWrites;
    usage.executions += result.usage.executions;
    for (const [name, n] of Object.entries(result.usage.lambdaInvocations)) usage.lambdaInvocations[name] = (usage.lambdaInvocations[name] ?? 0) + n;
    for (const [country, n] of Object.entries(result.sent.sms)) sent.sms[country] = (sent.sms[country] ?? 0) + n;
    sent.email += result.sent.email;
    sent.team += result.sent.team;
    mergeTallies(tally, result.tally);
  }

  const files: SimulationResult['files'] = {};
  if (options.outDir) {
    files.timeline = join(options.outDir, 'timeline.jsonl');
    writeFileSync(files.timeline, '');
    // Batch by batch in portfolio order, each loan's records in time order.
    for (const batch of batches) appendFileSync(files.timeline, readFileSync(batch.timelineFile!));
    rmSync(parts!, { recursive: true, force: true });
  }

  const zoneOfFirst = rows[0]!.request.timezone;
  const firstDay = rows.map((r) => localDay(Date.parse(r.request.disbursedAt), r.request.timezone)).sort()[0]!;
  const horizonDay = localDay(options.until.getTime(), zoneOfFirst);
  const scriptProblems = results.flatMap((r) => r.scriptProblems).sort((a, b) => a.line - b.line);
  const summary = buildSummary({
    scriptProblems,
    tally,
    usage,
    sent,
    prices,
    portfolio: { file: options.portfolioFile, loans: loans.length, scripted, drawn: loans.length - scripted },
    seed: options.seed,
    store: options.store,
    policyFile: options.policyFile ?? null,
    firstDay,
    horizonDay,
    loanMonthsSimulated: loans.reduce((n, l) => n + monthsToHorizon(l.request.disbursedAt, options.until), 0),
    minutesPerCall: options.minutesPerCall,
    minutesPerVisit: options.minutesPerVisit,
    run: {
      wallSeconds: (performance.now() - wallStarted) / 1000,
      simulationSeconds,
      cpuSeconds: cpuSecondsSince(cpuStarted),
      ...(storeCpuSeconds === undefined ? {} : { storeCpuSeconds }),
      workers,
      batches: batches.length,
    },
  });
  const report = formatReport(summary);
  if (options.outDir) {
    files.summary = join(options.outDir, 'summary.json');
    writeFileSync(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
    files.svg = join(options.outDir, 'workload.svg');
    const series = weeklySeries(tally.callsByWeek, tally.messagesByWeek, firstDay, horizonDay);
    writeFileSync(files.svg, workloadSvg(series, `Calls and messages per week: ${loans.length} loans, ${firstDay} to ${horizonDay}`));
  }
  const meter = options.meter ? results.reduce((into, r) => (r.meter ? mergeMeterRecords(into, r.meter) : into), emptyMeterRecord()) : undefined;
  return { summary, report, files, failedExecutions: results.flatMap((r) => r.failedExecutions), scriptProblems, ...(meter ? { meter } : {}) };
}

type Ran = { results: BatchResult[]; seconds: number };

/** CPU time of this process, every thread, since `start`. */
function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** The batches one after the other in this thread; the clock starts once the definition is synthesized. */
async function runHere(batches: BatchInput[], onProgress: (p: BatchProgress) => void): Promise<Ran> {
  synthesizeDefinition();
  const started = performance.now();
  const results: BatchResult[] = [];
  for (const batch of batches) results.push(await runBatch(batch, onProgress));
  return { results, seconds: (performance.now() - started) / 1000 };
}

/** Hands batches to `count` worker threads as they become free; each batch's result comes back as JSON. */
async function runInWorkers(batches: BatchInput[], count: number, onProgress: (p: BatchProgress) => void): Promise<Ran> {
  const queue = [...batches];
  const results: BatchResult[] = [];
  const boot = new URL('./worker-boot.mjs', import.meta.url);
  const entry = new URL('./sim-worker.ts', import.meta.url).href;
  const pool = Array.from(
    { length: Math.min(count, batches.length) },
    () => new Worker(boot, { workerData: { entry }, resourceLimits: SIMULATION_WORKER_LIMITS }),
  );
  let started = 0;
  let ready = 0;
  const starters: (() => void)[] = [];
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let finished = false;
            const next = () => {
              const batch = queue.shift();
              if (!batch) {
                finished = true;
                worker.postMessage({ type: 'exit' } satisfies ToWorker);
                resolve();
                return;
              }
              worker.postMessage({ type: 'batch', batch } satisfies ToWorker);
            };
            worker.on('message', (message: FromWorker) => {
              if (message.type === 'ready') {
                // Work starts once every thread has synthesized the definition, and the clock with it.
                starters.push(next);
                if (++ready === pool.length) {
                  started = performance.now();
                  for (const start of starters) start();
                }
              } else if (message.type === 'progress') onProgress(message.progress);
              else if (message.type === 'result') {
                results.push(message.result);
                next();
              } else if (message.type === 'error') {
                const error = new Error(`batch ${message.index}: ${message.message}`);
                error.stack = message.stack;
                reject(error);
              }
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (!finished) reject(new Error(`a simulation worker stopped (exit code ${code})`));
            });
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return { results, seconds: (performance.now() - started) / 1000 };
}
