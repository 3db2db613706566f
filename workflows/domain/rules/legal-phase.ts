import type { InboundEvent } from '../follow-up-state.js';
import { addDaysIso } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { CloseReason } from '../types.js';
import { setClassification } from './overdue-ladder.js';

type LegalEvent = Extract<InboundEvent, { type: 'LEGAL_EVENT' }>;

const CLOSING_OUTCOME: Record<'settled' | 'recovered' | 'written_off', CloseReason> = {
  settled: 'LEGAL_SETTLED',
  recovered: 'LEGAL_RECOVERED',
  written_off: 'WRITTEN_OFF',
};

/**
 * The legal team's record of a case. Recovered or settled money is applied like a payment; when it covers the
 * balance, or the debt is written off, the case and the loan end.
 */
export function applyLegalEvent(ctx: StepContext, event: LegalEvent): void {
  ctx.record('LEGAL_EVENT', event.at, event.eventId, {
    caseId: event.caseId,
    event: event.event,
    ...(event.amount !== undefined ? { amount: event.amount } : {}),
    ...(event.date ? { date: event.date } : {}),
  });
  if (ctx.state.status !== 'LEGAL' || ctx.state.legalCaseId !== event.caseId) return;
  ctx.state.lastLegalEventAt = event.at;
  for (const task of [...ctx.openTasks.values()]) {
    if (task.purpose !== 'LEGAL_FOLLOW_UP') continue;
    ctx.updateTask({ ...task, status: 'DONE', completedAt: event.at });
    ctx.record('CALLBACK_COMPLETED', event.at, `${task.taskId}:${event.eventId}`, {
      taskId: task.taskId,
      purpose: task.purpose,
      outcome: 'LEGAL_EVENT',
      findings: [],
    });
  }
  if (event.event === 'written_off') {
    setClassification(ctx, 'LOSS', 0);
    closeLegalCase(ctx, 'written_off');
    return;
  }
  if ((event.event === 'settled' || event.event === 'recovered') && event.amount) {
    ctx.receivePayment(event.amount, event.at, `${event.eventId}:PAYMENT`, { source: event.event });
    if (ctx.instalments.every((i) => i.paidAt)) closeLegalCase(ctx, event.event);
  }
}

/** LEGAL_CASE_CLOSED and LOAN_CLOSED: the execution ends. */
export function closeLegalCase(ctx: StepContext, outcome: 'settled' | 'recovered' | 'written_off' | 'repaid'): void {
  if (ctx.state.status === 'CLOSED') return;
  const reason: CloseReason = outcome === 'repaid' ? 'REPAID' : CLOSING_OUTCOME[outcome];
  ctx.record('LEGAL_CASE_CLOSED', ctx.now, ctx.state.legalCaseId ?? 'CASE', { caseId: ctx.state.legalCaseId, outcome });
  ctx.cancelTasks('LOAN_CLOSED');
  ctx.state.status = 'CLOSED';
  ctx.state.closedAt = ctx.now;
  ctx.state.closedReason = reason;
  ctx.record('LOAN_CLOSED', ctx.now, 'CLOSED', { reason });
}

/** A case with no legal event for the policy's period gets a LEGAL_FOLLOW_UP task, so none is forgotten. */
export function runLegalFollowUp(ctx: StepContext): void {
  if (ctx.state.status !== 'LEGAL') return;
  const due = legalFollowUpAt(ctx);
  if (!due || due > ctx.now || ctx.hasOpenTask('LEGAL_FOLLOW_UP')) return;
  ctx.createTask(`LEGAL_FOLLOW_UP.${due.slice(0, 10)}`, 'LEGAL_FOLLOW_UP', addDaysIso(ctx.now, ctx.policy.legal.followUpWithinDays), 20);
  // The next reminder counts from this one: a case left alone is raised again every period.
  ctx.state.lastLegalEventAt = ctx.now;
}

export function legalFollowUpAt(ctx: StepContext): string | null {
  if (ctx.state.status !== 'LEGAL' || !ctx.state.lastLegalEventAt) return null;
  return addDaysIso(ctx.state.lastLegalEventAt, ctx.policy.legal.followUpAfterDays);
}
