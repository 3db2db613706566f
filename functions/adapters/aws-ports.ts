import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bundledPolicies } from '../../workflows/policy/bundled-policies.js';
import type { Product } from '../../workflows/domain/types.js';
import type { Clock } from '../ports.js';
import { AwsDeliveryReceipts } from './aws-delivery-receipts.js';
import { DynamoLoanStore } from './dynamo-loan-store.js';
import { SesEmailSender } from './ses-email-sender.js';
import { SfnWorkflowControl } from './sfn-workflow-control.js';
import { SnsSmsSender } from './sns-sms-sender.js';
import { SnsTeamNotifier } from './sns-team-notifier.js';

// One builder per port, so each Lambda bundle carries only the SDK clients its handler uses.

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const awsLogger = () => new Logger();
export const wallClock: Clock = () => new Date();

export function awsStore(): DynamoLoanStore {
  return new DynamoLoanStore(DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }), env('TABLE_NAME'));
}

export function awsWorkflow(): SfnWorkflowControl {
  return new SfnWorkflowControl(new SFNClient({}), env('STATE_MACHINE_ARN'));
}

export function awsPolicies(): (product: Product) => ReturnType<typeof bundledPolicies>[Product] {
  const policies = bundledPolicies();
  return (product) => policies[product];
}

export function awsSenders() {
  const sns = new SNSClient({});
  return {
    sms: new SnsSmsSender(sns),
    email: new SesEmailSender(new SESv2Client({}), env('SENDER_EMAIL'), env('SES_CONFIGURATION_SET')),
    teams: new SnsTeamNotifier(sns, { supervisors: env('SUPERVISORS_TOPIC_ARN'), legal: env('LEGAL_TOPIC_ARN') }),
  };
}

export function awsTeams() {
  return { teams: new SnsTeamNotifier(new SNSClient({}), { supervisors: env('SUPERVISORS_TOPIC_ARN'), legal: env('LEGAL_TOPIC_ARN') }) };
}

/** Salt of the SMS destination hash, shared by AdvanceLoan and the receipt recorder (env RECEIPT_SALT). */
export const awsDestinationSalt = () => env('RECEIPT_SALT');

export function awsReceipts(store: DynamoLoanStore) {
  return { receipts: new AwsDeliveryReceipts(store, awsDestinationSalt()) };
}
