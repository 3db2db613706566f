import type { StepContext } from '../step-context.js';
import { closeLegalCase } from './legal-phase.js';
import { messageParams } from './message-params.js';

/** Full repayment or payoff closes the loan after a closing message (a referred loan's case closes with it). */
export function closeIfRepaid(ctx: StepContext): boolean {
  if (ctx.state.status === 'CLOSED') return true;
  if (!ctx.instalments.every((i) => i.paidAt)) return false;
  if (ctx.state.status === 'LEGAL') {
    closeLegalCase(ctx, 'repaid');
    return true;
  }
  ctx.send('CLOSING', 'CLOSING', 'closing', ['SMS', 'EMAIL'], messageParams(ctx, undefined));
  ctx.cancelBorrowerTasks('LOAN_CLOSED');
  // Reviews of a repaid loan have nothing left to decide.
  ctx.cancelTasks('LOAN_CLOSED');
  const reason = ctx.state.closedReason ?? 'REPAID';
  ctx.state.status = 'CLOSED';
  ctx.state.closedAt = ctx.now;
  ctx.state.closedReason = reason;
  ctx.state.promise = null;
  ctx.record('LOAN_CLOSED', ctx.now, 'CLOSED', { reason });
  return true;
}
