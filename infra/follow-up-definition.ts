import { Duration } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { PHASES, type Phase } from '../workflows/domain/types.js';
import { DEFAULT_WAIT_STATE, STATE, WAIT_STATE_OF_PHASE } from '../workflows/state-names.js';

/** The state machine's functions: concrete functions, so each task can be given the function's own timeout. */
export interface StateMachineTasks {
  advanceLoan: LambdaFunction;
  awaitEvent: LambdaFunction;
  flagForOperations: LambdaFunction;
}

/** What Lambda applies to a function created without a timeout. */
const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);

/**
 * A request-response Lambda task's TimeoutSeconds: the function's own configured timeout, read from the function
 * (infra/constructs/follow-up-functions.ts sets it), so the two cannot drift apart. Without it Step Functions
 * would wait for the function with no limit of its own, and the local engine would apply its 60 s default.
 */
export function taskTimeoutOf(fn: LambdaFunction): sfn.Timeout {
  return sfn.Timeout.duration(fn.timeout ?? LAMBDA_DEFAULT_TIMEOUT);
}

/** Errors our handlers throw for conditions that clear up on their own (functions/errors.ts). */
export const TRANSIENT_HANDLER_ERRORS = ['ConcurrentUpdateError', 'TransientDependencyError'];

const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
];

const lambdaServiceRetry: sfn.RetryProps = { errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6 };

/**
 * A function that timed out or died (Lambda reports `Sandbox.Timedout`, or `Lambda.Unknown` for out of memory
 * and older timeouts). The task's TimeoutSeconds equals the function's timeout and Step Functions starts its
 * clock first, so a function that runs out of time usually surfaces as the task's `States.Timeout`: retried
 * alike. AdvanceLoan is safe to run again: its sends are claimed and reconciled by key.
 */
export const LAMBDA_CRASH_ERRORS = ['Sandbox.Timedout', 'Lambda.Unknown', sfn.Errors.TIMEOUT];

const lambdaCrashRetry: sfn.RetryProps = { errors: LAMBDA_CRASH_ERRORS, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 3 };

/**
 * A send an earlier attempt may have made, whose receipt has not arrived yet (SendInDoubtError). The waits add
 * up to 63 minutes, longer than the longest receipt window (RECEIPT_WINDOW_SECONDS, 30 minutes for SMS), so the
 * last attempt always gets a definite answer.
 */
export const sendInDoubtRetry: sfn.RetryProps = { errors: ['SendInDoubtError'], interval: Duration.seconds(60), backoffRate: 2, maxAttempts: 6 };

/**
 * One Standard execution per loan and generation: AdvanceLoan decides, the wait state of the loan's phase
 * (FirstContact, EarlyChecks, Servicing, Collections, Legal) parks it until the next step is due or an event arrives, ContinueAsNew hands over to a fresh execution before the history grows large.
 * JSONPath only: the local engine ignores JSONata and fails on variables.
 *
 * @param stateMachineArn this machine's own ARN, built from its fixed name so the definition does not
 *   reference the machine it belongs to (a circular dependency).
 * @param executionArnPrefix the ARN of its executions without the execution's name (`...:execution:<machine>`).
 */
export function buildFollowUpDefinition(scope: Construct, fns: StateMachineTasks, stateMachineArn: string, executionArnPrefix: string): sfn.DefinitionBody {
  const executionFailed = new sfn.Fail(scope, STATE.ExecutionFailed, { error: 'FollowUpFailed', cause: "see the loan's timeline" });

  const flagForOperations = new tasks.LambdaInvoke(scope, STATE.FlagForOperations, {
    lambdaFunction: fns.flagForOperations,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: taskTimeoutOf(fns.flagForOperations),
    resultPath: sfn.JsonPath.DISCARD,
  })
    .addRetry(lambdaServiceRetry)
    .addRetry({ errors: TRANSIENT_HANDLER_ERRORS, interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 5 })
    .next(executionFailed);

  const toOperations = { resultPath: '$.failure' };

  // No payload: with payloadResponseOnly the Lambda receives the whole state, including $.event when set.
  const advanceLoan = new tasks.LambdaInvoke(scope, STATE.AdvanceLoan, {
    lambdaFunction: fns.advanceLoan,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: taskTimeoutOf(fns.advanceLoan),
  })
    .addRetry(lambdaServiceRetry)
    .addRetry(lambdaCrashRetry)
    .addRetry({ errors: TRANSIENT_HANDLER_ERRORS, interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 5 })
    .addRetry(sendInDoubtRetry)
    .addCatch(flagForOperations, { errors: [sfn.Errors.ALL], ...toOperations });

  // One wait per phase, all alike: the state's name tells where the loan is.
  const waits = Object.fromEntries(
    PHASES.map((phase) => [
      phase,
      new tasks.LambdaInvoke(scope, WAIT_STATE_OF_PHASE[phase], {
        lambdaFunction: fns.awaitEvent,
        comment: `The loan waits in its ${phase} phase until its next step is due or an event arrives`,
        integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
        payload: sfn.TaskInput.fromObject({
          loanId: sfn.JsonPath.stringAt('$.loanId'),
          generation: sfn.JsonPath.numberAt('$.generation'),
          wakeAt: sfn.JsonPath.stringAt('$.wakeAt'),
          waitSeconds: sfn.JsonPath.numberAt('$.waitSeconds'),
          taskToken: sfn.JsonPath.taskToken,
        }),
        // The wait itself: the task "times out" when the next step is due. AwaitEvent returns at once (it
        // stores the token); its own timeout bounds that call in Lambda, not this wait.
        taskTimeout: sfn.Timeout.at('$.waitSeconds'),
        resultPath: '$.event',
        retryOnServiceExceptions: false,
      })
        .addRetry(lambdaServiceRetry)
        // Storing the token can meet a throttled or restarting table; a new attempt issues a new token, which
        // replaces the old one (setWaitToken), so the retry is safe.
        .addRetry({ errors: TRANSIENT_HANDLER_ERRORS, interval: Duration.seconds(1), backoffRate: 2, maxAttempts: 5 })
        .addCatch(advanceLoan, { errors: [sfn.Errors.TIMEOUT], resultPath: sfn.JsonPath.DISCARD })
        .addCatch(flagForOperations, { errors: [sfn.Errors.ALL], ...toOperations }),
    ]),
  ) as Record<Phase, tasks.LambdaInvoke>;

  const handedOver = new sfn.Succeed(scope, STATE.HandedOver);

  const continueAsNew = new tasks.CallAwsService(scope, STATE.ContinueAsNew, {
    service: 'sfn',
    action: 'startExecution',
    iamAction: 'states:StartExecution',
    iamResources: [stateMachineArn],
    parameters: {
      StateMachineArn: sfn.JsonPath.stringAt('$$.StateMachine.Id'),
      Name: sfn.JsonPath.format('{}-g{}', sfn.JsonPath.stringAt('$.next.loanId'), sfn.JsonPath.stringAt('$.next.generation')),
      // StartExecution (the SDK integration) takes the input as a string: AdvanceLoan hands the next
      // generation's input over as an object ($.next) and States.JsonToString serializes it. No JSON is written
      // by hand (escaped braces in States.Format are read differently by different interpreters).
      Input: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt('$.next')),
    },
    resultPath: sfn.JsonPath.DISCARD,
  });

  // StartExecution with a name already taken succeeds for a running execution with the same input and fails
  // with ExecutionAlreadyExists for one that has ended: look at how it ended.
  const checkNextGeneration = new tasks.CallAwsService(scope, STATE.CheckNextGeneration, {
    service: 'sfn',
    action: 'describeExecution',
    iamAction: 'states:DescribeExecution',
    iamResources: [`${executionArnPrefix}:*`],
    parameters: {
      ExecutionArn: sfn.JsonPath.format(`${executionArnPrefix}:{}-g{}`, sfn.JsonPath.stringAt('$.next.loanId'), sfn.JsonPath.stringAt('$.next.generation')),
    },
    resultSelector: { status: sfn.JsonPath.stringAt('$.Status') },
    resultPath: '$.nextExecution',
  })
    .addRetry({ errors: ['Sfn.SfnException', 'States.TaskFailed'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 4 })
    .addCatch(flagForOperations, { errors: [sfn.Errors.ALL], ...toOperations });

  // The generation after the ended one, from its first step: the same input nextExecutionInput builds.
  const skipEndedGeneration = new sfn.Pass(scope, STATE.SkipEndedGeneration, {
    parameters: {
      loanId: sfn.JsonPath.stringAt('$.next.loanId'),
      generation: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.next.generation'), 1),
      iteration: 0,
    },
    resultPath: '$.next',
  }).next(continueAsNew);

  const nextGenerationLive = new sfn.Choice(scope, STATE.NextGenerationLive)
    .when(
      sfn.Condition.or(sfn.Condition.stringEquals('$.nextExecution.status', 'RUNNING'), sfn.Condition.stringEquals('$.nextExecution.status', 'SUCCEEDED')),
      handedOver,
    )
    .otherwise(skipEndedGeneration);
  checkNextGeneration.next(nextGenerationLive);

  continueAsNew
    // Already taken: not worth retrying, look at it instead.
    .addRetry({ errors: ['Sfn.ExecutionAlreadyExistsException'], maxAttempts: 0 })
    .addRetry({ errors: ['Sfn.SfnException', 'States.TaskFailed'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 4 })
    .addCatch(checkNextGeneration, { errors: ['Sfn.ExecutionAlreadyExistsException'], resultPath: sfn.JsonPath.DISCARD })
    .addCatch(flagForOperations, { errors: [sfn.Errors.ALL], ...toOperations })
    .next(handedOver);

  const chooseNextStep = new sfn.Choice(scope, STATE.ChooseNextStep)
    .when(sfn.Condition.stringEquals('$.action', 'CLOSE'), new sfn.Succeed(scope, STATE.LoanClosed))
    .when(sfn.Condition.stringEquals('$.action', 'CONTINUE'), continueAsNew);
  for (const phase of PHASES) {
    if (WAIT_STATE_OF_PHASE[phase] === DEFAULT_WAIT_STATE) continue;
    // A missing path fails a Choice rule (States.Runtime): the phase is checked for first.
    chooseNextStep.when(sfn.Condition.and(sfn.Condition.isPresent('$.phase'), sfn.Condition.stringEquals('$.phase', phase)), waits[phase]);
  }
  chooseNextStep.otherwise(waits.Servicing);

  for (const phase of PHASES) waits[phase].next(advanceLoan);

  return sfn.DefinitionBody.fromChainable(advanceLoan.next(chooseNextStep));
}
