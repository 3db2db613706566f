import { addLocalDays, localDate } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { ReviewDecision, TaskPurpose } from '../types.js';
import { referToLegal } from './escalation.js';
import { messageParams } from './message-params.js';

const REVIEW_DAYS = 5;

/** A risk officer's decision on a RECALL_REVIEW or PRE_LEGAL_REVIEW changes the loan's course. */
export function applyReviewDecision(
  ctx: StepContext,
  eventId: string,
  at: string,
  review: { taskId: string; purpose: TaskPurpose; decision: ReviewDecision; recallDueDate?: string },
): void {
  ctx.record('REVIEW_DECIDED', at, eventId, {
    taskId: review.taskId,
    purpose: review.purpose,
    outcome: review.decision,
    ...(review.recallDueDate ? { recallDueDate: review.recallDueDate } : {}),
  });
  if (ctx.state.status !== 'ACTIVE') return;
  switch (review.decision) {
    case 'refer':
      referToLegal(ctx, `risk decision on ${review.purpose}`);
      return;
    case 'recall':
      recallLoan(ctx, eventId, review.recallDueDate);
      return;
    case 'restructure':
      ctx.createTask(`RESTRUCTURE_REVIEW.${localDate(ctx.now, ctx.loan.timezone)}`, 'RESTRUCTURE_REVIEW', ctx.dueByFromNow(REVIEW_DAYS), 20);
      return;
    case 'continue':
      return;
  }
}

/**
 * Early recall: every unpaid instalment falls due on the recall date (the officer's, or policy days ahead), those not yet due
 * without their interest (not yet accrued), and the borrower gets a formal notice. The collection ladder then
 * runs on the accelerated schedule.
 */
export function recallLoan(ctx: StepContext, eventId: string, requested?: string): void {
  if (!ctx.once('RECALLED', () => undefined)) return;
  const today = localDate(ctx.now, ctx.loan.timezone);
  // The officer's date, held to the policy's bounds (the API refuses one outside them; time may have passed since).
  const earliest = addLocalDays(today, ctx.policy.recall.minNoticeDays);
  const latest = addLocalDays(today, ctx.policy.recall.maxNoticeDays);
  const dueDate = requested ? (requested < earliest ? earliest : requested > latest ? latest : requested) : addLocalDays(today, ctx.policy.recall.noticeDays);
  ctx.instalments = ctx.instalments.map((i) => {
    if (i.paidAt || i.dueDate <= dueDate) return i;
    ctx.changedInstalments.add(i.seq);
    const interest = Math.min(i.interest, i.paidAmount);
    return { ...i, dueDate, interest, amount: i.principal + interest };
  });
  const amount = ctx.instalments.reduce((sum, i) => sum + (i.paidAt ? 0 : i.amount - i.paidAmount), 0);
  ctx.record('LOAN_RECALLED', ctx.now, eventId, { dueDate, amount });
  ctx.send(`RECALL:${eventId}`, 'RECALL_NOTICE', 'recall_notice', ['SMS', 'EMAIL'], { ...messageParams(ctx, undefined), amountMinor: amount, dueDate });
}

/** Why an officer's recall date is refused (policy bounds in the borrower's zone), or null. */
export function recallDateProblem(date: string, nowIso: string, timezone: string, bounds: { minNoticeDays: number; maxNoticeDays: number }): string | null {
  const today = localDate(nowIso, timezone);
  const earliest = addLocalDays(today, bounds.minNoticeDays);
  const latest = addLocalDays(today, bounds.maxNoticeDays);
  if (date < earliest || date > latest)
    return `must be between ${earliest} and ${latest} (${bounds.minNoticeDays} to ${bounds.maxNoticeDays} days from today in the borrower's time zone)`;
  return null;
}
