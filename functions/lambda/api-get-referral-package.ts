import { awsLogger, awsStore } from '../adapters/aws-ports.js';
import { createHttpHandler } from '../http/http-handler.js';
import { getReferralPackage } from '../http/get-referral-package.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(ROUTE.getReferralPackage, getReferralPackage({ store: awsStore() }), { logger });
