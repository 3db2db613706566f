import { restructureLoan } from '../restructure-loan.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';
import { presentRestructure } from './restructure-presenter.js';

/** POST /api/loans/{id}/restructure: risk agrees a plan; it goes to the loan's inbox and wakes the loan. */
export function postLoanRestructure(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'policies' | 'logger'>): RouteHandler {
  const restructure = restructureLoan(ports);
  return async ({ principal, params, body }) => {
    const { eventId, delivery, replayed, ...preview } = await restructure(bodyWith(body, { loanId: params.id, by: principal.username }));
    return { status: 202, body: { ...presentRestructure(preview), eventId, delivery, ...(replayed ? { replayed } : {}) } };
  };
}
