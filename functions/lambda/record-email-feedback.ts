import { awsLogger, awsStore } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';
import { createRecordEmailFeedbackHandler } from '../record-email-feedback.js';

export const handler = createRecordEmailFeedbackHandler({ store: awsStore(), workflow: awsWorkflow(), logger: awsLogger() });
