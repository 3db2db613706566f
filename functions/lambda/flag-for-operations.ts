import { createFlagForOperationsHandler } from '../flag-for-operations.js';
import { awsLogger, awsStore, wallClock } from '../adapters/aws-ports.js';
import { awsTeams } from '../adapters/aws-teams.js';

export const handler = createFlagForOperationsHandler({ store: awsStore(), ...awsTeams(), clock: wallClock, logger: awsLogger() });
