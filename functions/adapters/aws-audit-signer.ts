import { KMSClient } from '@aws-sdk/client-kms';
import { macAuditSigner } from '../audit/audit-signer.js';
import type { AuditSigner } from '../ports.js';
import { env } from './aws-ports.js';
import { KmsMacSigner } from './kms-mac-signer.js';

/** The audit head's MAC from the KMS HMAC key of the audit trail (env AUDIT_KEY_ID), not the unsubscribe key. */
export function awsAuditSigner(): AuditSigner {
  return macAuditSigner(new KmsMacSigner(new KMSClient({}), env('AUDIT_KEY_ID')));
}
