import './node20-polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { outsideFunction } from './lambda-invoker.js';
import type { WorkflowControl } from '../functions/ports.js';
import { STATE, WAIT_STATES } from '../workflows/state-names.js';
import type { AwaitEventInput } from '../workflows/execution-contract.js';
import { loadQuotas } from './capacity/quotas.js';
import { forLocalEngine } from './local-definition.js';
import { TaskTokenRegistry } from './task-tokens.js';
import type { VirtualClocks } from './virtual-clocks.js';

type TaskFn = (input: any) => Promise<unknown>;

/** The in-process handlers behind each Task state, by state name. */
export interface TaskHandlers {
  advanceLoan: TaskFn;
  awaitEvent: TaskFn;
  flagForOperations: TaskFn;
}

/** Simulated borrowers and agents: what happens to a loan next, before a given moment. */
export interface World {
  nextEvent(loanId: string, now: Date, before: Date): Promise<{ at: Date; deliver: () => Promise<void> } | undefined>;
}

export type TimeMode = { kind: 'virtual'; clocks: VirtualClocks; world?: World; until: Date } | { kind: 'wall' };

export interface LocalExecution {
  name: string;
  executionArn: string;
  input: object;
  /** TIMED_OUT: the execution reached Standard's 1-year limit, as AWS reports it. */
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: unknown;
  error?: string;
  transitions: number;
  /** The events AWS would have written to this execution's history so far (see HISTORY_EVENTS). */
  historyEvents: number;
  /** When it started, on its loan's clock (virtual mode) or the wall clock (ms since the epoch). */
  startedAt: number;
  done: Promise<void>;
  abort: () => void;
}

export class ExecutionAlreadyExistsError extends Error {
  override name = 'ExecutionAlreadyExists';
}

/** StartExecution's answer to an input over the payload limit (the API's length constraint on `input`). */
export class ExecutionInputTooLargeError extends Error {
  override name = 'ValidationException';
}

export const STATE_MACHINE_ARN = 'arn:aws:states:local:000000000000:stateMachine:loan-followup';

/** Definitions (as the engine gets them) the engine has validated in this thread. */
const VALIDATED = new Set<string>();

/** Where a run's state transitions (and, when the field is there, its history events) are counted (see countTransitions). */
export interface TransitionCounter {
  transitions: number;
  historyEvents?: number;
}

/**
 * AWS's hard limits on one Standard execution, which the local engine enforces (docs/running-locally.md). The
 * figures come from the quota file (local/capacity/aws-quotas.json), so there is one place to change them.
 */
export interface ExecutionLimits {
  /** Events in one execution's history; past it the execution fails. */
  historyEvents: number;
  /** Age of one execution; at it the execution times out. */
  maxAgeMs: number;
  /** Bytes (UTF-8) of an execution's input and of any state's output. */
  payloadBytes: number;
}

function limitsFromQuotaFile(): ExecutionLimits {
  const { quotas } = loadQuotas();
  const figure = (id: 'sfnHistoryEvents' | 'sfnExecutionDuration' | 'sfnPayload'): number => {
    const value = quotas[id].value;
    if (typeof value !== 'number') throw new Error(`aws-quotas.json: ${id} must be a single figure`);
    return value;
  };
  return {
    historyEvents: figure('sfnHistoryEvents'),
    maxAgeMs: figure('sfnExecutionDuration') * 86_400_000,
    // AWS's "256 KB" is 256 KiB: 262,144 bytes of UTF-8 (the API's length constraint on input and output).
    payloadBytes: figure('sfnPayload') * 1024,
  };
}

export const EXECUTION_LIMITS: ExecutionLimits = limitsFromQuotaFile();

/**
 * An AWS limit the execution broke. Neither Retry nor Catch (States.ALL included) sees it: the engine skips
 * errors marked not retryable and not catchable, and AWS does not let a definition catch these either.
 */
export class ExecutionLimitError extends Error {
  readonly isRetryable = false;
  readonly isCatchable = false;
  constructor(
    name: 'States.Runtime' | 'States.Timeout' | 'States.DataLimitExceeded',
    message: string,
    /** How AWS reports the execution: a history or payload limit fails it, its age times it out. */
    readonly status: 'FAILED' | 'TIMED_OUT',
  ) {
    super(message);
    this.name = name;
  }
}

/** How a run is held to EXECUTION_LIMITS: the limits and the execution's clock (its loan's, in virtual mode). */
export interface ExecutionGuard {
  limits: ExecutionLimits;
  now: () => number;
}

/**
 * AWS history events per event of the engine, by kind of state. AWS writes (HistoryEvent types, Step Functions
 * API reference):
 * - the execution: ExecutionStarted, then ExecutionSucceeded / ExecutionFailed / ExecutionTimedOut / ExecutionAborted;
 * - a Task: TaskStateEntered, TaskScheduled (LambdaFunctionScheduled for a Lambda ARN), TaskStarted, then
 *   TaskSucceeded / TaskFailed / TaskTimedOut, and TaskStateExited; a `.waitForTaskToken` task adds TaskSubmitted;
 *   each retry schedules and starts it again (and submits it again);
 * - Choice, Pass, Wait, Succeed: ...StateEntered and ...StateExited; Fail: FailStateEntered only;
 * - Map and Parallel: ...StateEntered, ...StateStarted, ...StateSucceeded, ...StateExited (their iterations'
 *   events are counted one for one, roughly).
 * One step of the follow-up definition is AdvanceLoan 5 + ChooseNextStep 2 + the wait 6 = 13 events. Where AWS
 * does not say (a Task whose error a Catch takes: is TaskStateExited written?) the count takes the larger figure.
 */
export const HISTORY_EVENTS = {
  execution: { started: 1, ended: 1 },
  task: { entered: 3, waitForTaskToken: 1, exited: 2, failed: 1, retried: 2, exitedAfterCatch: 1 },
  flow: { entered: 1, exited: 1 },
  fail: { entered: 1, exited: 0 },
  mapOrParallel: { entered: 2, exited: 2 },
} as const;

/** History events of each engine event for one state. */
interface StateEventCosts {
  entered: number;
  exited: number;
  failed: number;
  retried: number;
  /** Added at a StateCaught: its StateExited then counts only TaskStateExited. */
  caught: number;
}

function eventCostsOf(state: { Type?: string; Resource?: unknown }): StateEventCosts {
  const t = HISTORY_EVENTS.task;
  switch (state.Type) {
    case 'Task': {
      const submitted = typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken') ? t.waitForTaskToken : 0;
      return { entered: t.entered + submitted, exited: t.exited, failed: t.failed, retried: t.retried + submitted, caught: t.exitedAfterCatch - t.exited };
    }
    case 'Fail':
      return { entered: HISTORY_EVENTS.fail.entered, exited: 0, failed: 0, retried: 0, caught: 0 };
    case 'Map':
    case 'Parallel':
      return { entered: HISTORY_EVENTS.mapOrParallel.entered, exited: HISTORY_EVENTS.mapOrParallel.exited, failed: 0, retried: 0, caught: 0 };
    default:
      return { entered: HISTORY_EVENTS.flow.entered, exited: HISTORY_EVENTS.flow.exited, failed: 0, retried: 0, caught: 0 };
  }
}

const UNKNOWN_STATE: StateEventCosts = { entered: 1, exited: 1, failed: 0, retried: 0, caught: 0 };

/** UTF-8 bytes of a JSON value, measured only as far as the limit needs (a plain length check when it is ASCII-small). */
function exceedsPayload(value: unknown, limit: number): number | undefined {
  const text = JSON.stringify(value);
  if (text === undefined) return undefined;
  // A UTF-16 code unit is at most 3 bytes of UTF-8: a short text cannot be over the limit.
  if (text.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > limit ? bytes : undefined;
}

const COUNTER = 'localTransitionCounter';
const GUARD = 'localExecutionGuard';

type EngineEvent = { type: string; state?: { name: string; type: string; input?: unknown; output?: unknown } };
type EngineExecute = (
  input: unknown,
  options: { eventLogger: { dispatch(event: EngineEvent): void }; runOptions?: Record<string, unknown> },
  cleanup: () => void,
) => Promise<unknown>;

/**
 * Makes `machine` count each run's state transitions into the counter given as `run(input, withCounter(...))`,
 * and keep no other event log. With a counter that has a `historyEvents` field, it also counts the events AWS
 * would write to the run's history (HISTORY_EVENTS); with a guard, it fails the run as AWS would past
 * EXECUTION_LIMITS: more history events than allowed (States.Runtime), older than allowed on the guard's clock
 * (States.Timeout, TIMED_OUT), a state output larger than allowed (States.DataLimitExceeded). The error is thrown
 * from the event logger, inside the engine's state loop, marked so no Retry or Catch takes it.
 *
 * aws-local-stepfunctions logs every event of a run (ExecutionStarted, StateEntered, StateExited, ...) into a
 * queue, announces each with a DOM Event on an EventTarget and leaves the queue to an async generator
 * (`run.eventLogs`); reading that generator to count StateEntered cost an allocation, an event dispatch and a
 * promise per event. The run's logger is handed to StateMachine#execute (private in the package's types;
 * 3.0.0 is the only version published), so the hook goes there: the logger's dispatch counts StateEntered,
 * exactly the events the generator yielded, and drops the rest. Nothing here reads `eventLogs`.
 */
export function countTransitions(machine: StateMachine): void {
  const engine = machine as unknown as { execute?: EngineExecute };
  const execute = engine.execute;
  if (typeof execute !== 'function') throw new Error('aws-local-stepfunctions changed: StateMachine#execute is gone (see countTransitions)');
  let costs: Map<string, StateEventCosts> | undefined;
  const costsOf = (): Map<string, StateEventCosts> => {
    if (costs) return costs;
    const states = (machine as unknown as { definition?: { States?: Record<string, { Type?: string; Resource?: unknown }> } }).definition?.States;
    if (!states) throw new Error('aws-local-stepfunctions changed: StateMachine#definition is gone (see countTransitions)');
    costs = new Map(Object.entries(states).map(([name, state]) => [name, eventCostsOf(state)]));
    return costs;
  };
  engine.execute = function (this: unknown, input, options, cleanup) {
    const counter = options.runOptions?.[COUNTER] as TransitionCounter | undefined;
    const guard = options.runOptions?.[GUARD] as ExecutionGuard | undefined;
    if (counter && counter.historyEvents === undefined && !guard) {
      if (typeof options.eventLogger?.dispatch !== 'function')
        throw new Error('aws-local-stepfunctions changed: the run has no event logger (see countTransitions)');
      options.eventLogger.dispatch = (event) => {
        if (event.type === 'StateEntered') counter.transitions += 1;
      };
    } else if (counter || guard) {
      if (typeof options.eventLogger?.dispatch !== 'function')
        throw new Error('aws-local-stepfunctions changed: the run has no event logger (see countTransitions)');
      options.eventLogger.dispatch = historyDispatch(costsOf(), counter, guard);
    }
    return execute.call(this, input, options, cleanup);
  };
}

/** The event logger of a run that counts history events and, with a guard, enforces the limits. */
function historyDispatch(
  costs: Map<string, StateEventCosts>,
  counter: TransitionCounter | undefined,
  guard: ExecutionGuard | undefined,
): (event: EngineEvent) => void {
  const startedAt = guard?.now() ?? 0;
  const limits = guard?.limits;
  let events = 0;
  let broken = false;
  const fail = (error: ExecutionLimitError): never => {
    broken = true;
    throw error;
  };
  return (event) => {
    let added: number;
    const state = event.state;
    switch (event.type) {
      case 'StateEntered':
        if (counter) counter.transitions += 1;
        added = (costs.get(state!.name) ?? UNKNOWN_STATE).entered;
        break;
      case 'StateExited':
        added = (costs.get(state!.name) ?? UNKNOWN_STATE).exited;
        break;
      case 'StateFailed':
        added = (costs.get(state!.name) ?? UNKNOWN_STATE).failed;
        break;
      case 'StateRetried':
        added = (costs.get(state!.name) ?? UNKNOWN_STATE).retried;
        break;
      case 'StateCaught':
        added = (costs.get(state!.name) ?? UNKNOWN_STATE).caught;
        break;
      default:
        // ExecutionStarted, the execution's end, a Map iteration or Parallel branch event.
        added = 1;
    }
    events += added;
    if (counter && counter.historyEvents !== undefined) counter.historyEvents += added;
    // Nothing is thrown once the run has failed, nor at its start or end (outside the engine's state loop).
    if (!limits || broken || event.type.startsWith('Execution')) return;
    if (events > limits.historyEvents) {
      fail(
        new ExecutionLimitError(
          'States.Runtime',
          `The execution's history reached ${events} events, past Step Functions' limit of ${limits.historyEvents} for one execution (at ${event.type} of ${state?.name ?? 'the execution'}). Hand over to a new execution sooner.`,
          'FAILED',
        ),
      );
    }
    const age = guard!.now() - startedAt;
    if (age >= limits.maxAgeMs) {
      fail(
        new ExecutionLimitError(
          'States.Timeout',
          `The execution is ${(age / 86_400_000).toFixed(1)} days old: Step Functions ends a Standard execution at ${limits.maxAgeMs / 86_400_000} days (at ${event.type} of ${state?.name ?? 'the execution'}).`,
          'TIMED_OUT',
        ),
      );
    }
    // Only a state that made new data is measured: a Choice or Succeed passes its input on as it is.
    if (event.type === 'StateExited' && state!.output !== state!.input) {
      const bytes = exceedsPayload(state!.output, limits.payloadBytes);
      if (bytes !== undefined)
        fail(
          new ExecutionLimitError(
            'States.DataLimitExceeded',
            `The output of ${state!.name} is ${bytes} bytes, past Step Functions' limit of ${limits.payloadBytes} bytes for a state's input or output.`,
            'FAILED',
          ),
        );
    }
  };
}

/**
 * Run options of `machine.run` that count into `counter` (on a machine prepared with countTransitions), and with
 * a guard, hold the run to AWS's limits.
 */
export function withCounter<T extends object>(options: T, counter: TransitionCounter, guard?: ExecutionGuard): T {
  return guard ? { ...options, [COUNTER]: counter, [GUARD]: guard } : { ...options, [COUNTER]: counter };
}

/**
 * Runs the synthesized definition with aws-local-stepfunctions, routing every Task to the same handlers the
 * Lambdas use, and emulating what the engine lacks: task tokens, StartExecution for the hand-over, and
 * (in virtual mode) the passage of time on each loan's own clock.
 */
export class LocalStepFunctions implements WorkflowControl {
  readonly tokens = new TaskTokenRegistry();
  readonly executions = new Map<string, LocalExecution>();
  private readonly machine: StateMachine;
  private parkedCount = 0;
  /** Executions still RUNNING, kept as they start and end (counting them on every wait was quadratic). */
  private runningCount = 0;
  private horizonWaiters = new Set<() => void>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    definition: StateMachineDefinition,
    private readonly handlers: TaskHandlers,
    private mode: TimeMode,
    /** AWS's limits on one execution, enforced as AWS would (tests may lower them). */
    private readonly limits: ExecutionLimits = EXECUTION_LIMITS,
  ) {
    const local = forLocalEngine(definition, mode.kind);
    // The engine's validator takes about 100 ms; a simulation builds an engine for every batch of loans.
    const text = JSON.stringify(local);
    this.machine = new StateMachine(local, { validationOptions: VALIDATED.has(text) ? { noValidate: true } : { checkArn: false, checkPaths: false } });
    VALIDATED.add(text);
    countTransitions(this.machine);
  }

  get running(): number {
    return this.runningCount;
  }

  get totalTransitions(): number {
    let sum = 0;
    for (const e of this.executions.values()) sum += e.transitions;
    return sum;
  }

  async startExecution(request: { name: string; input: object }): Promise<{ executionArn: string; alreadyRunning: boolean }> {
    const existing = this.executions.get(request.name);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(request.input)) {
        return { executionArn: existing.executionArn, alreadyRunning: true };
      }
      throw new ExecutionAlreadyExistsError(`Execution Already Exists: '${existing.executionArn}'`);
    }
    const inputBytes = exceedsPayload(request.input, this.limits.payloadBytes);
    if (inputBytes !== undefined)
      throw new ExecutionInputTooLargeError(
        `The input of ${request.name} is ${inputBytes} bytes, past Step Functions' limit of ${this.limits.payloadBytes} bytes.`,
      );
    const executionArn = `arn:aws:states:local:000000000000:execution:loan-followup:${request.name}`;
    const now = this.clockOf(request.input);
    const execution: LocalExecution = {
      name: request.name,
      executionArn,
      input: request.input,
      status: 'RUNNING',
      transitions: 0,
      historyEvents: 0,
      startedAt: now(),
      abort: () => undefined,
      done: Promise.resolve(),
    };
    const run = this.machine.run(
      request.input as never,
      withCounter(
        {
          overrides: { taskResourceLocalHandlers: this.taskOverrides(request.name) as never },
          context: {
            Execution: { Id: executionArn, Name: request.name, Input: request.input as never },
            StateMachine: { Id: STATE_MACHINE_ARN, Name: 'loan-followup' },
            // The engine never sets $$.Task.Token; the wait states' override swaps this for a token it issued.
            Task: { Token: 'issued-by-the-local-override' },
          },
        },
        execution,
        { limits: this.limits, now },
      ),
    );
    execution.abort = () => run.abort();
    this.executions.set(request.name, execution);
    this.runningCount += 1;
    execution.done = run.result
      .then(
        (output) => {
          this.runningCount -= 1;
          execution.status = 'SUCCEEDED';
          execution.output = output;
        },
        (error: Error) => {
          this.runningCount -= 1;
          const limit = error.cause instanceof ExecutionLimitError ? error.cause : undefined;
          execution.status = limit ? limit.status : error.name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
          execution.error = limit ? `${limit.name}: ${limit.message}` : `${error.name}: ${error.message}`;
        },
      )
      .then(() => {
        this.tokens.cancelAll(request.name);
        this.checkIdle();
      });
    return { executionArn, alreadyRunning: false };
  }

  async sendTaskSuccess(token: string, output: object): Promise<'DELIVERED' | 'STALE'> {
    try {
      this.tokens.sendTaskSuccess(token, output);
      return 'DELIVERED';
    } catch (error) {
      if ((error as Error).name === 'TaskTimedOut' || (error as Error).name === 'InvalidToken') return 'STALE';
      throw error;
    }
  }

  /** Lets parked loans run on to a later horizon (virtual mode). */
  extendHorizon(until: Date): void {
    if (this.mode.kind !== 'virtual') return;
    this.mode = { ...this.mode, until };
    const waiters = [...this.horizonWaiters];
    this.horizonWaiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves when every running execution waits beyond the horizon, or has ended. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }

  async stop(): Promise<void> {
    const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
    for (const e of running) e.abort();
    await Promise.all(running.map((e) => e.done));
  }

  /** The clock an execution's age is read on: its loan's in virtual mode, the wall clock otherwise. */
  private clockOf(input: object): () => number {
    const loanId = (input as { loanId?: unknown }).loanId;
    if (this.mode.kind === 'virtual' && typeof loanId === 'string') {
      const clocks = this.mode.clocks;
      return () => clocks.now(loanId);
    }
    return Date.now;
  }

  private checkIdle(): void {
    if (this.parkedCount < this.running) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private taskOverrides(executionName: string): Record<string, TaskFn> {
    const overrides: Record<string, TaskFn> = {
      [STATE.AdvanceLoan]: (input) => this.handlers.advanceLoan(input),
      [STATE.FlagForOperations]: (input) => this.handlers.flagForOperations(input),
      [STATE.ContinueAsNew]: (input) => this.continueAsNew(input as { Name: string; Input: string | object }),
      [STATE.CheckNextGeneration]: (input) => this.describeExecution(input as { ExecutionArn: string }),
    };
    // lambda:invoke.waitForTaskToken hands the task { FunctionName, Payload }.
    for (const name of WAIT_STATES)
      overrides[name] = (input) => this.awaitEvent(executionName, name, ((input as { Payload?: AwaitEventInput }).Payload ?? input) as AwaitEventInput);
    return overrides;
  }

  private async continueAsNew(input: { Name: string; Input: string | object }): Promise<unknown> {
    const next = typeof input.Input === 'string' ? JSON.parse(input.Input) : input.Input;
    try {
      const started = await this.startExecution({ name: input.Name, input: next });
      return { ExecutionArn: started.executionArn, StartDate: new Date().toISOString() };
    } catch (error) {
      // The SDK integration's error names: Sfn.<the API's exception>.
      if (error instanceof ExecutionAlreadyExistsError || error instanceof ExecutionInputTooLargeError) {
        const named = new Error(error.message);
        named.name = error instanceof ExecutionAlreadyExistsError ? 'Sfn.ExecutionAlreadyExistsException' : `Sfn.${error.name}`;
        throw named;
      }
      throw error;
    }
  }

  /** DescribeExecution as the SDK integration answers it (the fields the definition reads). */
  private async describeExecution(input: { ExecutionArn: string }): Promise<unknown> {
    const name = input.ExecutionArn.slice(input.ExecutionArn.lastIndexOf(':') + 1);
    const execution = this.executions.get(name);
    if (!execution || execution.executionArn !== input.ExecutionArn) {
      const error = new Error(`Execution Does Not Exist: '${input.ExecutionArn}'`);
      error.name = 'Sfn.ExecutionDoesNotExistException';
      throw error;
    }
    return { ExecutionArn: execution.executionArn, Name: execution.name, Status: execution.status, StartDate: new Date(execution.startedAt).toISOString() };
  }

  private async awaitEvent(executionName: string, stateName: string, input: AwaitEventInput): Promise<unknown> {
    const { token, settled } = this.tokens.issue({ executionName, stateName });
    let isSettled = false;
    const observed = settled.then(
      () => void (isSettled = true),
      () => void (isSettled = true),
    );
    await this.handlers.awaitEvent({ ...input, taskToken: token });
    if (this.mode.kind === 'virtual') {
      const startedAt = this.executions.get(executionName)?.startedAt;
      const deadline = startedAt === undefined ? Infinity : startedAt + this.limits.maxAgeMs;
      const expired = await this.passVirtualTime(input, token, () => isSettled, observed, deadline);
      // AWS ends the execution at its first anniversary, wherever it waits: no Retry or Catch of the wait sees it.
      if (expired)
        throw new ExecutionLimitError(
          'States.Timeout',
          `The execution reached ${this.limits.maxAgeMs / 86_400_000} days on its loan's clock while ${stateName} waited for ${input.wakeAt ?? `${input.waitSeconds} s`}: Step Functions ends a Standard execution at that age.`,
          'TIMED_OUT',
        );
    }
    return settled;
  }

  /**
   * Moves the loan's clock to its next event or to its wake-up time, whichever comes first; to the execution's
   * deadline (its maximum age) when that comes before both, and then says so (true).
   */
  private async passVirtualTime(
    input: AwaitEventInput,
    token: string,
    isSettled: () => boolean,
    settledSignal: Promise<void>,
    deadline: number,
  ): Promise<boolean> {
    while (!isSettled()) {
      if (this.mode.kind !== 'virtual') return false;
      const { clocks, world, until } = this.mode;
      const now = clocks.now(input.loanId);
      const wakeAt = input.wakeAt ? Date.parse(input.wakeAt) : now + input.waitSeconds * 1000;
      const limit = Math.min(wakeAt, until.getTime(), deadline);
      // The world's own reads are no function's calls (the least-privilege test charges calls to functions).
      const next = world ? await outsideFunction(() => world.nextEvent(input.loanId, new Date(now), new Date(limit))) : undefined;
      if (isSettled()) return false;
      if (next) {
        clocks.advanceTo(input.loanId, next.at.getTime());
        await outsideFunction(next.deliver);
        await Promise.resolve();
        continue;
      }
      if (deadline <= wakeAt && deadline <= until.getTime()) {
        clocks.advanceTo(input.loanId, deadline);
        this.tokens.timeOut(token);
        return true;
      }
      if (wakeAt <= until.getTime()) {
        clocks.advanceTo(input.loanId, wakeAt);
        this.tokens.timeOut(token);
        return false;
      }
      await this.park(settledSignal);
    }
    return false;
  }

  private async park(settledSignal: Promise<void>): Promise<void> {
    this.parkedCount += 1;
    let wake!: () => void;
    const horizon = new Promise<void>((resolve) => (wake = resolve));
    this.horizonWaiters.add(wake);
    this.checkIdle();
    await Promise.race([horizon, settledSignal]);
    this.horizonWaiters.delete(wake);
    this.parkedCount -= 1;
  }
}
