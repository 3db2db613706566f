import { awsPorts } from '../adapters/aws-ports.js';
import { createReportLoanEventHandler } from '../report-loan-event.js';

export const handler = createReportLoanEventHandler(awsPorts());
