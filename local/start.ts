// `npm start`: the console and the operations API on a demo clock (a virtual day every few seconds) over the
// sample portfolio. `--realtime` runs on the wall clock; `--batch` (or `--months N` / `--until DATE`) runs the
// portfolio N virtual months further and exits, as CI does.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { executionName } from '../workflows/execution-contract.js';
import { DemoClock } from './demo-clock.js';
import { startLocalApp, type LocalApp } from './local-app.js';
import { borrowersOnly, startLocalOperations } from './operations.js';
import { Outbox } from './outbox.js';
import { readPortfolio, type PortfolioRow } from './portfolio-file.js';
import { runPortfolio } from './run-portfolio.js';
import { SimulatedWorld } from './world/simulated-world.js';

const { values } = parseArgs({
  options: {
    portfolio: { type: 'string', default: new URL('./sample-portfolio.csv', import.meta.url).pathname },
    months: { type: 'string' },
    until: { type: 'string' },
    batch: { type: 'boolean', default: false },
    serve: { type: 'boolean', default: true },
    realtime: { type: 'boolean', default: false },
    data: { type: 'string', default: '.local' },
    fresh: { type: 'boolean', default: false },
    memory: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    port: { type: 'string', default: process.env.PORT ?? '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'seconds-per-day': { type: 'string', default: '3' },
    paused: { type: 'boolean', default: false },
  },
});

const batch = values.batch || values.months !== undefined || values.until !== undefined || !values.serve;
const dataDir = values.data!;
if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
const rows = readPortfolio(values.portfolio!);
const horizonFile = join(dataDir, 'horizon.json');
const earliest = Math.min(...rows.map((r) => Date.parse(r.request.disbursedAt)));
const latest = Math.max(...rows.map((r) => Date.parse(r.request.disbursedAt)));
const previous = readHorizon(horizonFile);
const outbox = new Outbox({ file: join(dataDir, 'outbox.jsonl') });
const behaviours = new Map(rows.map((r) => [r.request.loanId, r.behaviour]));
const storage = values.memory ? ({ store: 'memory' } as const) : ({ dataDir: join(dataDir, 'dynamodb') } as const);

if (batch) await runBatch();
else if (values.realtime) await serveRealtime();
else await serveDemo();

/** The sample portfolio N virtual months further, then a summary: the original `npm start`. */
async function runBatch(): Promise<void> {
  const until = values.until ? new Date(values.until) : new Date(previous ?? earliest);
  if (Number.isNaN(until.getTime())) throw new Error(`--until: "${values.until}" is not a date`);
  if (!values.until) until.setUTCMonth(until.getUTCMonth() + Number(values.months ?? '3'));
  console.log(`loan-followup local run: ${rows.length} loans, virtual time up to ${until.toISOString()}`);
  console.log(`data in ${dataDir}/ (DynamoDB Local files, outbox.jsonl); run again to continue, --fresh to start over\n`);
  const app = await startLocalApp({
    ...storage,
    time: { kind: 'virtual', start: new Date(earliest), until },
    outbox,
    world: ({ store, api }) => new SimulatedWorld(store, api, behaviours, Number(values.seed)),
  });
  try {
    const started = Date.now();
    const result = await runPortfolio(app, rows, until);
    writeFileSync(horizonFile, JSON.stringify({ until: until.toISOString() }));
    console.log(`\n${result.onboarded} loans onboarded, ${result.resumed} resumed, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    await printSummary(app);
    console.log(`  state transitions: ${app.runtime.totalTransitions}; executions: ${app.runtime.executions.size}`);
  } finally {
    await app.stop();
  }
}

/** The console on a demo clock: borrowers pay as scripted, the tasks wait for whoever opens the console. */
async function serveDemo(): Promise<void> {
  const start = new Date(Math.max(previous ?? 0, latest));
  const app = await startLocalApp({
    ...storage,
    time: { kind: 'virtual', start: new Date(earliest), until: start },
    outbox,
    world: ({ store, api }) => new SimulatedWorld(borrowersOnly(store), api, behaviours, Number(values.seed)),
  });
  const result = await runPortfolio(app, rows, start);
  const demo = new DemoClock({
    app,
    start,
    secondsPerDay: Number(values['seconds-per-day']),
    paused: values.paused,
    onStep: (now) => writeFileSync(horizonFile, JSON.stringify({ until: now.toISOString() })),
  });
  const server = await listenWithFallback((port) => startLocalOperations(app, { demo, port, host: values.host }));
  demo.start();
  console.log(
    `\n${result.onboarded} loans onboarded, ${result.resumed} resumed; demo clock at ${start.toISOString()}, a virtual day every ${values['seconds-per-day']} s`,
  );
  console.log(`\n  console:  ${server.url}`);
  console.log(`  API:      ${server.url}api/  (OpenAPI: ${server.url}openapi.json)`);
  console.log(`  log in as any name in the group agent, senior, risk, legal or admin; pause and speed are in the console's header`);
  console.log(`  data in ${dataDir}/; Ctrl+C stops (run again to carry on, --fresh to start over, --batch for the old batch run)\n`);
  await untilInterrupted(async () => {
    await demo.stop();
    await server.close();
    await app.stop();
  });
}

/** The console on the wall clock: loans wait real days, as in AWS. */
async function serveRealtime(): Promise<void> {
  const app = await startLocalApp({ ...storage, time: { kind: 'wall' }, outbox });
  await startOrResume(app, rows);
  const server = await listenWithFallback((port) => startLocalOperations(app, { port, host: values.host }));
  console.log(`\n  console:  ${server.url}   (wall clock)`);
  console.log(`  API:      ${server.url}api/  (OpenAPI: ${server.url}openapi.json)\n`);
  await untilInterrupted(async () => {
    await server.close();
    await app.stop();
  });
}

async function startOrResume(app: LocalApp, portfolio: PortfolioRow[]): Promise<void> {
  const stored = new Map((await app.store.listLoans()).map((l) => [l.loanId, l]));
  for (const row of portfolio) {
    const known = stored.get(row.request.loanId);
    if (!known) await app.api.onboardLoan(row.request);
    else if (known.status !== 'CLOSED') {
      await app.runtime.startExecution({
        name: executionName(known.loanId, known.generation),
        input: { loanId: known.loanId, generation: known.generation, iteration: 0 },
      });
    }
  }
}

async function listenWithFallback<T>(listen: (port: number) => Promise<T>): Promise<T> {
  const first = Number(values.port);
  for (let port = first; ; port++) {
    try {
      return await listen(port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port >= first + 10) throw error;
    }
  }
}

async function printSummary(app: LocalApp): Promise<void> {
  for (const loan of await app.store.listLoans()) {
    const snapshot = await app.store.getSnapshot(loan.loanId);
    const s = snapshot!.state;
    console.log(
      `  ${loan.loanId.padEnd(10)} ${s.status.padEnd(7)} warning ${s.warningLevel.padEnd(12)} ${s.classification.padEnd(15)} paid ${snapshot!.instalments.filter((i) => i.paidAt).length}/${snapshot!.instalments.length}`,
    );
  }
}

function untilInterrupted(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = () => {
      if (stopping) process.exit(130);
      stopping = true;
      console.log('\nstopping…');
      stop().then(resolve, (error) => {
        console.error(error);
        resolve();
      });
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
}

function readHorizon(file: string): number | undefined {
  try {
    return Date.parse(JSON.parse(readFileSync(file, 'utf8')).until);
  } catch {
    return undefined;
  }
}
