import { KMSClient } from '@aws-sdk/client-kms';
import { AwsDeliveryReceipts } from './aws-delivery-receipts.js';
import { env } from './aws-ports.js';
import { type DestinationHasher, macDestinationHasher } from './destination-hash.js';
import type { DynamoLoanStore } from './dynamo-loan-store.js';
import { KmsMacSigner } from './kms-mac-signer.js';

// The KMS client on its own, so only the handlers that hash SMS destinations load it (see aws-ports.ts).

/** The keyed SMS destination hash (KMS GenerateMac, env RECEIPT_KEY_ID), shared by AdvanceLoan and the receipt recorder. */
export function awsDestinationHasher(): DestinationHasher {
  return macDestinationHasher(new KmsMacSigner(new KMSClient({}), env('RECEIPT_KEY_ID')));
}

export function awsReceipts(store: DynamoLoanStore) {
  return { receipts: new AwsDeliveryReceipts(store, awsDestinationHasher()) };
}
