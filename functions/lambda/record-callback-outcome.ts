import { createRecordCallbackOutcomeHandler } from '../record-callback-outcome.js';
import { awsLogger, awsPolicies, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';

export const handler = createRecordCallbackOutcomeHandler({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger: awsLogger(), policies: awsPolicies() });
