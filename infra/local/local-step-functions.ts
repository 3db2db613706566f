import './node20-polyfills.js';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { WorkflowControl } from '../../functions/ports.js';
import { STATE, WAIT_STATES } from '../../workflows/state-names.js';
import type { AwaitEventInput } from '../../workflows/execution-contract.js';
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
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: unknown;
  error?: string;
  transitions: number;
  done: Promise<void>;
  abort: () => void;
}

export class ExecutionAlreadyExistsError extends Error {
  override name = 'ExecutionAlreadyExists';
}

const STATE_MACHINE_ARN = 'arn:aws:states:local:000000000000:stateMachine:loan-followup';

/** Definitions (as the engine gets them) the engine has validated in this thread. */
const VALIDATED = new Set<string>();

/** Where a run's state transitions are counted (see countTransitions). */
export interface TransitionCounter {
  transitions: number;
}

const COUNTER = 'localTransitionCounter';

type EngineEvent = { type: string };
type EngineExecute = (input: unknown, options: { eventLogger: { dispatch(event: EngineEvent): void }; runOptions?: Record<string, unknown> }, cleanup: () => void) => Promise<unknown>;

/**
 * Makes `machine` count each run's state transitions into the counter given as `run(input, withCounter(...))`,
 * and keep no other event log.
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
  engine.execute = function (this: unknown, input, options, cleanup) {
    const counter = options.runOptions?.[COUNTER] as TransitionCounter | undefined;
    if (counter) {
      if (typeof options.eventLogger?.dispatch !== 'function') throw new Error('aws-local-stepfunctions changed: the run has no event logger (see countTransitions)');
      options.eventLogger.dispatch = (event) => {
        if (event.type === 'StateEntered') counter.transitions += 1;
      };
    }
    return execute.call(this, input, options, cleanup);
  };
}

/** Run options of `machine.run` that count into `counter` (on a machine prepared with countTransitions). */
export function withCounter<T extends object>(options: T, counter: TransitionCounter): T {
  return { ...options, [COUNTER]: counter };
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
    const executionArn = `arn:aws:states:local:000000000000:execution:loan-followup:${request.name}`;
    const execution: LocalExecution = {
      name: request.name,
      executionArn,
      input: request.input,
      status: 'RUNNING',
      transitions: 0,
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
      ),
    );
    execution.abort = () => run.abort();
    this.executions.set(request.name, execution);
    this.runningCount += 1;
    execution.done = run.result.then(
      (output) => {
        this.runningCount -= 1;
        execution.status = 'SUCCEEDED';
        execution.output = output;
      },
      (error: Error) => {
        this.runningCount -= 1;
        execution.status = error.name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
        execution.error = `${error.name}: ${error.message}`;
      },
    ).then(() => {
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
    };
    // lambda:invoke.waitForTaskToken hands the task { FunctionName, Payload }.
    for (const name of WAIT_STATES) overrides[name] = (input) => this.awaitEvent(executionName, name, ((input as { Payload?: AwaitEventInput }).Payload ?? input) as AwaitEventInput);
    return overrides;
  }

  private async continueAsNew(input: { Name: string; Input: string | object }): Promise<unknown> {
    const next = typeof input.Input === 'string' ? JSON.parse(input.Input) : input.Input;
    try {
      const started = await this.startExecution({ name: input.Name, input: next });
      return { ExecutionArn: started.executionArn, StartDate: new Date().toISOString() };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExistsError) {
        const named = new Error(error.message);
        named.name = 'Sfn.ExecutionAlreadyExistsException';
        throw named;
      }
      throw error;
    }
  }

  private async awaitEvent(executionName: string, stateName: string, input: AwaitEventInput): Promise<unknown> {
    const { token, settled } = this.tokens.issue({ executionName, stateName });
    let isSettled = false;
    const observed = settled.then(
      () => void (isSettled = true),
      () => void (isSettled = true),
    );
    await this.handlers.awaitEvent({ ...input, taskToken: token });
    if (this.mode.kind === 'virtual') await this.passVirtualTime(input, token, () => isSettled, observed);
    return settled;
  }

  /** Moves the loan's clock to its next event or to its wake-up time, whichever comes first. */
  private async passVirtualTime(input: AwaitEventInput, token: string, isSettled: () => boolean, settledSignal: Promise<void>): Promise<void> {
    while (!isSettled()) {
      if (this.mode.kind !== 'virtual') return;
      const { clocks, world, until } = this.mode;
      const now = clocks.now(input.loanId);
      const wakeAt = input.wakeAt ? Date.parse(input.wakeAt) : now + input.waitSeconds * 1000;
      const limit = Math.min(wakeAt, until.getTime());
      const next = world ? await world.nextEvent(input.loanId, new Date(now), new Date(limit)) : undefined;
      if (isSettled()) return;
      if (next) {
        clocks.advanceTo(input.loanId, next.at.getTime());
        await next.deliver();
        await Promise.resolve();
        continue;
      }
      if (wakeAt <= until.getTime()) {
        clocks.advanceTo(input.loanId, wakeAt);
        this.tokens.timeOut(token);
        return;
      }
      await this.park(settledSignal);
    }
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
