import { createAwaitEventHandler } from '../await-event.js';
import { awsLogger, awsStore, awsWorkflow } from '../adapters/aws-ports.js';

export const handler = createAwaitEventHandler({ store: awsStore(), workflow: awsWorkflow(), logger: awsLogger() });
