import { awsPorts } from '../adapters/aws-ports.js';
import { createOnboardLoanHandler } from '../onboard-loan.js';

export const handler = createOnboardLoanHandler(awsPorts());
