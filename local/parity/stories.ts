// The scripted stories of the parity check: together they take every path of the follow-up definition. A story
// gives, per Task state, the answers of its calls in order; the local engine's run of it is the recording.
import type { Phase } from '../../workflows/domain/types.js';
import type { AdvanceOutput, ExecutionInput, NextAction } from '../../workflows/execution-contract.js';
import { STATE } from '../../workflows/state-names.js';
import type { Json, TaskOutcome } from './run-record.js';

/** The answer of one call of a Task state, made from the input the call got. */
export type ScriptedCall = (input: Json) => TaskOutcome;

export interface Story {
  name: string;
  input: ExecutionInput;
  /** Per Task state, the answers of its calls in the order they happen (retries included). */
  script: Record<string, ScriptedCall[]>;
}

/** The placeholder execution ARN prefix of the synthesized definition (CheckNextGeneration builds it too). */
const EXECUTION_ARN_PREFIX = 'arn:aws:states:local:000000000000:execution:loan-followup:';
const STARTED = '2026-03-02T09:00:00.000Z';
const WAKE_AT = '2026-03-03T09:00:00.000Z';

const field = <T>(input: Json, name: string): T => (input as Record<string, Json>)[name] as T;

/**
 * moto's interpreter times a wait state out for real, on its TimeoutSecondsPath ($.waitSeconds): a wait the story
 * lets time out is short. A wait an event ends is long, so no slow thread start on moto can turn it into a timeout.
 */
const TIMES_OUT_SECONDS = 1;
const WOKEN_SECONDS = 300;

/** AdvanceLoan's answer: the next step of the loan in `input`. */
function advance(action: NextAction, phase?: Phase, waitSeconds = WOKEN_SECONDS): ScriptedCall {
  return (input) => {
    const loan = { loanId: field<string>(input, 'loanId'), generation: field<number>(input, 'generation') };
    const output: AdvanceOutput = {
      ...loan,
      iteration: field<number>(input, 'iteration') + 1,
      action,
      wakeAt: action === 'WAIT' ? WAKE_AT : null,
      waitSeconds,
      next: { loanId: loan.loanId, generation: loan.generation + 1, iteration: 0 },
      ...(phase ? { phase } : {}),
    };
    return { result: output as unknown as Json };
  };
}

const waitFor = (phase?: Phase) => advance('WAIT', phase);
const waitToTimeOut = (phase: Phase) => advance('WAIT', phase, TIMES_OUT_SECONDS);
const close = advance('CLOSE');
const handOver = advance('CONTINUE');

const fail =
  (error: string, cause: string): ScriptedCall =>
  () => ({ error, cause });

/** A wait nobody ends: the task token is never used and the state's timeout fires. */
const timesOut = fail('States.Timeout', 'The wait reached its TimeoutSecondsPath');
const wokenBy =
  (event: Json): ScriptedCall =>
  () => ({ result: event });

/** StartExecution's answer. */
const started: ScriptedCall = (input) => ({ result: { ExecutionArn: `${EXECUTION_ARN_PREFIX}${field<string>(input, 'Name')}`, StartDate: STARTED } });
const alreadyExists: ScriptedCall = (input) => ({
  error: 'Sfn.ExecutionAlreadyExistsException',
  cause: `Execution Already Exists: '${EXECUTION_ARN_PREFIX}${field<string>(input, 'Name')}'`,
});

/** DescribeExecution's answer, for an execution in `status`. */
const described =
  (status: string): ScriptedCall =>
  (input) => {
    const arn = field<string>(input, 'ExecutionArn');
    return { result: { ExecutionArn: arn, Name: arn.slice(EXECUTION_ARN_PREFIX.length), Status: status, StartDate: STARTED } };
  };

const flagged: ScriptedCall = () => ({ result: { flagged: true } });

const loan = (id: string, generation = 0): ExecutionInput => ({ loanId: id, generation, iteration: 0 });

export const STORIES: Story[] = [
  {
    name: 'waits-in-every-phase',
    input: loan('L-1'),
    script: {
      [STATE.AdvanceLoan]: [
        waitToTimeOut('FirstContact'),
        waitToTimeOut('EarlyChecks'),
        waitToTimeOut('Servicing'),
        waitToTimeOut('Collections'),
        waitToTimeOut('Legal'),
        close,
      ],
      [STATE.FirstContact]: [timesOut],
      [STATE.EarlyChecks]: [timesOut],
      [STATE.Servicing]: [timesOut],
      [STATE.Collections]: [timesOut],
      [STATE.Legal]: [timesOut],
    },
  },
  {
    name: 'woken-by-events',
    input: loan('L-2'),
    script: {
      // No phase: ChooseNextStep's Default parks the loan in Servicing.
      [STATE.AdvanceLoan]: [waitFor(), waitFor('Collections'), close],
      [STATE.Servicing]: [wokenBy({ reason: 'EVENT' })],
      [STATE.Collections]: [wokenBy({ reason: 'EVENT' })],
    },
  },
  {
    name: 'hands-over',
    input: loan('L-3', 2),
    script: { [STATE.AdvanceLoan]: [handOver], [STATE.ContinueAsNew]: [started] },
  },
  {
    name: 'next-generation-running',
    input: loan('L-4'),
    script: {
      [STATE.AdvanceLoan]: [handOver],
      [STATE.ContinueAsNew]: [alreadyExists],
      [STATE.CheckNextGeneration]: [described('RUNNING')],
    },
  },
  {
    name: 'next-generation-failed',
    input: loan('L-5'),
    script: {
      [STATE.AdvanceLoan]: [handOver],
      [STATE.ContinueAsNew]: [alreadyExists, started],
      [STATE.CheckNextGeneration]: [described('FAILED')],
    },
  },
  {
    name: 'transient-error-retried',
    input: loan('L-6'),
    script: {
      [STATE.AdvanceLoan]: [fail('ConcurrentUpdateError', 'the loan changed under the step'), waitFor('EarlyChecks'), close],
      [STATE.EarlyChecks]: [wokenBy({ reason: 'EVENT' })],
    },
  },
  {
    name: 'permanent-error-flagged',
    input: loan('L-7'),
    script: {
      [STATE.AdvanceLoan]: [fail('LoanNotFoundError', 'loanId: no loan L-7')],
      [STATE.FlagForOperations]: [flagged],
    },
  },
  {
    name: 'wait-fails-flagged',
    input: loan('L-8'),
    script: {
      [STATE.AdvanceLoan]: [waitFor('Legal')],
      [STATE.Legal]: [fail('AwaitEventError', 'the wait could not be registered')],
      [STATE.FlagForOperations]: [flagged],
    },
  },
];
