import { awsPorts } from '../adapters/aws-ports.js';
import { createFlagForOperationsHandler } from '../flag-for-operations.js';

export const handler = createFlagForOperationsHandler(awsPorts());
