import { createOnboardLoanHandler } from '../onboard-loan.js';
import { awsLogger, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsWorkflow } from '../adapters/aws-workflow.js';

export const handler = createOnboardLoanHandler({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger: awsLogger() });
