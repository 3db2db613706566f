import { previewRestructure } from '../restructure-loan.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';
import { presentRestructure } from './restructure-presenter.js';

/** POST /api/loans/{id}/restructure/preview: the schedule a plan would give the loan; nothing is written. */
export function postLoanRestructurePreview(ports: Pick<ApiPorts, 'store' | 'clock' | 'policies'>): RouteHandler {
  const preview = previewRestructure(ports);
  return async ({ principal, params, body }) => ({
    status: 200,
    body: presentRestructure(await preview(bodyWith(body, { loanId: params.id, by: principal.username }))),
  });
}
