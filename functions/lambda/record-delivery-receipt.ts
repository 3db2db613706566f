import { createRecordDeliveryReceiptHandler } from '../record-delivery-receipt.js';
import { awsDestinationSalt, awsLogger, awsStore } from '../adapters/aws-ports.js';

export const handler = createRecordDeliveryReceiptHandler({ receipts: awsStore(), destinationSalt: awsDestinationSalt(), logger: awsLogger() });
