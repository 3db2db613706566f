import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { createHttpHandler } from '../http/http-handler.js';
import { getLoan } from '../http/get-loan.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(ROUTE.getLoan, getLoan({ store: awsStore(), clock: wallClock, policies: awsPolicies() }), { logger });
