import { awsLogger, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';
import { createHttpHandler } from '../http/http-handler.js';
import { postLoanRiskRating } from '../http/post-loan-risk-rating.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(ROUTE.changeRiskRating, postLoanRiskRating({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger }), {
  logger,
});
