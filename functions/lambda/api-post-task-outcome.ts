import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';
import { createHttpHandler } from '../http/http-handler.js';
import { postTaskOutcome } from '../http/post-task-outcome.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(
  ROUTE.recordTaskOutcome,
  postTaskOutcome({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger, policies: awsPolicies() }),
  { logger },
);
