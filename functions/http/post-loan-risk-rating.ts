import { changeRiskRating } from '../change-risk-rating.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';

/** POST /api/loans/{id}/risk-rating: risk re-rates a loan with a reason code; wakes the loan. */
export function postLoanRiskRating(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger'>): RouteHandler {
  const change = changeRiskRating(ports);
  return async ({ principal, params, body }) => ({ status: 202, body: await change(bodyWith(body, { loanId: params.id, by: principal.username })) });
}
