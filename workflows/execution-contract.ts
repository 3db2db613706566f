// The JSON that flows between states. Ids and times only: never personal data.
import type { Phase } from './domain/types.js';

/** Input of every execution, and what ContinueAsNew passes to the next generation. */
export interface ExecutionInput {
  loanId: string;
  generation: number;
  iteration: number;
}

export type NextAction = 'WAIT' | 'CONTINUE' | 'CLOSE';

/** Output of AdvanceLoan; becomes the whole state data. */
export interface AdvanceOutput extends ExecutionInput {
  action: NextAction;
  /** ISO instant of the next scheduled step (WAIT only). */
  wakeAt: string | null;
  /** Whole seconds until wakeAt, at least 1 (drives AwaitEvent's TimeoutSecondsPath). */
  waitSeconds: number;
  /**
   * The input of the next generation's execution, as an object: ContinueAsNew names the execution after its
   * loanId and generation and passes it to StartExecution with States.JsonToString (see nextExecutionInput).
   */
  next: ExecutionInput;
  /** The loan's phase: ChooseNextStep parks it in the wait state of that name (WAIT only). */
  phase?: Phase;
}

/** Parameters of the wait states (waitForTaskToken), all served by the AwaitEvent function. */
export interface AwaitEventInput {
  loanId: string;
  generation: number;
  wakeAt: string | null;
  waitSeconds: number;
  taskToken: string;
}

/** What SendTaskSuccess delivers to AwaitEvent; lands at $.event. */
export interface WakeSignal {
  reason: 'EVENT';
}

/** What ContinueAsNew starts the next generation with: the loan, the next generation, from its first step. */
export function nextExecutionInput(input: Pick<ExecutionInput, 'loanId' | 'generation'>): ExecutionInput {
  return { loanId: input.loanId, generation: input.generation + 1, iteration: 0 };
}

export function executionName(loanId: string, generation: number): string {
  return `${loanId}-g${generation}`;
}
