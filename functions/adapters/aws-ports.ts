import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bundledPolicies } from '../../workflows/policy/bundled-policies.js';
import type { Product } from '../../workflows/domain/types.js';
import { DynamoLoanStore } from './dynamo-loan-store.js';
import { SesEmailSender } from './ses-email-sender.js';
import { SfnWorkflowControl } from './sfn-workflow-control.js';
import { SnsSmsSender } from './sns-sms-sender.js';
import { SnsTeamNotifier } from './sns-team-notifier.js';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** Ports backed by AWS, built once per Lambda container from the environment the CDK constructs set. */
export function awsPorts() {
  const sns = new SNSClient({});
  const policies = bundledPolicies();
  return {
    logger: new Logger(),
    clock: () => new Date(),
    store: new DynamoLoanStore(DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }), env('TABLE_NAME')),
    workflow: new SfnWorkflowControl(new SFNClient({}), env('STATE_MACHINE_ARN')),
    policies: (product: Product) => policies[product],
    sms: new SnsSmsSender(sns),
    email: new SesEmailSender(new SESv2Client({}), process.env.SENDER_EMAIL ?? 'no-reply@example.com'),
    teams: new SnsTeamNotifier(sns, { supervisors: process.env.SUPERVISORS_TOPIC_ARN ?? '', legal: process.env.LEGAL_TOPIC_ARN ?? '' }),
  };
}
