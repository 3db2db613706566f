import { awsLogger, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';
import { createHttpHandler } from '../http/http-handler.js';
import { postLoanPayments } from '../http/post-loan-payments.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(ROUTE.recordPayment, postLoanPayments({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger }), {
  logger,
});
