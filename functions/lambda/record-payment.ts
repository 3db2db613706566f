import { createRecordPaymentHandler } from '../record-payment.js';
import { awsLogger, awsStore, awsWorkflow, wallClock } from '../adapters/aws-ports.js';

export const handler = createRecordPaymentHandler({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger: awsLogger() });
