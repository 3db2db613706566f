import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { EncryptionKey } from './encryption-key.js';

/** The DynamoDB operations the handlers issue (functions/adapters/dynamo-loan-store.ts); at most 10 per alarm. */
export const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.BATCH_WRITE_ITEM,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

const PERIOD = Duration.minutes(5);

export interface OperationsAlarmsProps {
  stateMachine: sfn.StateMachine;
  deadLetterQueue: sqs.IQueue;
  table: dynamodb.Table;
  /** Called by people and systems that see every error: one error alarms. */
  apiFunctions: lambda.IFunction[];
  /**
   * Called by the state machine, which retries transient errors: alarms when errors persist (2 of 3 periods).
   * A step that fails for good ends its execution, and ExecutionsFailed alarms at once.
   */
  workflowFunctions: lambda.IFunction[];
  /** Where alarms and recoveries are sent (the supervisors' topic). */
  topic: sns.Topic;
  /** The topic's key: CloudWatch must be allowed to use it, or alarms to the topic are dropped silently. */
  encryptionKey: EncryptionKey;
}

/** Alarms that page the supervisors: failed executions, a non-empty dead-letter queue, throttling, errors. */
export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.action = new actions.SnsAction(props.topic);
    this.allowCloudWatchToPublish(props.topic, props.encryptionKey);

    const machine = props.stateMachine;
    this.alarmOnAny('ExecutionsFailed', machine.metricFailed({ period: PERIOD }), 'Follow-up executions failed: see the dead-letter queue and the README runbook');
    this.alarmOnAny('ExecutionsTimedOut', machine.metricTimedOut({ period: PERIOD }), 'Follow-up executions timed out: see the dead-letter queue and the README runbook');
    this.alarmOnAny('ExecutionsThrottled', machine.metricThrottled({ period: PERIOD }), 'Step Functions throttled follow-up executions');
    this.alarmOnAny(
      'DeadLettersVisible',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      'Messages are waiting in the dead-letter queue: see the README runbook',
    );
    this.alarmOnAny(
      'TableThrottledRequests',
      props.table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
      'DynamoDB throttled requests to the loan table',
    );
    for (const fn of props.apiFunctions) this.watchFunction(fn, { retriedByWorkflow: false });
    for (const fn of props.workflowFunctions) this.watchFunction(fn, { retriedByWorkflow: true });
  }

  /** Errors and Throttles alarms for one function. */
  watchFunction(fn: lambda.IFunction, options: { retriedByWorkflow: boolean }): void {
    const name = fn.node.id;
    const persistent = options.retriedByWorkflow ? { evaluationPeriods: 3, datapointsToAlarm: 2 } : {};
    this.alarmOnAny(`${name}Errors`, fn.metricErrors({ period: PERIOD }), `${name} failed invocations`, persistent);
    this.alarmOnAny(`${name}Throttles`, fn.metricThrottles({ period: PERIOD }), `${name} invocations throttled`);
  }

  private alarmOnAny(id: string, metric: cloudwatch.IMetric, description: string, periods: { evaluationPeriods?: number; datapointsToAlarm?: number } = {}): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: periods.evaluationPeriods ?? 1,
      datapointsToAlarm: periods.datapointsToAlarm ?? 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }

  /** CloudWatch publishes alarm notifications itself: the topic policy and the topic's key must let it. */
  private allowCloudWatchToPublish(topic: sns.Topic, key: EncryptionKey): void {
    const stack = Stack.of(this);
    const fromThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    };
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );
    key.allowService('CloudWatchAlarmsToTopics', 'cloudwatch.amazonaws.com', ['kms:GenerateDataKey', 'kms:Decrypt'], {
      StringEquals: { 'aws:SourceAccount': stack.account },
    });
  }
}
