import { bareEngineRate } from '../infra/local/bench/bare-engine.ts';
for (const t of [0, 2]) { const r = await bareEngineRate(t); console.log(t, Math.round(r.rate), r.perThread.map((p) => Math.round(p.transitions / ((p.endedAt - p.startedAt) / 1000)))); }
