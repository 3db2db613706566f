// The one loan the tests start from, and the builders of each form a test needs it in: the body a client sends
// (loanRequestBody), the request onboard-loan reads (loanRequest) and the domain Loan it stores (testLoan).
// A test passes only what its loan differs in.
import type * as z from 'zod';
import { toLoan } from '../../functions/onboard-loan.js';
import { onboardLoanSchema, type OnboardLoanRequest } from '../../functions/schemas.js';
import type { Loan } from '../../workflows/domain/types.js';

/** The body a client sends to onboard a loan, before the schema fills in its defaults (borrowerType, locale, by). */
export type LoanRequestBody = z.input<typeof onboardLoanSchema>;

/**
 * The defaults, once: a medium-risk consumer loan of 36,000.00 yuan at 8% over 12 months, paid out at 10:00 in
 * Shanghai on Monday 2026-01-05. Borrower type and locale are the schema's defaults (individual, zh-CN).
 */
const DEFAULTS = {
  product: 'consumer',
  riskRating: 'medium',
  /** Yuan, as a request carries it; the domain Loan holds minor units (fen). */
  principal: 36000,
  annualRate: 0.08,
  termMonths: 12,
  disbursedAt: '2026-01-05T10:00:00+08:00',
  timezone: 'Asia/Shanghai',
  phone: '+8613812345678',
  email: 'borrower@example.com',
} as const satisfies Omit<LoanRequestBody, 'loanId'>;

/** The raw onboarding body (loanId first, then the defaults' fields in order, no schema defaults added): for entry points fed unparsed input. */
export function loanRequestBody({ loanId, ...overrides }: Partial<LoanRequestBody> & { loanId: string }): LoanRequestBody {
  return { loanId, ...DEFAULTS, ...overrides };
}

/** The onboarding request as onboard-loan reads it: the body parsed by onboardLoanSchema (so with borrowerType, locale and by). */
export function loanRequest(overrides: Partial<OnboardLoanRequest> & { loanId: string }): OnboardLoanRequest {
  return onboardLoanSchema.parse(loanRequestBody(overrides));
}

const DEFAULT_REQUEST = loanRequest({ loanId: 'L-1' });

/** The domain Loan of the default request, as onboarding stores it (functions/onboard-loan.ts), loan id L-1. */
export function testLoan(overrides: Partial<Loan> = {}): Loan {
  const { onboardedBy: _nobody, ...loan } = toLoan(DEFAULT_REQUEST);
  return { ...loan, ...overrides };
}
