// One batch of loans through the whole local system: the synthesized definition on the local engine, the
// real handlers in-process, the chosen store, simulated borrowers and agents. Runs in the main thread or in
// a worker (sim-worker.ts); either way it returns plain JSON.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { OnboardLoanRequest } from '../../functions/schemas.js';
import type { Product } from '../../workflows/domain/types.js';
import { atFixedTimes } from '../../workflows/domain/rules/spreading.js';
import { loadAllPolicies, loadPolicy } from '../../workflows/policy/load-policy.js';
import type { FollowUpPolicy } from '../../workflows/policy/policy-schema.js';
import { startLocalApp, type LocalApp } from '../local-app.js';
import type { World } from '../local-step-functions.js';
import type { OutboxEntry } from '../outbox-senders.js';
import type { BorrowerBehaviour } from '../world/borrower-behaviour.js';
import { SimulatedWorld, type ScriptProblem } from '../world/simulated-world.js';
import { Meter, type MeterRecord } from '../capacity/meter.js';
import type { MemoryLoanStore } from '../adapters/memory-loan-store.js';
import { observeStore } from './observed-view.js';
import { emptyTally, tallyLoan, type Tally } from './tally.js';
import { exportEvent, inTimeOrder, localDay } from './timeline-export.js';

export interface SimLoan {
  line: number;
  request: OnboardLoanRequest;
  behaviour: BorrowerBehaviour;
}

export interface Usage {
  stateTransitions: number;
  lambdaInvocations: Record<string, number>;
  dynamoReads: number;
  dynamoWrites: number;
  executions: number;
}

/** What left through the outbox: SMS by destination country (ISO code, `other` when unknown), emails, team notices. */
export interface Sent {
  sms: Record<string, number>;
  email: number;
  team: number;
}

export interface BatchInput {
  index: number;
  loans: SimLoan[];
  /** ISO instant the simulation stops at. */
  until: string;
  seed: number;
  store: 'memory' | 'dynamodb';
  /** A running DynamoDB Local (store dynamodb); the table must exist. */
  endpoint?: string;
  tableName?: string;
  /** A policy file replacing the shipped policy of its product. */
  policyFile?: string;
  /** Every loan at the policy's local times (spreading windows closed). */
  fixedTimes?: boolean;
  /** Append this batch's timeline here; nothing is written when absent. */
  timelineFile?: string;
  /** Time what hits each AWS quota inside this window (ISO instants), for `npm run capacity` (see ../capacity/meter.ts). */
  meter?: { from: string; to: string };
}

export interface BatchResult {
  index: number;
  usage: Usage;
  sent: Sent;
  tally: Tally;
  /** Loans that ended with a failed execution (FlagForOperations): should be none. */
  failedExecutions: string[];
  /** What a row's script asked for and the product refused (with the row's line): should be none. */
  scriptProblems: (ScriptProblem & { line: number })[];
  runMs: number;
  exportMs: number;
  /** What the meter timed, when the input asked for it. */
  meter?: MeterRecord;
}

export interface BatchProgress {
  index: number;
  loans: number;
  /** Loans whose follow-up ended or reached the horizon. */
  finished: number;
  /** The earliest clock among loans still running (ms); the horizon when all are done. */
  laggard: number;
}

/** Reads a policy file for `--policy`: the product named inside it is the one it replaces. */
export function policyOverride(file: string | undefined): Partial<Record<Product, FollowUpPolicy>> | undefined {
  if (!file) return undefined;
  const product = readProductOf(file);
  return { [product]: loadPolicy(product, file) };
}

function readProductOf(file: string): Product {
  // loadPolicy checks the whole file and names what is wrong; this only finds out which product it is for.
  let product: unknown;
  try {
    product = (JSON.parse(readFileSync(file, 'utf8')) as { product?: unknown }).product;
  } catch (error) {
    throw new Error(`${file}: not a readable JSON policy file (${(error as Error).message})`);
  }
  if (product !== 'car' && product !== 'enterprise' && product !== 'consumer') {
    throw new Error(`${file}: product: must be car, enterprise or consumer`);
  }
  return product;
}

export async function runBatch(input: BatchInput, onProgress?: (progress: BatchProgress) => void): Promise<BatchResult> {
  const until = new Date(input.until);
  const start = new Date(Math.min(...input.loans.map((l) => Date.parse(l.request.disbursedAt))));
  const behaviours = new Map(input.loans.map((l) => [l.request.loanId, l.behaviour]));
  const sent: Sent = { sms: {}, email: 0, team: 0 };
  const countries = new Map<string, string>();
  let meter: Meter | undefined;
  const outbox = {
    append(entry: OutboxEntry) {
      meter?.message(entry);
      if (entry.channel === 'EMAIL') sent.email += 1;
      else if (entry.channel === 'TEAM') sent.team += 1;
      else {
        let country = countries.get(entry.to);
        if (country === undefined) countries.set(entry.to, (country = parsePhoneNumberFromString(entry.to)?.country ?? 'other'));
        sent.sms[country] = (sent.sms[country] ?? 0) + 1;
      }
    },
  };

  const progress = progressTracker(input, until.getTime(), onProgress);
  const override = policyOverride(input.policyFile);
  const chosen = { ...loadAllPolicies(), ...override };
  const policies = input.fixedTimes ? (Object.fromEntries(Object.entries(chosen).map(([p, policy]) => [p, atFixedTimes(policy)])) as typeof chosen) : chosen;
  let world: SimulatedWorld | undefined;
  const app: LocalApp = await startLocalApp({
    store: input.store,
    endpoint: input.endpoint,
    tableName: input.tableName,
    time: { kind: 'virtual', start, until },
    outbox,
    policies,
    onInvoke: input.meter ? (name, payload) => meter?.invocation(name, payload) : undefined,
    world: ({ store, api }) => {
      const view = observeStore(store);
      view.onClosed = progress.finished;
      world = new SimulatedWorld(store, api, behaviours, input.seed, view, (product) => policies[product]);
      return progress.watch(world);
    },
  });
  if (input.meter) {
    meter = new Meter({ from: Date.parse(input.meter.from), to: Date.parse(input.meter.to) }, app.clocks!);
    meter.watchRuntime(app.runtime);
    // DynamoDB writes per partition are timed on the in-memory store only.
    if (input.store === 'memory') meter.watchStore(app.store as MemoryLoanStore);
  }
  try {
    const started = performance.now();
    // Stack traces cost about a tenth of an in-memory run: the engine raises an Error for every scalar its
    // JSONPath reads, and every wake-up is a States.Timeout. The workflow records only errors' names and
    // messages, so they go while the loans run (SIMULATE_STACK_TRACES=1 keeps them, to debug a handler).
    // Not against DynamoDB Local: the SDK may still load modules then, and the run is I/O bound anyway.
    const stackTraceLimit = Error.stackTraceLimit;
    if (input.store === 'memory' && !process.env.SIMULATE_STACK_TRACES) Error.stackTraceLimit = 0;
    try {
      // As runPortfolio does for a fresh store, without its scan for loans to resume (not the product's
      // reads): each loan is onboarded at its disbursement time, on its own clock, and all run to the horizon.
      app.runtime.extendHorizon(until);
      for (const loan of input.loans) {
        app.clocks!.set(loan.request.loanId, Date.parse(loan.request.disbursedAt));
        await app.api.onboardLoan(loan.request);
      }
      await app.runtime.whenIdle();
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    const runMs = performance.now() - started;
    progress.done();

    const exportStarted = performance.now();
    const tally = emptyTally();
    const fd = input.timelineFile ? openSync(input.timelineFile, 'a') : undefined;
    try {
      for (const loan of input.loans) {
        const { loanId, timezone } = loan.request;
        const events = inTimeOrder(await app.store.listTimeline(loanId));
        tallyLoan(
          tally,
          events,
          timezone,
          { day: localDay(until.getTime(), timezone), ms: until.getTime() },
          loan.request.disbursedAt,
          policies[loan.request.product].overdue.tiers,
        );
        if (fd !== undefined) writeSync(fd, events.map((e) => `${JSON.stringify(exportEvent(e, timezone))}\n`).join(''));
      }
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    const usage = app.usage();
    meter?.checkTotals(usage);
    const failedExecutions = [...app.runtime.executions.values()].filter((e) => e.status === 'FAILED' || e.status === 'TIMED_OUT').map((e) => e.name);
    const lines = new Map(input.loans.map((l) => [l.request.loanId, l.line]));
    const scriptProblems = (world?.problems ?? []).map((p) => ({ line: lines.get(p.loanId) ?? 0, ...p }));
    return {
      index: input.index,
      usage: { ...usage, executions: app.runtime.executions.size },
      sent,
      tally,
      failedExecutions,
      scriptProblems,
      runMs,
      exportMs: performance.now() - exportStarted,
      ...(meter ? { meter: meter.result() } : {}),
    };
  } finally {
    await app.stop();
  }
}

/**
 * Follows each loan's clock through the world's questions ("what happens to this loan before ...?") and
 * reports, at most every 200 ms, how many loans are done and how far the slowest one has got.
 */
function progressTracker(input: BatchInput, horizon: number, onProgress?: (progress: BatchProgress) => void) {
  const clocks = new Map<string, number>();
  const finished = new Set<string>();
  let last = 0;
  const report = (force = false) => {
    if (!onProgress) return;
    const now = performance.now();
    if (!force && now - last < 200) return;
    last = now;
    let laggard = horizon;
    for (const [loanId, at] of clocks) if (!finished.has(loanId) && at < laggard) laggard = at;
    if (clocks.size < input.loans.length) {
      for (const loan of input.loans) if (!clocks.has(loan.request.loanId)) laggard = Math.min(laggard, Date.parse(loan.request.disbursedAt));
    }
    onProgress({ index: input.index, loans: input.loans.length, finished: finished.size, laggard });
  };
  return {
    finished: (loanId: string) => {
      finished.add(loanId);
      report();
    },
    done: () => {
      for (const loan of input.loans) finished.add(loan.request.loanId);
      report(true);
    },
    watch: (world: World): World => ({
      nextEvent: async (loanId, now, before) => {
        clocks.set(loanId, now.getTime());
        const next = await world.nextEvent(loanId, now, before);
        // Nothing left before the horizon: the loan parks there.
        if (!next && before.getTime() >= horizon) finished.add(loanId);
        report();
        return next;
      },
    }),
  };
}
