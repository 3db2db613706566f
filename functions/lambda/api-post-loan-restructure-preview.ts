import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { createHttpHandler } from '../http/http-handler.js';
import { postLoanRestructurePreview } from '../http/post-loan-restructure-preview.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(
  ROUTE.previewRestructure,
  postLoanRestructurePreview({ store: awsStore(), clock: wallClock, policies: awsPolicies() }),
  { logger },
);
