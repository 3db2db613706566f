import type { FollowUpPolicy } from '../policy/policy-schema.js';
import { advanceFollowUp } from './advance-follow-up.js';
import type { AdvanceDecision, AdvanceRequest, InboundEvent } from './follow-up-state.js';

/**
 * Records one step writes when it commits: changed instalments, created or updated tasks, consumed inbox
 * events, timeline records (with one MESSAGE_SENT or TEAM_NOTIFIED per send) and the loan's own record.
 */
export function stepWrites(decision: AdvanceDecision, consumedEvents: number): number {
  const tasks = decision.effects.filter((e) => e.kind === 'CREATE_TASK' || e.kind === 'UPDATE_TASK').length;
  const sends = decision.effects.filter((e) => e.kind === 'SEND_MESSAGE' || e.kind === 'NOTIFY_TEAM').length;
  return decision.changedInstalments.length + (decision.removedInstalments?.length ?? 0) + tasks + consumedEvents + decision.timeline.length + sends + 1;
}

export interface CatchUpStep {
  decision: AdvanceDecision;
  /** The moment the step acts at: `request.now`, or earlier when the loan catches up in several steps. */
  now: string;
  events: InboundEvent[];
}

/**
 * A loan that slept long (an outage, a paused demo) may have more to do than one atomic commit can hold. It
 * then catches up in several steps: this one goes as far as fits in `budget` writes, found by bisecting the
 * time since the last step, and asks to be woken at once for the rest. Only when even the first moment is too
 * big does it return the whole step (the store then writes it in chunks).
 */
export function decideWithinBudget(request: AdvanceRequest, policy: FollowUpPolicy, budget: number): CatchUpStep {
  const whole = advanceFollowUp(request, policy);
  if (stepWrites(whole, request.events.length) <= budget) return { decision: whole, now: request.now, events: request.events };
  const at = (ms: number) => new Date(ms).toISOString();
  const decideAt = (ms: number): CatchUpStep => {
    const now = at(ms);
    const events = request.events.filter((e) => e.at <= now);
    return { decision: advanceFollowUp({ ...request, now, events }, policy), now, events };
  };
  const fits = (step: CatchUpStep) => stepWrites(step.decision, step.events.length) <= budget;
  let lo = Date.parse(request.snapshot.state.lastAdvancedAt);
  let hi = Date.parse(request.now);
  let best: CatchUpStep | undefined;
  // To the minute: at most ~25 pure re-runs of the step, only for a loan that is far behind.
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const step = decideAt(mid);
    if (fits(step)) {
      best = step;
      lo = mid;
    } else hi = mid;
  }
  if (!best) return { decision: whole, now: request.now, events: request.events };
  if (best.decision.action === 'WAIT') best.decision.wakeAt = request.now;
  return best;
}
