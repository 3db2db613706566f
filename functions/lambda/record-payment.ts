import { awsPorts } from '../adapters/aws-ports.js';
import { createRecordPaymentHandler } from '../record-payment.js';

export const handler = createRecordPaymentHandler(awsPorts());
