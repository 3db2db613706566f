import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { deliverEvent, type DeliveryStore } from './deliver-event.js';
import { parseInput } from './parse-input.js';
import type { Clock, WorkflowControl } from './ports.js';
import { recordPaymentSchema } from './schemas.js';

/**
 * A payment reached the lender: it goes to the loan's inbox and wakes its execution. Client errors are thrown;
 * the operations API turns them into problem details.
 */
export function recordPayment(ports: { store: DeliveryStore; workflow: WorkflowControl; clock: Clock; logger: Logger }) {
  return async (event: unknown) => {
    const input = parseInput(recordPaymentSchema, event);
    // No read first: the inbox refuses a loan that does not exist (404) or is closed (409), writing nothing.
    const at = input.paidAt ? new Date(input.paidAt).toISOString() : ports.clock(input.loanId).toISOString();
    const amount = Math.round(input.amount * 100);
    // The same payment reported twice carries the same id, and the workflow applies an id only once.
    const eventId = input.paymentId ?? `PAY-${createHash('sha256').update(`${input.loanId}|${amount}|${at}`).digest('hex').slice(0, 16)}`;
    const delivery = await deliverEvent(ports, input.loanId, { type: 'PAYMENT_RECEIVED', eventId, at, amount, by: input.by });
    return { loanId: input.loanId, eventId, delivery };
  };
}
