import { randomBytes } from 'node:crypto';
import { macAuditSigner } from '../../functions/audit/audit-signer.js';
import type { AuditSigner } from '../../functions/ports.js';
import { LocalMacSigner } from '../../local/adapters/local-mac-signer.js';

/** The audit heads' MACs with a throwaway key, for handler tests that commit steps. */
export const testAuditSigner = (key: Buffer = randomBytes(32)): AuditSigner => macAuditSigner(new LocalMacSigner(key));
