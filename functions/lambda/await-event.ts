import { createAwaitEventHandler } from '../await-event.js';
import { awsLogger, awsStore } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';

export const handler = createAwaitEventHandler({ store: awsStore(), workflow: awsWorkflow(), logger: awsLogger() });
