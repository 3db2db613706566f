import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bundledPolicies } from '../../workflows/policy/bundled-policies.js';
import type { Product } from '../../workflows/domain/types.js';
import type { Clock } from '../ports.js';
import { DynamoLoanStore } from './dynamo-loan-store.js';

// One builder per port, so each Lambda bundle carries only the SDK clients its handler uses: the builders of
// other clients live in their own modules (aws-workflow.ts, aws-senders.ts, aws-unsubscribe-links.ts). esbuild
// keeps every import of an external package (the SDK is left to the runtime) in the bundle of any handler
// whose module graph reaches it, used or not, and the Lambda then loads that client at every cold start.

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const awsLogger = () => new Logger();
export const wallClock: Clock = () => new Date();

export function awsStore(): DynamoLoanStore {
  return new DynamoLoanStore(DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } }), env('TABLE_NAME'));
}

export function awsPolicies(): (product: Product) => ReturnType<typeof bundledPolicies>[Product] {
  const policies = bundledPolicies();
  return (product) => policies[product];
}

// The receipts' keyed destination hash needs the KMS client: aws-destination-hasher.ts (awsReceipts,
// awsDestinationHasher).
