import type { FollowUpPolicy } from '../policy/policy-schema.js';
import type { AdvanceDecision, AdvanceRequest } from './follow-up-state.js';
import { addDaysIso } from './local-time.js';
import { nextWakeAt } from './next-wake.js';
import { closeIfRepaid } from './rules/closure.js';
import { runCollateralReviews } from './rules/collateral.js';
import { applyInboundEvents } from './rules/inbound-events.js';
import { runLegalFollowUp } from './rules/legal-phase.js';
import { checkConsecutiveLate, reclassify, runOverdueLadder, trackEpisode } from './rules/overdue-ladder.js';
import { trackPhase } from './rules/phase.js';
import { checkRepeatedDefault, runPromises } from './rules/promises.js';
import { sendRepaymentReminders } from './rules/repayment-reminders.js';
import { spreadForLoan } from './rules/spreading.js';
import { createPlannedContacts, escalateOverdueTasks, runFieldVisits, runPeriodicCallbacks, sendWelcome } from './rules/scheduled-contacts.js';
import { StepContext } from './step-context.js';

/**
 * One step of a loan's follow-up: fold in what happened since the last step, do everything that has fallen
 * due by `now`, and say when to look again. Pure: the same request always gives the same decision.
 */
export function advanceFollowUp(request: AdvanceRequest, policy: FollowUpPolicy): AdvanceDecision {
  const ctx = new StepContext(request, spreadForLoan(policy, request.snapshot.loan.loanId));
  if (request.generation < request.snapshot.state.generation) {
    // A superseded execution (the loan already handed over to a newer one) ends without touching anything.
    return {
      state: request.snapshot.state,
      instalments: request.snapshot.instalments,
      changedInstalments: [],
      effects: [],
      timeline: [],
      action: 'CLOSE',
      wakeAt: null,
      phase: request.snapshot.state.phase ?? 'Servicing',
    };
  }
  if (request.iteration === 0 && request.generation > ctx.state.generation) {
    ctx.state.generation = request.generation;
    ctx.state.generationStartedAt = request.now;
  }
  if (ctx.state.status !== 'CLOSED') {
    ctx.once('ONBOARDED', () => {
      const { loan } = ctx;
      ctx.record('LOAN_ONBOARDED', request.now, 'LOAN_ONBOARDED', {
        product: loan.product,
        riskRating: loan.riskRating,
        principal: loan.principal,
        termMonths: loan.termMonths,
        ...(loan.onboardedBy ? { by: loan.onboardedBy } : {}),
      });
    });
    applyInboundEvents(ctx, request.events);
    ctx.releaseDeferred();
    trackEpisode(ctx);
    if (!closeIfRepaid(ctx)) {
      sendWelcome(ctx);
      createPlannedContacts(ctx);
      checkRepeatedDefault(ctx, 'a new collection episode');
      runPromises(ctx);
      runOverdueLadder(ctx);
      checkConsecutiveLate(ctx);
      reclassify(ctx);
      sendRepaymentReminders(ctx);
      runPeriodicCallbacks(ctx);
      runFieldVisits(ctx);
      runCollateralReviews(ctx);
      runLegalFollowUp(ctx);
      escalateOverdueTasks(ctx);
    }
  }
  const phase = trackPhase(ctx);
  ctx.state.lastAdvancedAt = request.now;
  const base = {
    state: ctx.state,
    instalments: ctx.instalments,
    changedInstalments: [...ctx.changedInstalments].filter((seq) => !ctx.removedInstalments.has(seq)).sort((a, b) => a - b),
    ...(ctx.removedInstalments.size > 0 ? { removedInstalments: [...ctx.removedInstalments].sort((a, b) => a - b) } : {}),
    effects: ctx.effects,
    timeline: ctx.timeline,
    phase,
  };
  if (ctx.state.status === 'CLOSED') return { ...base, action: 'CLOSE', wakeAt: null };
  if (shouldHandOver(request, policy)) {
    ctx.record('EXECUTION_CONTINUED', request.now, `G${request.generation + 1}`, {
      fromGeneration: request.generation,
      toGeneration: request.generation + 1,
      iterations: request.iteration + 1,
    });
    return { ...base, action: 'CONTINUE', wakeAt: null };
  }
  return { ...base, action: 'WAIT', wakeAt: cappedByHandover(nextWakeAt(ctx), request, policy) };
}

/**
 * No wait outlives the generation: a loan with nothing to do for long (past maturity with the legal team) wakes
 * at the hand-over time at the latest, and hands over there, inside Standard's one-year limit.
 */
function cappedByHandover(wakeAt: string, request: AdvanceRequest, policy: FollowUpPolicy): string {
  const startedAt = request.iteration === 0 ? request.now : request.snapshot.state.generationStartedAt;
  const handover = addDaysIso(startedAt, policy.handover.maxAgeDays);
  return wakeAt < handover ? wakeAt : handover;
}

/** Hand over to a fresh execution well before Standard's one-year and 25,000-event limits. */
function shouldHandOver(request: AdvanceRequest, policy: FollowUpPolicy): boolean {
  const { state } = request.snapshot;
  const startedAt = request.iteration === 0 ? request.now : state.generationStartedAt;
  return request.iteration + 1 >= policy.handover.maxIterations || addDaysIso(startedAt, policy.handover.maxAgeDays) <= request.now;
}
