import type { StepContext } from '../step-context.js';
import { messageParams } from './message-params.js';

/** Full repayment or payoff closes the loan after a closing message. */
export function closeIfRepaid(ctx: StepContext): boolean {
  if (ctx.state.status === 'CLOSED') return true;
  if (!ctx.instalments.every((i) => i.paidAt)) return false;
  ctx.send('CLOSING', 'CLOSING', 'closing', ['SMS', 'EMAIL'], messageParams(ctx, undefined));
  ctx.cancelBorrowerTasks('LOAN_CLOSED');
  ctx.state.status = 'CLOSED';
  ctx.state.closedAt = ctx.now;
  ctx.record('LOAN_CLOSED', ctx.now, 'CLOSED', { reason: 'REPAID' });
  return true;
}
