import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';
import { createHttpHandler } from '../http/http-handler.js';
import { postLoanRestructure } from '../http/post-loan-restructure.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(
  ROUTE.restructureLoan,
  postLoanRestructure({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger, policies: awsPolicies() }),
  { logger },
);
