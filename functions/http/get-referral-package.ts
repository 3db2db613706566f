import type { LoanStore } from '../ports.js';
import { NotFoundError } from './http-errors.js';
import type { RouteHandler } from './http-handler.js';

/** Case ids are `CASE-<loanId>` (workflows/domain/rules/escalation.ts). */
const CASE_ID = /^CASE-([A-Za-z0-9_-]{1,40})$/;

/** GET /api/referrals/{caseId}/package: the stored case package with the borrower's contact, as a download. */
export function getReferralPackage(ports: { store: Pick<LoanStore, 'getLegalCase' | 'getContact'> }): RouteHandler {
  return async ({ params }) => {
    const caseId = params.caseId!;
    const loanId = CASE_ID.exec(caseId)?.[1];
    const pkg = loanId ? await ports.store.getLegalCase(loanId) : undefined;
    if (!pkg || pkg.caseId !== caseId) throw new NotFoundError('caseId', `no case ${caseId}`);
    const contact = (await ports.store.getContact(pkg.loanId)) ?? null;
    return { status: 200, body: { ...pkg, contact }, headers: { 'content-disposition': `attachment; filename="${caseId}.json"` } };
  };
}
