import type { StepContext } from '../step-context.js';
import type { Instalment } from '../types.js';

/** Template parameters: ids, amounts and dates only; the sender adds nothing personal either. */
export function messageParams(ctx: StepContext, instalment: Instalment | undefined, dpd = 0): Record<string, string | number> {
  return {
    loanRef: ctx.loan.loanId,
    amountMinor: instalment ? instalment.amount - instalment.paidAmount : 0,
    dueDate: instalment?.dueDate ?? '',
    dpd,
    supportPhone: ctx.policy.contact.supportPhone,
    supportEmail: ctx.policy.contact.supportEmail,
  };
}
