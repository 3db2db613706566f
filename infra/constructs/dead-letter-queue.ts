import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EncryptionKey } from './encryption-key.js';

export interface DeadLetterQueueProps {
  encryptionKey: EncryptionKey;
}

/** Execution statuses that end a loan's follow-up without it being finished; all three can be redriven. */
export const FAILED_EXECUTION_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * Everything that failed for good and needs a person, in one queue kept for 14 days (Step Functions' redrive
 * window):
 * - executions of the state machine that FAILED, TIMED_OUT or were ABORTED (the EventBridge status-change
 *   event, with `detail.executionArn` to redrive);
 * - asynchronous invocations of a function that failed after Lambda's retries (the original payload, with
 *   the `ErrorCode` and `ErrorMessage` attributes);
 * - team notifications SNS could not deliver to a subscriber.
 */
export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    const key = props.encryptionKey;
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // What is waiting in it outlives the stack: deleting the stack must not delete the failures nobody handled.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // EventBridge (failed executions) and SNS (undeliverable notifications) write to the queue themselves, so
    // both need the key to encrypt. EventBridge's KMS requests carry no aws:SourceAccount/SourceArn (AWS
    // documents these conditions as unsupported for it); the queue policy limits it to this stack's rule.
    key.allowService('EventBridgeToDeadLetterQueue', 'events.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt']);
    key.allowService('SnsToDeadLetterQueue', 'sns.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {
      StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
    });
    Validations.of(this.queue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is the dead-letter queue itself (of every function, every team subscription and of failed executions); a queue behind it would only hold the same messages again, and its depth alarm pages on the first one.',
    });
  }

  /** Sends the state machine's FAILED, TIMED_OUT and ABORTED status-change events to the queue. */
  captureFailedExecutions(stateMachineArn: string): events.Rule {
    const rule = new events.Rule(this, 'FailedExecutions', {
      description: 'Executions of the follow-up state machine that ended FAILED, TIMED_OUT or ABORTED',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [stateMachineArn], status: FAILED_EXECUTION_STATUSES },
      },
    });
    // A plain target: events-targets' SqsQueue would grant kms:GenerateDataKey* and kms:ReEncrypt* instead of the
    // statements above.
    rule.addTarget({ bind: () => ({ arn: this.queue.queueArn, targetResource: this.queue }) });
    this.queue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'FailedExecutionEvents',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
      }),
    );
    Validations.of(rule).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason:
        'The target is the dead-letter queue itself: a DLQ for it would be a second queue under the same key and policy, failing for the same reasons. EventBridge retries for 24 hours, and the ExecutionsFailed and ExecutionsTimedOut alarms read the state machine metrics, so a failed or timed-out execution pages even if its event is lost.',
    });
    return rule;
  }
}
