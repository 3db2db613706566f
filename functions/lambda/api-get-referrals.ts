import { awsLogger, awsStore } from '../adapters/aws-ports.js';
import { createHttpHandler } from '../http/http-handler.js';
import { getReferrals } from '../http/get-referrals.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(ROUTE.listReferrals, getReferrals({ store: awsStore() }), { logger });
