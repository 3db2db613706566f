import { createAnonymiseClosedLoansHandler } from '../anonymise-closed-loans.js';
import { awsAuditSigner } from '../adapters/aws-audit-signer.js';
import { awsLogger, awsPolicies, awsStore } from '../adapters/aws-ports.js';

export const handler = createAnonymiseClosedLoansHandler({
  store: awsStore(),
  policies: awsPolicies(),
  auditSigner: awsAuditSigner(),
  clock: () => new Date(),
  logger: awsLogger(),
});
