import { awsPorts } from '../adapters/aws-ports.js';
import { createAwaitEventHandler } from '../await-event.js';

export const handler = createAwaitEventHandler(awsPorts());
