import { createReportLoanEventHandler } from '../report-loan-event.js';
import { awsLogger, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';

export const handler = createReportLoanEventHandler({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger: awsLogger() });
