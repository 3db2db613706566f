// `npm start`: the sample portfolio through its first months on a virtual clock, against DynamoDB Local.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalApp } from './local-app.js';
import { Outbox } from './outbox.js';
import { readPortfolio } from './portfolio-file.js';
import { runPortfolio } from './run-portfolio.js';
import { SimulatedWorld } from './world/simulated-world.js';

const { values } = parseArgs({
  options: {
    portfolio: { type: 'string', default: new URL('./sample-portfolio.csv', import.meta.url).pathname },
    months: { type: 'string', default: '3' },
    data: { type: 'string', default: '.local' },
    fresh: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
  },
});

const dataDir = values.data!;
if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
mkdirSync(join(dataDir, 'dynamodb'), { recursive: true });
const rows = readPortfolio(values.portfolio!);
const horizonFile = join(dataDir, 'horizon.json');
const earliest = Math.min(...rows.map((r) => Date.parse(r.request.disbursedAt)));
const previous = readHorizon(horizonFile) ?? earliest;
const until = new Date(previous);
until.setUTCMonth(until.getUTCMonth() + Number(values.months));

const outbox = new Outbox({ file: join(dataDir, 'outbox.jsonl') });
console.log(`loan-followup local run: ${rows.length} loans, virtual time up to ${until.toISOString()}`);
console.log(`data in ${dataDir}/ (DynamoDB Local files, outbox.jsonl); run again to continue, --fresh to start over\n`);
const behaviours = new Map(rows.map((r) => [r.request.loanId, r.behaviour]));
const app = await startLocalApp({
  dataDir: join(dataDir, 'dynamodb'),
  time: { kind: 'virtual', start: new Date(earliest), until },
  outbox,
  world: ({ store, api }) => new SimulatedWorld(store, api, behaviours, Number(values.seed)),
});
try {
  const started = Date.now();
  const result = await runPortfolio(app, rows, until);
  writeFileSync(horizonFile, JSON.stringify({ until: until.toISOString() }));
  console.log(`\n${result.onboarded} loans onboarded, ${result.resumed} resumed, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const loan of await app.store.listLoans()) {
    const snapshot = await app.store.getSnapshot(loan.loanId);
    const s = snapshot!.state;
    console.log(`  ${loan.loanId.padEnd(10)} ${s.status.padEnd(7)} warning ${s.warningLevel.padEnd(12)} ${s.classification.padEnd(15)} paid ${snapshot!.instalments.filter((i) => i.paidAt).length}/${snapshot!.instalments.length}`);
  }
  console.log(`  state transitions: ${app.runtime.totalTransitions}; executions: ${app.runtime.executions.size}`);
} finally {
  await app.stop();
}

function readHorizon(file: string): number | undefined {
  try {
    return Date.parse(JSON.parse(readFileSync(file, 'utf8')).until);
  } catch {
    return undefined;
  }
}
