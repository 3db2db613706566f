// Transitions per second of a run in worker threads, measured the way the simulation is: each thread warmed up
// first, all started together, transitions of all of them over the time from the first start to the last end.
import { Worker } from 'node:worker_threads';
import { SIMULATION_WORKER_LIMITS } from '../simulate/worker-limits.js';
import { bareEngine } from './bare-engine.js';
import { driverOnly } from './driver-only.js';
import type { ThreadRun } from './thread-run.js';

export type { ThreadRun } from './thread-run.js';

export interface ThreadedRate {
  /** Transitions per second of all threads together. */
  rate: number;
  threads: number;
  perThread: ThreadRun[];
}

/** `bare`: a trivial definition on the bare engine. `driver`: our definition and driver, handlers deciding nothing. */
export type RateSubject = 'bare' | 'driver';

export const prepare = (subject: RateSubject) => (subject === 'bare' ? bareEngine() : driverOnly());

function rateOf(runs: ThreadRun[]): ThreadedRate {
  const transitions = runs.reduce((n, r) => n + r.transitions, 0);
  const seconds = (Math.max(...runs.map((r) => r.endedAt)) - Math.min(...runs.map((r) => r.startedAt))) / 1000;
  return { rate: transitions / seconds, threads: runs.length, perThread: runs };
}

/** In `threads` worker threads with the simulation's resource limits (none: in this thread). */
export async function threadedRate(subject: RateSubject, threads: number): Promise<ThreadedRate> {
  if (threads <= 0) return rateOf([await (await prepare(subject)).run()]);
  const boot = new URL('../simulate/worker-boot.mjs', import.meta.url);
  const entry = new URL('./rate-worker.ts', import.meta.url).href;
  const workers = Array.from({ length: threads }, () => new Worker(boot, { workerData: { entry, subject }, resourceLimits: SIMULATION_WORKER_LIMITS }));
  try {
    const next = (worker: Worker) =>
      new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
    await Promise.all(workers.map(next)); // each says it is ready
    const runs = workers.map(next);
    for (const worker of workers) worker.postMessage('go');
    return rateOf((await Promise.all(runs)) as ThreadRun[]);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
