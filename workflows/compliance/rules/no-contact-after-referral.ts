import { allowed, type ContactRule } from '../contact-gate-types.js';

/** Once the legal team has the case, nobody contacts the borrower automatically. */
export const noContactAfterReferral: ContactRule<Record<string, never>> = {
  id: 'no-contact-after-referral',
  description: 'no contact with the borrower after a legal referral',
  check(_attempt, standing) {
    if (standing.status === 'LEGAL') return { allowed: false, code: 'LEGAL_REFERRAL', reason: 'referred to the legal team', retryAt: null };
    if (standing.status === 'CLOSED') return { allowed: false, code: 'LOAN_CLOSED', reason: 'loan closed', retryAt: null };
    return allowed;
  },
};
