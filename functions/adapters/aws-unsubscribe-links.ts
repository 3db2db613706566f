import { KMSClient } from '@aws-sdk/client-kms';
import { createUnsubscribeLinks, type UnsubscribeLinks } from '../unsubscribe/unsubscribe-links.js';
import { KmsMacSigner } from './kms-mac-signer.js';

/** Links signed by the KMS HMAC key (env UNSUBSCRIBE_KEY_ID) under the console's address (env UNSUBSCRIBE_BASE_URL). */
export function awsUnsubscribeLinks(): UnsubscribeLinks {
  const keyId = process.env.UNSUBSCRIBE_KEY_ID;
  const baseUrl = process.env.UNSUBSCRIBE_BASE_URL;
  if (!keyId || !baseUrl) throw new Error('environment variables UNSUBSCRIBE_KEY_ID and UNSUBSCRIBE_BASE_URL must be set');
  return createUnsubscribeLinks({ baseUrl, signer: new KmsMacSigner(new KMSClient({}), keyId) });
}
