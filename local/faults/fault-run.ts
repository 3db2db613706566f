// One run of a portfolio on the local system, with the faults of a plan injected as it goes: SNS and SES
// errors, Lambda crashes after a send, DynamoDB throttling, duplicate and out-of-order payment notices, the
// runtime killed and restarted on its data, DynamoDB Local restarted. Or, as the reference, with none.
import { MemoryLoanStore } from '../adapters/memory-loan-store.js';
import type { LoanStore } from '../../functions/ports.js';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import type { CallbackTask } from '../../workflows/domain/types.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../dynamodb-local.js';
import { startLocalApp, type LocalApp } from '../local-app.js';
import type { OutboxEntry } from '../outbox-senders.js';
import type { PortfolioRow } from '../portfolio-file.js';
import { SimulatedWorld } from '../world/simulated-world.js';
import { injectDynamoFaults } from './dynamo-faults.js';
import { FaultLedger } from './fault-ledger.js';
import { checkPlan, FaultDice, StepFaultBudget, type FaultPlan } from './fault-plan.js';
import { faultySenders, type SenderPorts } from './faulty-senders.js';
import { PaymentFaults } from './payment-faults.js';
import { PowerCut } from './power-cut.js';
import { ProviderOutbox } from './provider-outbox.js';
import { restartDynamoDbLocal, resumeOnItsData } from './restarts.js';
import { SendObserver } from './send-observer.js';
import { faultyStore } from './store-faults.js';
import { WorldClient, worldOfRuntime } from './world-client.js';

export interface FaultRunOptions {
  rows: PortfolioRow[];
  until: Date;
  plan: FaultPlan;
  /** `reference`: not a single fault, the paired payments reported in order. `faulted`: the plan. */
  mode: 'reference' | 'faulted';
  store: 'memory' | 'dynamodb';
  /** DynamoDB Local's data folder (store `dynamodb`), kept across the restarts of the run. */
  dataDir?: string;
  /** Seed of the simulated borrowers and agents (the same in the reference and the faulted run). */
  worldSeed: number;
  /** AdvanceLoan invocations the run is expected to make (the reference's): the kill and restart moments are shares of it. */
  expectedSteps?: number;
  log?: (line: string) => void;
}

export interface LoanOutcome {
  loanId: string;
  status: string;
  tasks: CallbackTask[];
  timeline: TimelineEvent[];
  flagged?: { reason: string; at: string };
}

export interface ExecutionOutcome {
  name: string;
  status: string;
  error?: string;
  /** 0 for the first runtime, 1 for the one started after the kill. */
  runtime: number;
}

export interface FaultRunResult {
  mode: FaultRunOptions['mode'];
  store: FaultRunOptions['store'];
  outbox: OutboxEntry[];
  loans: LoanOutcome[];
  executions: ExecutionOutcome[];
  ledger: FaultLedger;
  /** Payment notices the bank sent a second time. */
  duplicatedPayments: { loanId: string; paymentId: string }[];
  /** AdvanceLoan invocations, over every runtime. */
  steps: number;
  /** The same, by loan (a reference run gives each subset of its loans the steps to expect). */
  stepsByLoan: Map<string, number>;
  /** The last failed invocations of each loan (`<seconds> s <state>: <error>: <message> | ...`), to tell why an execution failed. */
  lastFailures: Map<string, string>;
  /** What happened when: loans onboarded, the runtime killed and resumed, DynamoDB Local restarted, the end. */
  moments: string[];
  /** Calls of the bank and the agents refused for good (e.g. a call the compliance gate blocked). */
  clientRefusals: string[];
  seconds: number;
}

const TABLE = 'loan-followup-faults';
/** The longest wait of AdvanceLoan's Retry after the restart's failures (1 + 2 + 4 + 8 s) has passed by then. */
const QUIET_AFTER_RESTART_MS = 16_000;
/** Failed invocations kept per loan, to tell why an execution failed. */
const FAILURE_TRAIL = 12;
const WORKFLOW_STATES: Record<string, string> = { 'advance-loan': 'AdvanceLoan', 'await-event': 'the wait states', 'flag-for-operations': 'FlagForOperations' };

export async function runWithFaults(options: FaultRunOptions): Promise<FaultRunResult> {
  const started = performance.now();
  const elapsed = () => ((performance.now() - started) / 1000).toFixed(1);
  const moments: string[] = [];
  const log = (line: string) => {
    moments.push(`${elapsed()} s: ${line}`);
    options.log?.(moments.at(-1)!);
  };
  const plan = checkPlan(options.plan);
  const faulted = options.mode === 'faulted';
  const ledger = new FaultLedger();
  const dice = new FaultDice(plan.seed);
  const budget = new StepFaultBudget(plan.maxFailuresPerStep);
  const observer = new SendObserver(ledger);
  let collecting = false;
  // No fault is injected while DynamoDB Local restarts: the restart is the fault of that moment.
  let quiet = false;
  const context = { plan, dice, ledger, budget, observer, active: () => faulted && !collecting && !quiet };

  const outbox = new ProviderOutbox();
  const client = new WorldClient(ledger);
  const behaviours = new Map(options.rows.map((row) => [row.request.loanId, row.behaviour]));
  const payments = new PaymentFaults(client.api, { mode: faulted ? 'faulted' : 'in-order', plan, dice, ledger, behaviours, view: client.view });
  let world: SimulatedWorld | undefined;
  const memoryStore = options.store === 'memory' ? new MemoryLoanStore() : undefined;
  let dynamo: DynamoDbLocal | undefined = options.store === 'dynamodb' ? await startDynamoDbLocal({ dataDir: options.dataDir }) : undefined;
  const start = new Date(Math.min(...options.rows.map((row) => Date.parse(row.request.disbursedAt))));

  let steps = 0;
  const stepsByLoan = new Map<string, number>();
  const lastFailures = new Map<string, string>();
  const share = (at: number | undefined) =>
    faulted && at !== undefined && options.expectedSteps ? Math.max(1, Math.round(at * options.expectedSteps)) : undefined;
  const killAt = share(plan.killRuntimeAt);
  const restartAt = options.store === 'dynamodb' ? share(plan.restartDynamoAt) : undefined;
  let armed = false;
  let killed = false;
  let requestKill!: () => void;
  const killRequested = new Promise<'killed'>((resolve) => (requestKill = () => resolve('killed')));
  let dynamoRestart: Promise<void> | undefined;
  const runtimes: { app: LocalApp; power: PowerCut }[] = [];

  const onStep = () => {
    if (!armed) return;
    if (killAt !== undefined && !killed && steps >= killAt) {
      killed = true;
      // The moment of the kill: whatever a handler does from here on goes nowhere.
      runtimes.at(-1)!.power.cut();
      ledger.inject('runtime-killed');
      log(`runtime killed after ${steps} steps`);
      requestKill();
    }
    if (restartAt !== undefined && !dynamoRestart && steps >= restartAt) dynamoRestart = restartDynamo();
  };

  const restartDynamo = async () => {
    ledger.inject('dynamodb-restarted');
    const down = performance.now();
    quiet = true;
    // The bank and the agents wait while the database is serviced; the loans' steps run into it.
    const up = client.detach();
    await client.quiesce();
    dynamo = await restartDynamoDbLocal(dynamo!, options.dataDir);
    if (up) client.attach(up);
    log(`DynamoDB Local restarted after ${steps} steps, down ${Math.round(performance.now() - down)} ms`);
    // Steps caught by the restart are in their Retry's backoff; they get through before faults resume.
    setTimeout(() => (quiet = false), QUIET_AFTER_RESTART_MS).unref();
  };

  /** The loans' clocks at the last kill, for the next runtime (time does not run backwards for a loan). */
  let clocksCarried = new Map<string, number>();
  const startRuntime = async () => {
    const power = new PowerCut();
    const app = await startLocalApp({
      store: options.store,
      endpoint: dynamo?.endpoint,
      tableName: TABLE,
      memoryStore,
      time: { kind: 'virtual', start, until: options.until },
      outbox,
      pacing: options.plan.pacing,
      world: ({ store, api, clocks }) => {
        // A runtime started after a kill: every loan's clock where it had got to, before a call that waited
        // through the kill runs on it (the client takes a call's time from the runtime's clock of the loan).
        for (const [loanId, at] of clocksCarried) clocks?.set(loanId, at);
        client.attach({ store, api, clocks });
        world ??= new SimulatedWorld(store, payments, behaviours, options.worldSeed, client.view);
        return worldOfRuntime(world, () => !power.isCut);
      },
      faults: {
        ports: (ports) => {
          const p = ports as typeof ports & SenderPorts & { store: LoanStore };
          const store = observer.observe(memoryStore && faulted ? faultyStore(p.store, context) : p.store);
          return power.guardPorts(faultySenders({ ...p, store }, context));
        },
        dynamoClient: (db) => {
          if (faulted) injectDynamoFaults(db, context);
        },
        invocation: (name, input, outcome) => {
          const state = WORKFLOW_STATES[name];
          const loanId = (input as { loanId?: unknown } | null)?.loanId;
          if (name === 'advance-loan' && !power.isCut) {
            steps += 1;
            if (typeof loanId === 'string') stepsByLoan.set(loanId, (stepsByLoan.get(loanId) ?? 0) + 1);
            onStep();
          }
          void outcome.then(
            () => {
              if (state && typeof loanId === 'string') budget.recovered(loanId);
            },
            (error: Error) => {
              if (!state || power.isCut || collecting) return;
              ledger.stateMachineRetry(state, error.name);
              if (typeof loanId !== 'string') return;
              budget.failure(loanId);
              const trail =
                lastFailures
                  .get(loanId)
                  ?.split(' | ')
                  .slice(-(FAILURE_TRAIL - 1)) ?? [];
              lastFailures.set(loanId, [...trail, `${elapsed()} s ${state}: ${error.name}: ${error.message}`].join(' | '));
            },
          );
        },
      },
    });
    runtimes.push({ app, power });
    return app;
  };

  let app = await startRuntime();
  try {
    app.runtime.extendHorizon(options.until);
    for (const row of options.rows) {
      app.clocks!.set(row.request.loanId, Date.parse(row.request.disbursedAt));
      await client.call('onboard-loan', (current) => current.api.onboardLoan(row.request));
    }
    armed = true;
    log(`${options.rows.length} loans onboarded`);
    onStep();
    let kill: Promise<'killed' | 'idle'> = killRequested;
    for (;;) {
      if ((await Promise.race([app.runtime.whenIdle().then(() => 'idle' as const), kill])) === 'idle') break;
      kill = new Promise(() => undefined);
      // The process is gone: its clocks go with it, but time does not run backwards for the loans.
      const clocksAtKill = new Map(options.rows.map((row) => [row.request.loanId, app.clocks!.now(row.request.loanId)]));
      clocksCarried = clocksAtKill;
      client.detach();
      await app.stop();
      app = await startRuntime();
      await client.drain();
      const resumed = await resumeOnItsData(app, client, options.rows, clocksAtKill);
      log(`runtime restarted on its data: ${resumed} loans resumed`);
    }
    await dynamoRestart;
    log(`every loan at the horizon after ${steps} steps`);

    collecting = true;
    const loans: LoanOutcome[] = [];
    for (const row of options.rows) {
      const view = await app.store.getLoanView(row.request.loanId);
      if (!view) throw new Error(`loan ${row.request.loanId} is not in the store`);
      loans.push({
        loanId: row.request.loanId,
        status: view.state.status,
        tasks: view.tasks,
        timeline: view.timeline,
        ...(view.flagged ? { flagged: view.flagged } : {}),
      });
    }
    const executions = runtimes.flatMap(({ app: { runtime } }, index) =>
      [...runtime.executions.values()].map((e) => ({ name: e.name, status: e.status, ...(e.error ? { error: e.error } : {}), runtime: index })),
    );
    return {
      mode: options.mode,
      store: options.store,
      outbox: outbox.entries,
      loans,
      executions,
      ledger,
      duplicatedPayments: payments.duplicated.map(({ loanId, paymentId }) => ({ loanId, paymentId })),
      steps,
      stepsByLoan,
      lastFailures,
      clientRefusals: client.refusals,
      moments,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    collecting = true;
    await app.stop();
    await dynamoRestart?.catch(() => undefined);
    await dynamo?.stop();
  }
}
