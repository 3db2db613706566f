import { awsPorts } from '../adapters/aws-ports.js';
import { createAdvanceLoanHandler } from '../advance-loan.js';

export const handler = createAdvanceLoanHandler(awsPorts());
