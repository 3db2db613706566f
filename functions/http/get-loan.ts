import type { LoanStore } from '../ports.js';
import { LoanNotFoundError } from '../errors.js';
import type { ApiPorts } from './api-ports.js';
import type { RouteHandler } from './http-handler.js';
import { presentLoan } from './loan-presenter.js';

/** GET /api/loans/{id}: schedule, payments, warning level, classification, next scheduled action, timeline. */
export function getLoan(ports: Pick<ApiPorts, 'clock' | 'policies'> & { store: Pick<LoanStore, 'getLoanView'> }): RouteHandler {
  return async ({ params }) => {
    const view = await ports.store.getLoanView(params.id!);
    if (!view) throw new LoanNotFoundError(params.id!);
    const now = ports.clock(view.loan.loanId).toISOString();
    return { status: 200, body: presentLoan(view, ports.policies(view.loan.product), now) };
  };
}
