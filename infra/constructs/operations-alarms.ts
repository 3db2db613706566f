import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
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

/**
 * SES puts an account under review at a bounce rate of 5% and a complaint rate of 0.1% (and may pause sending
 * at 10% and 0.5%): the alarms fire at the review thresholds. `AWS/SES` Reputation.* are fractions.
 */
export const SES_REVIEW_THRESHOLDS = { bounceRate: 0.05, complaintRate: 0.001 };

/** Borrower SMS that failed, as a share of those SNS settled, over an hour with at least SMS_MIN_SETTLED. */
export const SMS_FAILURE_PERCENT = 10;
export const SMS_MIN_SETTLED = 20;
/** The SMS spend alarm fires at this share of the monthly budget. */
export const SMS_SPEND_ALARM_SHARE = 0.8;

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
  /** The operations API: any 5xx alarms. */
  httpApi: apigw.IHttpApi;
  /** Monthly SMS budget in USD (the account's SNS MonthlySpendLimit); the alarm fires at 80%. @default 500 */
  smsMonthlyBudgetUsd?: number;
}

/**
 * Alarms that page the supervisors: failed executions, a non-empty dead-letter queue, throttling, errors, API
 * 5xx, SES reputation at AWS's review thresholds, failing borrower SMS and the month's SMS spend.
 */
export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    this.action = new actions.SnsAction(props.topic);
    this.allowCloudWatchToPublish(props.topic, props.encryptionKey);

    const machine = props.stateMachine;
    this.alarmOnAny(
      'ExecutionsFailed',
      machine.metricFailed({ period: PERIOD }),
      'Follow-up executions failed: see the dead-letter queue and the runbook (docs/deploying-and-security.md)',
    );
    this.alarmOnAny(
      'ExecutionsTimedOut',
      machine.metricTimedOut({ period: PERIOD }),
      'Follow-up executions timed out: see the dead-letter queue and the runbook (docs/deploying-and-security.md)',
    );
    this.alarmOnAny('ExecutionsThrottled', machine.metricThrottled({ period: PERIOD }), 'Step Functions throttled follow-up executions');
    this.alarmOnAny(
      'DeadLettersVisible',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      'Messages are waiting in the dead-letter queue: see the runbook (docs/deploying-and-security.md)',
    );
    this.alarmOnAny(
      'TableThrottledRequests',
      props.table.metricThrottledRequestsForOperations({ operations: TABLE_OPERATIONS, period: PERIOD }),
      'DynamoDB throttled requests to the loan table',
    );
    for (const fn of props.apiFunctions) this.watchFunction(fn, { retriedByWorkflow: false });
    for (const fn of props.workflowFunctions) this.watchFunction(fn, { retriedByWorkflow: true });
    this.alarmOnAny(
      'ApiServerErrors',
      props.httpApi.metricServerError({ period: PERIOD }),
      'The operations API answered 5xx: see the API function alarms and the access logs',
    );
    this.watchMessaging(props.smsMonthlyBudgetUsd ?? 500);
  }

  /** SES reputation (account-wide) and borrower SMS (direct publishes to phone numbers, account-wide). */
  private watchMessaging(smsMonthlyBudgetUsd: number): void {
    const hour = Duration.hours(1);
    const ses = (metricName: string) => new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: cloudwatch.Stats.MAXIMUM, period: hour });
    this.alarmAt(
      'SesBounceRate',
      ses('Reputation.BounceRate'),
      SES_REVIEW_THRESHOLDS.bounceRate,
      'SES bounce rate reached 5%, where AWS puts the account under review: stop bulk sends, check the addresses bouncing (docs: Alarms)',
    );
    this.alarmAt(
      'SesComplaintRate',
      ses('Reputation.ComplaintRate'),
      SES_REVIEW_THRESHOLDS.complaintRate,
      'SES complaint rate reached 0.1%, where AWS puts the account under review: check which messages draw complaints (docs: Alarms)',
    );

    // SNS counts SMS published straight to a phone number under the dimension PhoneNumber=PhoneNumberDirect.
    const sms = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SNS',
        metricName,
        dimensionsMap: { PhoneNumber: 'PhoneNumberDirect' },
        statistic: cloudwatch.Stats.SUM,
        period: hour,
      });
    const failureRate = new cloudwatch.MathExpression({
      expression: `IF((failed + delivered) >= ${SMS_MIN_SETTLED}, 100 * failed / (failed + delivered), 0)`,
      usingMetrics: { failed: sms('NumberOfNotificationsFailed'), delivered: sms('NumberOfNotificationsDelivered') },
      label: 'Borrower SMS failed (%)',
      period: hour,
    });
    this.alarmAt(
      'SmsFailureRate',
      failureRate,
      SMS_FAILURE_PERCENT,
      `${SMS_FAILURE_PERCENT}% or more of borrower SMS failed in an hour: see the SMS delivery-status log group .../Failure`,
    );
    const spend = new cloudwatch.Metric({ namespace: 'AWS/SNS', metricName: 'SMSMonthToDateSpentUSD', statistic: cloudwatch.Stats.MAXIMUM, period: hour });
    this.alarmAt(
      'SmsMonthlySpend',
      spend,
      smsMonthlyBudgetUsd * SMS_SPEND_ALARM_SHARE,
      `SMS spend this month passed 80% of ${smsMonthlyBudgetUsd} USD: at the account's MonthlySpendLimit SNS stops sending (docs: Alarms)`,
    );
  }

  /** Alarms when the metric reaches `threshold` in one period; no data (nothing sent) is not a breach. */
  private alarmAt(id: string, metric: cloudwatch.IMetric, threshold: number, description: string): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      alarmDescription: description,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }

  /** Errors and Throttles alarms for one function. */
  watchFunction(fn: lambda.IFunction, options: { retriedByWorkflow: boolean }): void {
    const name = fn.node.id;
    const persistent = options.retriedByWorkflow ? { evaluationPeriods: 3, datapointsToAlarm: 2 } : {};
    this.alarmOnAny(`${name}Errors`, fn.metricErrors({ period: PERIOD }), `${name} failed invocations`, persistent);
    this.alarmOnAny(`${name}Throttles`, fn.metricThrottles({ period: PERIOD }), `${name} invocations throttled`);
  }

  private alarmOnAny(
    id: string,
    metric: cloudwatch.IMetric,
    description: string,
    periods: { evaluationPeriods?: number; datapointsToAlarm?: number } = {},
  ): void {
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
