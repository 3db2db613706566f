import { reportLoanEvent } from '../report-loan-event.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';

/** POST /api/loans/{id}/events: hardship, contact details changed, opt-out or payoff. */
export function postLoanEvents(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger'>): RouteHandler {
  const report = reportLoanEvent(ports);
  return async ({ principal, params, body }) => ({ status: 202, body: await report(bodyWith(body, { loanId: params.id, by: principal.username })) });
}
