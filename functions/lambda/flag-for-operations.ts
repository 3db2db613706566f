import { createFlagForOperationsHandler } from '../flag-for-operations.js';
import { awsLogger, awsStore, awsTeams, wallClock } from '../adapters/aws-ports.js';

export const handler = createFlagForOperationsHandler({ store: awsStore(), ...awsTeams(), clock: wallClock, logger: awsLogger() });
