import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsUnsubscribeLinks } from '../adapters/aws-unsubscribe-links.js';
import { createHttpHandler } from '../http/http-handler.js';
import { ROUTE } from '../http/routes.js';
import { getUnsubscribe } from '../http/unsubscribe.js';

const logger = awsLogger();
export const handler = createHttpHandler(
  ROUTE.showUnsubscribe,
  getUnsubscribe({ store: awsStore(), clock: wallClock, policies: awsPolicies(), unsubscribe: awsUnsubscribeLinks() }),
  { logger },
);
