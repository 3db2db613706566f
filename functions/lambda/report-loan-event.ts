import { createReportLoanEventHandler } from '../report-loan-event.js';
import { awsLogger, awsStore, awsWorkflow, wallClock } from '../adapters/aws-ports.js';

export const handler = createReportLoanEventHandler({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger: awsLogger() });
