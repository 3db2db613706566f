// State names are a contract: the CDK definition, the local engine's task overrides and the tests all use
// these constants, and a test checks both sides agree.
import type { Phase } from './domain/types.js';

export const STATE = {
  AdvanceLoan: 'AdvanceLoan',
  ChooseNextStep: 'ChooseNextStep',
  // The wait of a loan, one state per phase of its life, so the execution graph, its history and the per-state
  // metrics show where each loan is. All five are the same task-token wait (the AwaitEvent function).
  FirstContact: 'FirstContact',
  EarlyChecks: 'EarlyChecks',
  Servicing: 'Servicing',
  Collections: 'Collections',
  Legal: 'Legal',
  ContinueAsNew: 'ContinueAsNew',
  // A next generation that already exists (a retried hand-over) is looked up: running or done, the loan is
  // handed over; ended otherwise (failed, timed out, aborted), the loan would be left with no execution, so the
  // generation after it is started.
  CheckNextGeneration: 'CheckNextGeneration',
  NextGenerationLive: 'NextGenerationLive',
  SkipEndedGeneration: 'SkipEndedGeneration',
  HandedOver: 'HandedOver',
  LoanClosed: 'LoanClosed',
  FlagForOperations: 'FlagForOperations',
  ExecutionFailed: 'ExecutionFailed',
} as const;
export type StateName = (typeof STATE)[keyof typeof STATE];

/** The wait state of each phase (the state is named after the phase). */
export const WAIT_STATE_OF_PHASE: Record<Phase, StateName> = {
  FirstContact: STATE.FirstContact,
  EarlyChecks: STATE.EarlyChecks,
  Servicing: STATE.Servicing,
  Collections: STATE.Collections,
  Legal: STATE.Legal,
};

/** Every wait state: each parks the execution on a task token until the next step is due or an event arrives. */
export const WAIT_STATES = Object.values(WAIT_STATE_OF_PHASE);

/** The wait a ChooseNextStep without a known phase falls back to. */
export const DEFAULT_WAIT_STATE = STATE.Servicing;

/** Task states whose Resource the local engine replaces with in-process handlers. */
export const TASK_STATES = [STATE.AdvanceLoan, ...WAIT_STATES, STATE.ContinueAsNew, STATE.CheckNextGeneration, STATE.FlagForOperations] as const;
