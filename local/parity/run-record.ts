// What one execution of a story did on an engine: the records the parity check compares.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A Task's answer: the result its handler returned, or the error it threw. */
export type TaskOutcome = { result: Json } | { error: string; cause: string };

/** One invocation of a Task state (each retry is one more): the input it got, after Parameters. */
export interface TaskCall {
  state: string;
  input: Json;
}

export interface RecordedCall extends TaskCall {
  outcome: TaskOutcome;
}

/** An error raised in a state (a task's error or timeout included, whether a Retry or Catch then takes it). */
export interface StateError {
  state: string;
  error: string;
  cause: string;
}

/** An execution as an engine ran it. */
export interface EngineRun {
  story: string;
  status: string;
  error?: string | null;
  cause?: string | null;
  /** The states entered, in order. */
  statesEntered: string[];
  tasks: TaskCall[];
  /** In the order raised; a Fail state's error is the execution's (`error`), not here. */
  errors: StateError[];
}

/** A run on the local engine, with the input it started from and every Task's outcome, for the replay. */
export interface LocalRecording extends EngineRun {
  input: Json;
  tasks: RecordedCall[];
}
