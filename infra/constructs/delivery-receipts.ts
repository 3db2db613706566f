import { Aws, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as destinations from 'aws-cdk-lib/aws-logs-destinations';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { fromAddress } from './email-identity.js';
import type { EncryptionKey } from './encryption-key.js';

export interface DeliveryReceiptsProps {
  /** record-delivery-receipt: writes what the providers acknowledged to the loan table. */
  recorder: lambda.Function;
  /** Team topics: the recorder subscribes to each, to see what SNS took. */
  teamTopics: sns.ITopic[];
  encryptionKey: EncryptionKey;
  deadLetterQueue: sqs.IQueue;
  /**
   * record-email-feedback: SES Bounce and Complaint events of the configuration set; a permanent bounce or a
   * complaint becomes an email opt-out on the loan.
   */
  feedbackRecorder?: lambda.Function;
}

/** The SES events that can make an address an opt-out (EventBridge `detail.eventType`). */
export const SES_FEEDBACK_EVENT_TYPES = ['Bounce', 'Complaint'] as const;

/**
 * The log groups SNS writes SMS delivery status to (an account setting points SNS at them, see README
 * "Deploying"). Fixed names: SNS chooses them.
 */
export const SMS_DELIVERY_LOG_GROUPS = ['DirectPublishToPhoneNumber', 'DirectPublishToPhoneNumber/Failure'] as const;

/**
 * These groups hold borrowers' phone numbers as SNS writes them, so they keep a week only. They carry no
 * masking policy: CloudWatch Logs masks at every egress, subscription filters included, and the recorder
 * needs the number to hash it.
 */
export const SMS_DELIVERY_LOG_RETENTION = logs.RetentionDays.ONE_WEEK;

/**
 * Receipts for in-doubt sends (functions/send-once.ts): whatever a provider acknowledged reaches the
 * recorder, which keeps it in the table for AdvanceLoan's lookup.
 * - SES: borrower email goes through a configuration set whose SEND events go to EventBridge; the message's
 *   tags carry the loan and the send key.
 * - Team topics: the recorder is a subscriber; the notifier's message attributes carry loan and key.
 * - SNS SMS: delivery-status logs carry the message id, the destination and the time, not our key; a
 *   subscription filter hands them to the recorder, which stores an HMAC of the destination under a KMS HMAC
 *   key (destinationKey) that only AdvanceLoan and the recorder may use.
 */
export class DeliveryReceipts extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly smsDeliveryLogGroups: logs.LogGroup[];
  /** The role SNS uses to write SMS delivery status (set with `aws sns set-sms-attributes`). */
  readonly smsDeliveryStatusRole: iam.Role;
  /** The HMAC key of SMS destination hashes: without it, a hash cannot be turned back by trying every number. */
  readonly destinationKey: kms.Key;

  constructor(scope: Construct, id: string, props: DeliveryReceiptsProps) {
    super(scope, id);
    const { recorder, deadLetterQueue } = props;

    // HMAC keys cannot rotate automatically; a new key would only leave the receipts of the next 30 minutes unmatched.
    this.destinationKey = new kms.Key(this, 'DestinationKey', {
      description: 'loan-followup: HMAC of SMS receipt destinations (AdvanceLoan and the receipt recorder only)',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', { sendingEnabled: true });
    this.configurationSet.addEventDestination('SendEvents', {
      destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'DefaultBus', 'default')),
      events: [ses.EmailSendingEvent.SEND],
    });
    const sesEvents = new events.Rule(this, 'SesSendEvents', {
      description: 'SES accepted a borrower email of the loan follow-up (configuration-set SEND events)',
      eventPattern: {
        source: ['aws.ses'],
        detail: { eventType: ['Send'], mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
      },
    });
    sesEvents.addTarget(new targets.LambdaFunction(recorder, { deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(2) }));

    // Bounces and complaints: a dead address or a complaining borrower is mailed no more (an EMAIL opt-out).
    if (props.feedbackRecorder) {
      this.configurationSet.addEventDestination('FeedbackEvents', {
        destination: ses.EventDestination.eventBus(events.EventBus.fromEventBusName(this, 'FeedbackBus', 'default')),
        events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
      });
      const feedback = new events.Rule(this, 'SesFeedbackEvents', {
        description: 'SES reported a bounce or a complaint for a borrower email of the loan follow-up (configuration-set events)',
        eventPattern: {
          source: ['aws.ses'],
          detail: { eventType: [...SES_FEEDBACK_EVENT_TYPES], mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
        },
      });
      feedback.addTarget(new targets.LambdaFunction(props.feedbackRecorder, { deadLetterQueue, retryAttempts: 8, maxEventAge: Duration.hours(24) }));
    }

    for (const topic of props.teamTopics) topic.addSubscription(new subscriptions.LambdaSubscription(recorder, { deadLetterQueue }));

    this.smsDeliveryLogGroups = SMS_DELIVERY_LOG_GROUPS.map((suffix, i) => {
      const group = new logs.LogGroup(this, `SmsDeliveryLogs${i === 0 ? 'Success' : 'Failure'}`, {
        logGroupName: `sns/${Aws.REGION}/${Aws.ACCOUNT_ID}/${suffix}`,
        encryptionKey: props.encryptionKey.key,
        retention: SMS_DELIVERY_LOG_RETENTION,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      // Every delivery log is a receipt: a failed delivery was still taken by SNS, as a normal send would be.
      new logs.SubscriptionFilter(this, `SmsDeliveryReceipts${i === 0 ? 'Success' : 'Failure'}`, {
        logGroup: group,
        destination: new destinations.LambdaDestination(recorder),
        filterPattern: logs.FilterPattern.allEvents(),
      });
      return group;
    });

    this.smsDeliveryStatusRole = new iam.Role(this, 'SmsDeliveryStatusRole', {
      description: 'SNS writes SMS delivery status to the loan follow-up log groups',
      assumedBy: new iam.ServicePrincipal('sns.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } } }),
    });
    this.smsDeliveryStatusRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:PutMetricFilter', 'logs:PutRetentionPolicy'],
        resources: this.smsDeliveryLogGroups.map((g) => g.logGroupArn),
      }),
    );
    new CfnOutput(Stack.of(this), 'SmsDeliveryStatusRoleArn', {
      description: 'aws sns set-sms-attributes --attributes deliveryStatusIAMRole=<this>,deliveryStatusSuccessSamplingRate=100',
      value: this.smsDeliveryStatusRole.roleArn,
    });
  }

  /**
   * Lets the sender send through the configuration set (SES authorizes it as a resource), from `senderAddress`
   * only (ses:FromAddress, as on the identity), and names it (env SES_CONFIGURATION_SET).
   */
  bindSender(fn: lambda.Function, senderAddress: string): void {
    const arn = Stack.of(this).formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [arn], conditions: fromAddress(senderAddress) }));
    fn.addEnvironment('SES_CONFIGURATION_SET', this.configurationSet.configurationSetName);
  }

  /** Lets the function hash SMS destinations with the destination key (kms:GenerateMac only; env RECEIPT_KEY_ID). */
  bindDestinationHasher(fn: lambda.Function): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GenerateMac'], resources: [this.destinationKey.keyArn] }));
    fn.addEnvironment('RECEIPT_KEY_ID', this.destinationKey.keyArn);
  }
}
