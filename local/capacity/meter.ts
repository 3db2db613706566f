// Times what a batch of the simulation asks of each AWS quota, on each loan's own virtual clock: Lambda
// invocations, state transitions, StartExecution and SendTaskSuccess calls, SMS and emails sent, DynamoDB
// items written (per table, per index partition, per loan partition). Used by run-batch.ts when a run asks
// for it (`npm run capacity`); the result is plain JSON, so a worker thread can send it back.
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { MemoryLoanStore } from '../adapters/memory-loan-store.js';
import { loanIdOfTask } from '../../workflows/domain/types.js';
import type { LocalStepFunctions } from '../local-step-functions.js';
import type { OutboxEntry } from '../outbox-senders.js';
import type { VirtualClocks } from '../virtual-clocks.js';
import { MINUTE } from './capacity-math.js';
import { emptyParkingRecord, type ParkingRecord, ParkingTally } from './parking.js';

/** The series a meter records (timestamps, ms): `lambda:<function>`, `sfn:*`, `sms:<country>`, `email`, `team`, `ddb:*`. */
export const SERIES = {
  lambda: (name: string) => `lambda:${name}`,
  transitions: 'sfn:transitions',
  startExecution: 'sfn:start-execution',
  sendTaskSuccess: 'sfn:send-task-success',
  sms: (country: string) => `sms:${country}`,
  email: 'email',
  team: 'team',
  tableWrites: 'ddb:writes',
  indexWrites: (partition: string) => `ddb:index:${partition}`,
} as const;

export interface MeterRecord {
  /** Timestamps (epoch ms) inside the metered window, per series. */
  series: Record<string, number[]>;
  /** The busiest minute of any one loan's partition in the window (item writes). */
  busiestLoanPartition: { pk: string; minuteAt: number; writes: number } | null;
  /** Calls the meter could not tie to a loan (and so to a clock), per series: should be none. */
  unattributed: Record<string, number>;
  /** Counted over the whole run, window or not: checked against the app's own usage counters. */
  totals: { transitions: number; invocations: number };
  /** Waits long enough that ending the execution and restarting it by a schedule would pay (./parking.ts). */
  parking: ParkingRecord;
}

export function emptyMeterRecord(): MeterRecord {
  return { series: {}, busiestLoanPartition: null, unattributed: {}, totals: { transitions: 0, invocations: 0 }, parking: emptyParkingRecord() };
}

/** Adds `from` into `into` (timestamps appended, unsorted; the busiest partition kept). */
export function mergeMeterRecords(into: MeterRecord, from: MeterRecord): MeterRecord {
  for (const [name, times] of Object.entries(from.series)) {
    const target = (into.series[name] ??= []);
    for (const t of times) target.push(t);
  }
  for (const [name, n] of Object.entries(from.unattributed)) into.unattributed[name] = (into.unattributed[name] ?? 0) + n;
  if (from.busiestLoanPartition && (!into.busiestLoanPartition || from.busiestLoanPartition.writes > into.busiestLoanPartition.writes))
    into.busiestLoanPartition = from.busiestLoanPartition;
  into.totals.transitions += from.totals.transitions;
  into.totals.invocations += from.totals.invocations;
  into.parking.parkedLoanMs += from.parking.parkedLoanMs;
  into.parking.parks += from.parking.parks;
  return into;
}

/** The loan a handler's input is about: `loanId`, a task's (`<loanId>.<purpose>...`) or a case's (`CASE-<loanId>`). */
export function loanOfInput(input: unknown): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const i = input as { loanId?: unknown; taskId?: unknown; caseId?: unknown; Payload?: unknown };
  if (typeof i.loanId === 'string') return i.loanId;
  if (typeof i.taskId === 'string') return loanIdOfTask(i.taskId);
  if (typeof i.caseId === 'string' && i.caseId.startsWith('CASE-')) return i.caseId.slice('CASE-'.length);
  if (i.Payload !== undefined) return loanOfInput(i.Payload);
  return loanOfHttpEvent(input as { routeKey?: unknown; pathParameters?: Record<string, string>; body?: unknown });
}

/** An API call's loan: the path's (a loan, a task, a case), else the JSON body's (an onboarding). */
function loanOfHttpEvent(event: { routeKey?: unknown; pathParameters?: Record<string, string>; body?: unknown }): string | undefined {
  if (typeof event.routeKey !== 'string') return undefined;
  const { id, caseId } = event.pathParameters ?? {};
  if (id !== undefined) return event.routeKey.includes('/api/tasks/') ? loanIdOfTask(id) : id;
  if (caseId !== undefined) return loanOfInput({ caseId });
  if (typeof event.body !== 'string' || !event.body.startsWith('{')) return undefined;
  try {
    return loanOfInput(JSON.parse(event.body));
  } catch {
    return undefined;
  }
}

const LOAN_PARTITION = 'LOAN#';

export class Meter {
  private readonly record = emptyMeterRecord();
  private readonly countries = new Map<string, string>();
  /** Writes per loan partition and minute (`pk minute`), for the busiest. */
  private readonly partitionMinutes = new Map<string, number>();
  /** Task tokens to the loan whose wait issued them. */
  private readonly tokenLoans = new Map<string, string>();
  private readonly parking: ParkingTally;

  constructor(
    private readonly window: { from: number; to: number },
    private readonly clocks: VirtualClocks,
  ) {
    this.parking = new ParkingTally(window);
  }

  result(): MeterRecord {
    this.record.parking = this.parking.finish();
    return this.record;
  }

  private add(series: string, at: number, n = 1): void {
    if (at < this.window.from || at >= this.window.to) return;
    const times = (this.record.series[series] ??= []);
    for (let i = 0; i < n; i++) times.push(at);
  }

  private addForLoan(series: string, loanId: string | undefined, n = 1): void {
    if (loanId === undefined) {
      this.record.unattributed[series] = (this.record.unattributed[series] ?? 0) + n;
      return;
    }
    this.add(series, this.clocks.now(loanId), n);
  }

  /** For LocalAppOptions.onInvoke: a Lambda invocation, on the clock of the loan its input names. */
  readonly invocation = (name: string, input: unknown): void => {
    this.record.totals.invocations += 1;
    const loanId = loanOfInput(input);
    this.addForLoan(SERIES.lambda(name), loanId);
    if (loanId === undefined) return;
    if (name === 'advance-loan') this.parking.stepStarted(loanId, this.clocks.now(loanId));
    const waitSeconds = (input as { waitSeconds?: unknown }).waitSeconds;
    if (name === 'await-event' && typeof waitSeconds === 'number') this.parking.waitStarted(loanId, this.clocks.now(loanId), waitSeconds);
  };

  /** What left through the outbox, at the time the sender stamped on it. */
  message(entry: OutboxEntry): void {
    const at = Date.parse(entry.at);
    if (entry.channel === 'EMAIL') this.add(SERIES.email, at);
    else if (entry.channel === 'TEAM') this.add(SERIES.team, at);
    else {
      let country = this.countries.get(entry.to);
      if (country === undefined) this.countries.set(entry.to, (country = parsePhoneNumberFromString(entry.to)?.country ?? 'other'));
      this.add(SERIES.sms(country), at);
    }
  }

  /** Item writes of the in-memory store: the table, the queue index's partitions, each loan's partition. */
  watchStore(store: MemoryLoanStore): void {
    store.onItemWrite = ({ pk, indexBefore, indexAfter }) => {
      const loanId = pk.startsWith(LOAN_PARTITION) ? pk.slice(LOAN_PARTITION.length) : undefined;
      if (loanId === undefined) {
        this.record.unattributed[SERIES.tableWrites] = (this.record.unattributed[SERIES.tableWrites] ?? 0) + 1;
        return;
      }
      const at = this.clocks.now(loanId);
      this.add(SERIES.tableWrites, at);
      // An index entry that moves between partitions is a delete in one and a put in the other.
      if (indexBefore !== undefined) this.add(SERIES.indexWrites(indexBefore), at);
      if (indexAfter !== undefined && indexAfter !== indexBefore) this.add(SERIES.indexWrites(indexAfter), at);
      if (at < this.window.from || at >= this.window.to) return;
      const minuteAt = Math.floor(at / MINUTE) * MINUTE;
      const key = `${pk} ${minuteAt}`;
      const writes = (this.partitionMinutes.get(key) ?? 0) + 1;
      this.partitionMinutes.set(key, writes);
      if (!this.record.busiestLoanPartition || writes > this.record.busiestLoanPartition.writes) this.record.busiestLoanPartition = { pk, minuteAt, writes };
    };
  }

  /**
   * The engine's side: StartExecution (onboarding and the ContinueAsNew state both call it), SendTaskSuccess
   * (events that wake a waiting loan, tied to the loan through the token its wait issued), and every state
   * transition, each on its loan's clock when it happens.
   *
   * The runtime counts an execution's transitions in `execution.transitions` (countTransitions in
   * local-step-functions.ts); the meter turns that field into one that also records the time of each increment.
   * `checkTotals` compares what the meter saw with the runtime's own count, so a change there cannot go unseen.
   */
  watchRuntime(runtime: LocalStepFunctions): void {
    const startExecution = runtime.startExecution.bind(runtime);
    runtime.startExecution = async (request) => {
      const loanId = loanOfInput(request.input);
      this.addForLoan(SERIES.startExecution, loanId);
      const started = await startExecution(request);
      const execution = runtime.executions.get(request.name);
      if (!started.alreadyRunning && execution) {
        let counted = execution.transitions;
        // Any the engine entered before the field was replaced happened at this moment too.
        this.record.totals.transitions += counted;
        this.addForLoan(SERIES.transitions, loanId, counted);
        Object.defineProperty(execution, 'transitions', {
          configurable: true,
          enumerable: true,
          get: () => counted,
          set: (value: number) => {
            const added = value - counted;
            counted = value;
            if (added <= 0) return;
            this.record.totals.transitions += added;
            this.addForLoan(SERIES.transitions, loanId, added);
          },
        });
      }
      return started;
    };

    const issue = runtime.tokens.issue.bind(runtime.tokens);
    runtime.tokens.issue = (meta) => {
      const issued = issue(meta);
      const loanId = loanOfInput(runtime.executions.get(meta.executionName)?.input);
      if (loanId !== undefined) this.tokenLoans.set(issued.token, loanId);
      return issued;
    };
    const sendTaskSuccess = runtime.sendTaskSuccess.bind(runtime);
    runtime.sendTaskSuccess = async (token, output) => {
      // Kept after use: a late answer with a spent token is still a call (a batch's app, and this map, are short-lived).
      this.addForLoan(SERIES.sendTaskSuccess, this.tokenLoans.get(token));
      return sendTaskSuccess(token, output);
    };
  }

  /** Throws when the meter saw fewer (or more) transitions or invocations than the app counted. */
  checkTotals(usage: { stateTransitions: number; lambdaInvocations: Record<string, number> }): void {
    const invocations = Object.values(usage.lambdaInvocations).reduce((a, b) => a + b, 0);
    const { totals } = this.record;
    if (totals.transitions !== usage.stateTransitions || totals.invocations !== invocations) {
      throw new Error(
        `capacity meter: saw ${totals.transitions} state transitions and ${totals.invocations} Lambda invocations, the run counted ${usage.stateTransitions} and ${invocations} ` +
          '(the local runtime changed how it counts: see Meter.watchRuntime in local/capacity/meter.ts)',
      );
    }
  }
}
