import { createAdvanceLoanHandler } from '../advance-loan.js';
import { awsLogger, awsPolicies, awsReceipts, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsSenders } from '../adapters/aws-senders.js';
import { awsUnsubscribeLinks } from '../adapters/aws-unsubscribe-links.js';

const store = awsStore();
export const handler = createAdvanceLoanHandler({
  store,
  ...awsSenders(),
  ...awsReceipts(store),
  unsubscribe: awsUnsubscribeLinks(),
  clock: wallClock,
  policies: awsPolicies(),
  logger: awsLogger(),
});
