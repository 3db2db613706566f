import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { env } from './aws-ports.js';
import { KmsAnchorSigner } from './kms-anchor-signer.js';
import { S3AnchorStore } from './s3-anchor-store.js';

/** The anchor job's signer (KMS key env ANCHOR_KEY_ID) and bucket (env ANCHOR_BUCKET). */
export function awsAnchors() {
  return { signer: new KmsAnchorSigner(new KMSClient({}), env('ANCHOR_KEY_ID')), anchors: new S3AnchorStore(new S3Client({}), env('ANCHOR_BUCKET')) };
}
