import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { createHttpHandler } from '../http/http-handler.js';
import { getTasks } from '../http/get-tasks.js';
import { ROUTE } from '../http/routes.js';

const logger = awsLogger();
export const handler = createHttpHandler(ROUTE.listTasks, getTasks({ store: awsStore(), clock: wallClock, policies: awsPolicies() }), { logger });
