import { createFlagForOperationsHandler } from '../flag-for-operations.js';
import { awsLogger, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsTeams } from '../adapters/aws-teams.js';
import { awsAuditSigner } from '../adapters/aws-audit-signer.js';

export const handler = createFlagForOperationsHandler({
  store: awsStore(),
  ...awsTeams(),
  clock: wallClock,
  logger: awsLogger(),
  auditSigner: awsAuditSigner(),
});
