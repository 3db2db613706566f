import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';
import { awsUnsubscribeLinks } from '../adapters/aws-unsubscribe-links.js';
import { createHttpHandler } from '../http/http-handler.js';
import { ROUTE } from '../http/routes.js';
import { postUnsubscribe } from '../http/unsubscribe.js';

const logger = awsLogger();
export const handler = createHttpHandler(
  ROUTE.unsubscribe,
  postUnsubscribe({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, policies: awsPolicies(), unsubscribe: awsUnsubscribeLinks() }),
  { logger },
);
