import { synthesizeDefinition } from '../infra/asl.ts';
import { runBatch } from '../infra/local/simulate/run-batch.ts';
import { syntheticRows } from '../infra/local/bench/synthetic-portfolio.ts';
synthesizeDefinition();
const n = Number(process.argv[2] ?? 4), size = Number(process.argv[3] ?? 200);
const rows = syntheticRows({ loans: n * size, seed: 1, termMonths: 36, from: '2026-01-05T02:00:00Z' });
for (let b = 0; b < n; b++) {
  const c0 = process.cpuUsage(); const t = performance.now();
  const r = await runBatch({ index: b, loans: rows.slice(b * size, (b + 1) * size).map((r) => ({ line: r.line, request: r.request, behaviour: r.behaviour })), until: '2029-02-05T00:00:00Z', seed: 1, store: 'memory' });
  const c = process.cpuUsage(c0);
  console.log(`batch ${b}: run ${(r.runMs / 1000).toFixed(1)} s export ${(r.exportMs / 1000).toFixed(1)} s wall ${((performance.now() - t) / 1000).toFixed(1)} cpu ${((c.user + c.system) / 1e6).toFixed(1)} heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB load ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
}
