import type { InboundEvent } from '../follow-up-state.js';
import type { StepContext } from '../step-context.js';
import { applyValuation } from './collateral.js';
import { applyFindings } from './findings.js';
import { applyLegalEvent } from './legal-phase.js';
import { recordPromise } from './promises.js';
import { applyRestructure } from './restructuring.js';
import { applyReviewDecision } from './reviews.js';
import { applyRiskRatingChanged, applyTaskRequested } from './steering.js';

/** Folds the events that reached the loan's inbox into the step, oldest first. */
export function applyInboundEvents(ctx: StepContext, events: InboundEvent[]): void {
  const ordered = [...events].sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId));
  for (const event of ordered) {
    if (!ctx.once(`EVENT:${event.eventId}`, () => undefined)) continue;
    const recorded = ctx.timeline.length;
    applyInboundEvent(ctx, event);
    // Who made the change, and what was promised, go on the records the event itself caused.
    for (const record of ctx.timeline.slice(recorded)) {
      if (!record.key.endsWith(`:${event.eventId}`)) continue;
      if (event.by) record.by = event.by;
      if (event.promise && record.type.startsWith('CALLBACK_')) record.promise = event.promise;
    }
  }
}

function applyInboundEvent(ctx: StepContext, event: InboundEvent): void {
  switch (event.type) {
    case 'PAYMENT_RECEIVED':
    case 'PAYOFF': {
      const amount = event.type === 'PAYOFF' ? ctx.instalments.reduce((sum, i) => sum + Math.max(0, i.amount - i.paidAmount), 0) : event.amount;
      if (event.type === 'PAYOFF') ctx.state.closedReason = 'PAID_OFF';
      ctx.receivePayment(amount, event.at, event.eventId, { payoff: event.type === 'PAYOFF' });
      return;
    }
    case 'CALLBACK_OUTCOME': {
      const open = ctx.openTasks.get(event.taskId);
      if (open && event.final) ctx.openTasks.delete(event.taskId);
      const type = event.final ? 'CALLBACK_COMPLETED' : 'CALLBACK_ATTEMPTED';
      ctx.record(type, event.at, event.eventId, {
        taskId: event.taskId,
        purpose: event.purpose,
        outcome: event.outcome,
        findings: event.findings,
        ...(event.notesSha256 ? { notesSha256: event.notesSha256 } : {}),
        ...(event.by ? { by: event.by } : {}),
      });
      const overdueSeq = /\.COLLECTION\.(\d+)\./.exec(event.taskId)?.[1];
      ctx.noteCall(event.at, event.outcome === 'REACHED', overdueSeq ? Number(overdueSeq) : undefined);
      if (event.outcome === 'WRONG_NUMBER') {
        ctx.notifyTeam(
          `WRONG_NUMBER:${event.taskId}`,
          'supervisors',
          'WRONG_NUMBER',
          'Wrong number',
          `Loan ${ctx.loan.loanId}: task ${event.taskId} reached a wrong number; contact details need checking.`,
        );
      }
      applyFindings(ctx, event.findings, event.eventId, event.purpose);
      if (event.promise) recordPromise(ctx, event.eventId, event.at, event.promise);
      if (event.valuation && event.final) applyValuation(ctx, event.eventId, event.at, event.taskId, event.valuation);
      if (event.decision && event.final) {
        applyReviewDecision(ctx, event.eventId, event.at, {
          taskId: event.taskId,
          purpose: event.purpose,
          decision: event.decision,
          ...(event.recallDueDate ? { recallDueDate: event.recallDueDate } : {}),
        });
      }
      return;
    }
    case 'LEGAL_EVENT':
      applyLegalEvent(ctx, event);
      return;
    case 'RESTRUCTURE_AGREED':
      applyRestructure(ctx, event);
      return;
    case 'TASK_REQUESTED':
      applyTaskRequested(ctx, event);
      return;
    case 'RISK_RATING_CHANGED':
      applyRiskRatingChanged(ctx, event);
      return;
    case 'HARDSHIP_REPORTED':
      ctx.record('HARDSHIP_REPORTED', event.at, event.eventId, { findings: event.findings });
      applyFindings(ctx, event.findings, event.eventId);
      return;
    case 'CONTACT_CHANGED':
      ctx.record('CONTACT_CHANGED', event.at, event.eventId, { fields: event.fields });
      return;
    case 'OPTED_OUT':
      for (const channel of event.channels) if (!ctx.state.optedOut.includes(channel)) ctx.state.optedOut.push(channel);
      ctx.record('OPTED_OUT', event.at, event.eventId, { channels: event.channels, ...(event.reason ? { reason: event.reason } : {}) });
      return;
    case 'DO_NOT_CONTACT':
      ctx.state.doNotContact = true;
      ctx.record('DO_NOT_CONTACT', event.at, event.eventId, { reason: event.reason });
      return;
  }
}
