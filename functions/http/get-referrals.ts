import type { LoanStore } from '../ports.js';
import type { RouteHandler } from './http-handler.js';

/** GET /api/referrals: the legal team's cases, newest first. */
export function getReferrals(ports: { store: Pick<LoanStore, 'listReferrals'> }): RouteHandler {
  return async () => {
    const referrals = await ports.store.listReferrals();
    return { status: 200, body: { referrals: referrals.map((r) => ({ ...r, principal: r.principal / 100 })) } };
  };
}
