import { awsPorts } from '../adapters/aws-ports.js';
import { createRecordCallbackOutcomeHandler } from '../record-callback-outcome.js';

export const handler = createRecordCallbackOutcomeHandler(awsPorts());
