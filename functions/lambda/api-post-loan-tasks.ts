import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';
import { createHttpHandler } from '../http/http-handler.js';
import { postLoanTasks } from '../http/post-loan-tasks.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(
  ROUTE.createLoanTask,
  postLoanTasks({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger, policies: awsPolicies() }),
  { logger },
);
