// State names are a contract: the CDK definition, the local engine's task overrides and the tests all use
// these constants, and a test checks both sides agree.
export const STATE = {
  AdvanceLoan: 'AdvanceLoan',
  ChooseNextStep: 'ChooseNextStep',
  AwaitEvent: 'AwaitEvent',
  ContinueAsNew: 'ContinueAsNew',
  HandedOver: 'HandedOver',
  LoanClosed: 'LoanClosed',
  FlagForOperations: 'FlagForOperations',
  ExecutionFailed: 'ExecutionFailed',
} as const;
export type StateName = (typeof STATE)[keyof typeof STATE];

/** Task states whose Resource the local engine replaces with in-process handlers. */
export const TASK_STATES = [STATE.AdvanceLoan, STATE.AwaitEvent, STATE.ContinueAsNew, STATE.FlagForOperations] as const;
