import { createRecordPaymentHandler } from '../record-payment.js';
import { awsLogger, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';

export const handler = createRecordPaymentHandler({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger: awsLogger() });
