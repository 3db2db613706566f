import { createRecordCallbackOutcomeHandler } from '../record-callback-outcome.js';
import { awsLogger, awsStore, awsWorkflow, wallClock } from '../adapters/aws-ports.js';

export const handler = createRecordCallbackOutcomeHandler({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger: awsLogger() });
