import { awsLogger, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';
import { createHttpHandler } from '../http/http-handler.js';
import { postLoansImport } from '../http/post-loans-import.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(ROUTE.importLoans, postLoansImport({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger }), {
  logger,
});
