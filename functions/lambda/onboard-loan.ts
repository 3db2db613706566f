import { createOnboardLoanHandler } from '../onboard-loan.js';
import { awsLogger, awsStore, awsWorkflow, wallClock } from '../adapters/aws-ports.js';

export const handler = createOnboardLoanHandler({ store: awsStore(), workflow: awsWorkflow(), clock: wallClock, logger: awsLogger() });
