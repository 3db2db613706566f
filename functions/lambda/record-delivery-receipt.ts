import { createRecordDeliveryReceiptHandler } from '../record-delivery-receipt.js';
import { awsDestinationHasher } from '../adapters/aws-destination-hasher.js';
import { awsLogger, awsStore } from '../adapters/aws-ports.js';

export const handler = createRecordDeliveryReceiptHandler({ receipts: awsStore(), destinationHasher: awsDestinationHasher(), logger: awsLogger() });
