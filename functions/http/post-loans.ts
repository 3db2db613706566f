import { onboardLoan } from '../onboard-loan.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';

/** POST /api/loans: onboard one loan; 201 when created, 200 when the same loan was already there. */
export function postLoans(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger'>): RouteHandler {
  const onboard = onboardLoan(ports);
  return async ({ principal, body }) => {
    const result = await onboard(bodyWith(body, { by: principal.username }));
    return { status: result.created ? 201 : 200, body: result, headers: { location: `/api/loans/${encodeURIComponent(result.loanId)}` } };
  };
}
