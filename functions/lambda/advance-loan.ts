import { createAdvanceLoanHandler } from '../advance-loan.js';
import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsReceipts } from '../adapters/aws-destination-hasher.js';
import { awsSenders } from '../adapters/aws-senders.js';
import { awsUnsubscribeLinks } from '../adapters/aws-unsubscribe-links.js';
import { awsAuditSigner } from '../adapters/aws-audit-signer.js';
import { awsPacer } from '../adapters/aws-pacer.js';

const store = awsStore();
export const handler = createAdvanceLoanHandler({
  store,
  ...awsSenders(),
  ...awsReceipts(store),
  unsubscribe: awsUnsubscribeLinks(),
  clock: wallClock,
  policies: awsPolicies(),
  logger: awsLogger(),
  auditSigner: awsAuditSigner(),
  pacer: awsPacer(),
});
