// Scratch: one simulation of N loans x 36 months, for profiling. Not part of the product.
import { synthesizeDefinition } from '../../asl.js';
import { runSimulation } from '../simulate/run-simulation.js';
import { syntheticRows } from './synthetic-portfolio.js';
const loans = Number(process.argv[2] ?? 200);
const store = (process.argv[3] ?? 'memory') as 'memory' | 'dynamodb';
const workers = Number(process.argv[4] ?? 0);
const FROM = '2026-01-05T02:00:00Z';
const until = new Date(Date.parse(FROM) + 28 * 86_400_000);
until.setUTCMonth(until.getUTCMonth() + 36);
const rows = syntheticRows({ loans, seed: 1, termMonths: 36, from: FROM });
synthesizeDefinition();
const cpu0 = process.cpuUsage();
const r = await runSimulation({ portfolioFile: 'x', rows, until, seed: 1, store, minutesPerCall: 6, minutesPerVisit: 90, workers, progress: false, outDir: process.env.OUT, batchSize: process.env.BATCH ? Number(process.env.BATCH) : undefined });
const c = process.cpuUsage(cpu0);
const u = r.summary.usage;
console.log(JSON.stringify({ loans, store, workers, sim: r.summary.run.simulationSeconds.toFixed(2), cpu: ((c.user + c.system) / 1e6).toFixed(2), transitions: u.stateTransitions, reads: u.dynamoReads, writes: u.dynamoWrites, lambda: u.lambdaInvocations.total, failed: r.failedExecutions.length, tps: (u.stateTransitions / r.summary.run.simulationSeconds).toFixed(0) }));
