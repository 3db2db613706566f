// `npm run bench`: how fast the simulation runs and what a loan costs, from one run, beside the targets.
//   --sizes 100,1000,10000    portfolio sizes for the speed runs (36 months, --store memory)
//   --dynamodb-loans N        loans for the DynamoDB Local run (default 100; 0 skips it); 1,000 is extrapolated from it
//   --workers N               worker threads (default: one per core)
//   --json FILE               also write every figure as JSON
//   --write FILE              also write the report as Markdown (docs/bench.md: npm run bench -- --write docs/bench.md)
//   --capacity-sample N       loans simulated for the capacity figures at 1,000,000 (default 1000; 0 skips them)
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPrices, usd } from '../simulate/cost.js';
import { runSimulation, type SimulationResult } from '../simulate/run-simulation.js';
import type { Summary } from '../simulate/summary.js';
import { behaviour } from '../world/borrower-behaviour.js';
import { measureBundles, sdkImportMs, type BundleFigure } from './bundles.js';
import { naiveDailyWake, withCost, type PerLoanYear } from './naive-design.js';
import { syntheticRows } from './synthetic-portfolio.js';
import { threadedRate } from './threaded-rate.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    'dynamodb-loans': { type: 'string', default: '100' },
    workers: { type: 'string' },
    json: { type: 'string' },
    write: { type: 'string' },
    'capacity-sample': { type: 'string', default: '1000' },
  },
});

const MONTHS = 36;
const FROM = '2026-01-05T02:00:00Z';
const prices = loadPrices();
const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
const sizes = values
  .sizes!.split(',')
  .map(Number)
  .filter((n) => n > 0);
const dynamoLoans = Number(values['dynamodb-loans']);
// Loans are disbursed over four weeks from FROM; the horizon gives the last one its 36 months.
const until = new Date(Date.parse(FROM) + 28 * 86_400_000);
until.setUTCMonth(until.getUTCMonth() + MONTHS);

const report: string[] = [];
const log = (line = '') => {
  console.log(line);
  report.push(line);
};
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');

async function simulateSynthetic(loans: number, store: 'memory' | 'dynamodb', options: { medium?: boolean; workers?: number } = {}): Promise<SimulationResult> {
  const rows = syntheticRows({ loans, seed: 1, termMonths: MONTHS, from: FROM, ...(options.medium ? { riskRating: 'medium' as const } : {}) });
  // Medium risk paid on time: scripted, every instalment on its due date, every call answered.
  const scripted = options.medium
    ? rows.map((r) => ({ ...r, behaviour: behaviour({ answerRate: 1 }), scripted: true, request: { ...r.request, borrowerType: 'individual' as const } }))
    : rows;
  return runSimulation({
    portfolioFile: `(synthetic: ${loans} loans)`,
    rows: scripted,
    until,
    seed: 1,
    store,
    minutesPerCall: 6,
    minutesPerVisit: 90,
    workers: options.workers ?? workers,
    progress: Boolean(process.stderr.isTTY),
  });
}

function perLoanYear(summary: Summary): PerLoanYear {
  const years = summary.exposure.loanYearsActive;
  const u = summary.usage;
  const per = (n: number) => n / years;
  return {
    stateTransitions: per(u.stateTransitions),
    lambdaInvocations: per(u.lambdaInvocations.total),
    advanceSteps: per(u.lambdaInvocations['advance-loan'] ?? 0),
    awaitSteps: per(u.lambdaInvocations['await-event'] ?? 0),
    dynamoReads: per(u.dynamoReads),
    dynamoWrites: per(u.dynamoWrites),
    sms: Object.fromEntries(Object.entries(u.sms).map(([country, n]) => [country, per(n)])),
    emails: per(u.emails),
    teamPublishes: per(u.teamNotifications),
  };
}

const started = performance.now();
log(
  `loan-followup bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model.trim()}, ${workers} worker threads, ${new Date().toISOString().slice(0, 10)}`,
);
log();

// 1. Speed and linearity: --store memory, drawn borrowers, 36 months.
log(`Simulation speed: --store memory, ${MONTHS} months, borrowers drawn by risk rating, ${workers} worker threads`);
log(
  `${'loans'.padStart(7)} ${'loan-months'.padStart(12)} ${'seconds'.padStart(8)} ${'loan-months/s'.padStart(14)} ${'transitions/s'.padStart(14)} ${'ms a loan'.padStart(10)}  target`,
);
const speed: {
  loans: number;
  loanMonths: number;
  seconds: number;
  loanMonthsPerSecond: number;
  transitionsPerSecond: number;
  msPerLoan: number;
  summary: Summary;
}[] = [];
for (const loans of sizes) {
  const { summary } = await simulateSynthetic(loans, 'memory');
  const seconds = summary.run.simulationSeconds;
  const row = {
    loans,
    loanMonths: loans * MONTHS,
    seconds,
    loanMonthsPerSecond: (loans * MONTHS) / seconds,
    transitionsPerSecond: summary.usage.stateTransitions / seconds,
    msPerLoan: (seconds * 1000) / loans,
    summary,
  };
  speed.push(row);
  const target = loans === 1000 ? `< 60 s: ${verdict(seconds < 60)}` : '';
  log(
    `${fmt(loans).padStart(7)} ${fmt(row.loanMonths).padStart(12)} ${seconds.toFixed(1).padStart(8)} ${fmt(row.loanMonthsPerSecond).padStart(14)} ${fmt(row.transitionsPerSecond).padStart(14)} ${row.msPerLoan.toFixed(1).padStart(10)}  ${target}`,
  );
}
if (speed.length > 1) {
  const first = speed[0]!;
  const last = speed.at(-1)!;
  log(
    `Linearity: ${speed.map((s) => `${s.msPerLoan.toFixed(1)} ms a loan at ${fmt(s.loans)}`).join(', ')}; ${fmt(last.loans / first.loans)}x the loans took ${(last.seconds / first.seconds).toFixed(1)}x the time`,
  );
}
log('(seconds: simulating only, after each thread has synthesized the definition; a run adds about 3 s of CDK synth and the export)');
log();

// 2. DynamoDB Local.
let dynamo: { loans: number; seconds: number; extrapolatedThousand: number; cpuSeconds: number; storeCpuSeconds?: number } | undefined;
if (dynamoLoans > 0) {
  const { summary } = await simulateSynthetic(dynamoLoans, 'dynamodb');
  const seconds = summary.run.simulationSeconds;
  const extrapolatedThousand = (seconds / dynamoLoans) * 1000;
  dynamo = { loans: dynamoLoans, seconds, extrapolatedThousand, cpuSeconds: summary.run.cpuSeconds, storeCpuSeconds: summary.run.storeCpuSeconds };
  log(
    `DynamoDB Local: ${fmt(dynamoLoans)} loans x ${MONTHS} months in ${seconds.toFixed(1)} s (${fmt((dynamoLoans * MONTHS) / seconds)} loan-months/s, ${fmt(summary.usage.dynamoReads + summary.usage.dynamoWrites)} item reads and writes)`,
  );
  // A retired target (10 minutes): the figure stays, its floor on two cores is measured below (docs/simulation-and-bench.md).
  log(`  1,000 loans: ${dynamoLoans === 1000 ? 'measured' : 'extrapolated linearly'} ${fmt(extrapolatedThousand)} s`);
  const { cpuSeconds, storeCpuSeconds } = summary.run;
  if (storeCpuSeconds !== undefined) {
    const cores = cpus().length;
    log(
      `  CPU: ours ${cpuSeconds.toFixed(0)} s, DynamoDB Local ${storeCpuSeconds.toFixed(0)} s (${fmt((storeCpuSeconds * 1000) / summary.exposure.loanYearsActive)} ms a loan-year); together ${((cpuSeconds + storeCpuSeconds) / seconds).toFixed(2)} of ${cores} cores busy, so no run of this work on ${cores} cores takes less than ${fmt((cpuSeconds + storeCpuSeconds) / cores)} s`,
    );
  }
  log();
}

// 3. The engine itself.
const bare = await threadedRate('bare', workers);
const driver = await threadedRate('driver', workers);
const driverRatio = driver.rate / bare.rate;
const reference = speed.find((s) => s.loans === 1000) ?? speed.at(-1);
const ratio = reference ? reference.transitionsPerSecond / bare.rate : 0;
// Microseconds of one thread per transition: the engine's own cost, and ours with the handlers' work in it.
const usPerTransition = (rate: number, threads: number) => ((Math.max(1, threads) * 1e6) / rate).toFixed(0);
log(
  `Engine: bare aws-local-stepfunctions, trivial Task -> Choice -> Task loop, handlers that return at once, ${bare.threads} thread${bare.threads === 1 ? '' : 's'} started together`,
);
log(
  `  (the simulation's thread limits, transitions counted as the simulation counts them): ${fmt(bare.rate)} transitions/s, ${usPerTransition(bare.rate, bare.threads)} µs of a thread a transition`,
);
if (reference) {
  log(
    `  our simulation (${fmt(reference.loans)} loans): ${fmt(reference.transitionsPerSecond)} transitions/s, ${usPerTransition(reference.transitionsPerSecond, workers)} µs of a thread a transition; ratio ${ratio.toFixed(3)} (a retired target: the figure only)`,
  );
  log(`  (a transition of ours carries the handler it runs: the follow-up rules, the store, the audit chain, the simulated borrowers and agents)`);
}
log(
  `  our definition and driver alone (task tokens, per-loan virtual clocks; handlers that decide nothing, 1,000 loans x 100 steps a thread): ${fmt(driver.rate)} transitions/s, ${usPerTransition(driver.rate, driver.threads)} µs of a thread a transition; ratio ${driverRatio.toFixed(2)} of the bare engine`,
);
log();

// 4. Per loan-year, ours and the naive design.
const medium = (await simulateSynthetic(30, 'memory', { medium: true, workers: 0 })).summary;
const designs = [
  { name: 'medium risk, paid on time (30 loans x 36 months)', ours: perLoanYear(medium) },
  ...(reference ? [{ name: `the ${fmt(reference.loans)}-loan drawn portfolio`, ours: perLoanYear(reference.summary) }] : []),
];
for (const design of designs) {
  const ours = withCost(design.ours, prices);
  const naive = withCost(naiveDailyWake(design.ours), prices);
  log(`Per loan-year, ${design.name}: ours vs a naive design waking every loan daily (computed, not built)`);
  const line = (label: string, a: string, b: string, note = '') => log(`  ${label.padEnd(28)} ${a.padStart(12)} ${b.padStart(14)}  ${note}`);
  line('', 'ours', 'naive daily');
  line(
    'state transitions',
    fmt(ours.stateTransitions),
    fmt(naive.stateTransitions),
    design === designs[0] ? `target <= 200: ${verdict(ours.stateTransitions <= 200)}` : '',
  );
  line('Lambda invocations', fmt(ours.lambdaInvocations), fmt(naive.lambdaInvocations));
  line('DynamoDB reads', fmt(ours.dynamoReads), fmt(naive.dynamoReads));
  line('DynamoDB writes', fmt(ours.dynamoWrites), fmt(naive.dynamoWrites));
  line('SMS + emails', fmt(Object.values(ours.sms).reduce((a, b) => a + b, 0) + ours.emails, 1), 'same');
  line('AWS cost, platform', usd(ours.cost.platform), usd(naive.cost.platform), 'Step Functions, Lambda, DynamoDB, SNS topics');
  line('AWS cost, with messages', usd(ours.cost.total), usd(naive.cost.total), `prices of ${prices.checkedOn}, ${prices.region}`);
  log();
}

// 5. Lambda bundles: cold import judged against the SDK clients alone (absolute times swing between machines).
const bundles: BundleFigure[] = await measureBundles();
const sdkMs = await sdkImportMs();
const IMPORT_RATIO = 1.5;
log(
  `Lambda bundles: esbuild as cdk deploys them (CommonJS, minified, node22, SDK v3 from the runtime); cold import = \`require\` in a fresh \`node\` process, median of 3, against the SDK clients alone`,
);
for (const b of bundles) {
  log(
    `  ${b.name.padEnd(26)} ${fmt(b.bytes / 1024).padStart(5)} KB ${verdict(b.bytes < 500 * 1024).padEnd(8)} ${b.coldImportMs.toFixed(0).padStart(5)} ms ${(b.coldImportMs / sdkMs).toFixed(2)}x ${verdict(b.coldImportMs <= IMPORT_RATIO * sdkMs)}`,
  );
}
const slowest = Math.max(...bundles.map((b) => b.coldImportMs));
log(
  `  largest ${fmt(Math.max(...bundles.map((b) => b.bytes)) / 1024)} KB (target < 500 KB); slowest import ${slowest.toFixed(0)} ms, ${(slowest / sdkMs).toFixed(2)}x the SDK clients alone (target <= ${IMPORT_RATIO}x: ${verdict(slowest <= IMPORT_RATIO * sdkMs)})`,
);
log(`  the six SDK v3 clients alone (DynamoDB, document client, SNS, SESv2, SFN, KMS from node_modules, as the runtime provides them): ${sdkMs.toFixed(0)} ms`);
log();

// 6. Capacity at 1,000,000 loans (npm run capacity): peak demand per quota at the worst minute of a typical month.
const capacitySample = Number(values['capacity-sample']);
let capacity: unknown;
let spreading: unknown;
if (capacitySample > 0) {
  const { runCapacity } = await import('../capacity/run-capacity.js');
  const result = await runCapacity({ loans: 1_000_000, sample: capacitySample, region: 'us-east-1', outDir: 'out/bench-capacity', seed: 1, progress: false });
  capacity = result.report;
  log(`Capacity at 1,000,000 loans (npm run capacity -- --loans 1000000, sample ${fmt(capacitySample)}, us-east-1, default quotas):`);
  for (const line of result.text.split('\n')) log(`  ${line}`);
  log();

  // 7. The same month of 1,000 loans with every wake-up at the policy's local times and spread over its windows.
  const worst = (report: typeof result.report) => {
    const lambda = report.rows.find((r) => r.quota === 'lambdaConcurrency');
    const sms = report.rows.filter((r) => r.quota.startsWith('sms') && r.perSecond !== null).sort((a, b) => (b.perSecond ?? 0) - (a.perSecond ?? 0))[0];
    return {
      lambdaPerSecond: lambda?.perSecond ?? 0,
      lambdaWorstSecond: lambda?.worstSecond ?? 0,
      smsPerSecond: sms?.perSecond ?? 0,
      smsWorstSecond: sms?.worstSecond ?? 0,
    };
  };
  const month = { loans: 1000, sample: 1000, region: 'us-east-1', seed: 1, progress: false };
  const fixed = worst((await runCapacity({ ...month, outDir: 'out/bench-spreading/fixed', fixedTimes: true })).report);
  const spread = worst((await runCapacity({ ...month, outDir: 'out/bench-spreading/spread' })).report);
  spreading = { fixed, spread };
  log('A 1,000-loan month, wake-ups at the policy local times vs spread over the policy windows (reminders.spreadMinutes, tasks.spreadMinutes):');
  const row = (name: string, w: typeof fixed) =>
    log(
      `  ${name.padEnd(12)} Lambda ${w.lambdaPerSecond.toFixed(2)}/s at the worst minute, ${fmt(w.lambdaWorstSecond)} in the worst second; SMS ${w.smsPerSecond.toFixed(2)}/s at the worst minute, ${fmt(w.smsWorstSecond)} in the worst second`,
    );
  row('fixed times', fixed);
  row('spread', spread);
  log();
}
log(`Bench done in ${((performance.now() - started) / 1000).toFixed(0)} s.`);

if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true });
  writeFileSync(
    values.json,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        workers,
        speed: speed.map(({ summary: _s, ...rest }) => rest),
        dynamo,
        engine: { bareTransitionsPerSecond: bare.rate, bareThreads: bare.threads, ratio, driverTransitionsPerSecond: driver.rate, driverRatio },
        perLoanYear: designs.map((d) => ({ name: d.name, ours: withCost(d.ours, prices), naive: withCost(naiveDailyWake(d.ours), prices) })),
        bundles,
        sdkImportMs: sdkMs,
        capacity,
        spreading,
      },
      null,
      2,
    )}\n`,
  );
}

if (values.write) {
  mkdirSync(dirname(values.write), { recursive: true });
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  writeFileSync(
    values.write,
    `# Bench\n\nWritten by \`${command}\` on ${new Date().toISOString().slice(0, 10)}; what each figure means and the targets: [simulation-and-bench.md](simulation-and-bench.md#the-bench).\n\n\`\`\`text\n${report.join('\n')}\n\`\`\`\n`,
  );
  console.log(`Wrote ${values.write}`);
}
