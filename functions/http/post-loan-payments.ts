import { recordPayment } from '../record-payment.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';

/** POST /api/loans/{id}/payments: the payment goes to the loan's inbox and wakes its workflow. */
export function postLoanPayments(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger'>): RouteHandler {
  const record = recordPayment(ports);
  return async ({ principal, params, body }) => ({ status: 202, body: await record(bodyWith(body, { loanId: params.id, by: principal.username })) });
}
