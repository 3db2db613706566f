import { createAdvanceLoanHandler } from '../advance-loan.js';
import { awsLogger, awsPolicies, awsSenders, awsStore, wallClock } from '../adapters/aws-ports.js';

export const handler = createAdvanceLoanHandler({ store: awsStore(), ...awsSenders(), clock: wallClock, policies: awsPolicies(), logger: awsLogger() });
