import { localDate } from '../local-time.js';
import { daysPastDue } from '../schedule.js';
import type { StepContext } from '../step-context.js';
import type { Phase } from '../types.js';
import { plannedContactTimes } from './scheduled-contacts.js';

/**
 * Where the loan is in its life: with the legal team, in collections (an episode under way), in its first
 * contact window (until the first contact is made or given up), in its early checks (until the day-60 check
 * is done) or in regular servicing.
 */
export function phaseOf(ctx: StepContext): Phase {
  if (ctx.state.status === 'LEGAL') return 'Legal';
  if (ctx.state.episode || daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone)) > 0) return 'Collections';
  if (ctx.hasOpenTask('FIRST_CONTACT') || !ctx.isDone('TASK:FIRST_CONTACT')) return 'FirstContact';
  const day60 = plannedContactTimes(ctx).find((p) => p.purpose === 'DAY60_CHECK');
  if (ctx.hasOpenTask('DAY30_CHECK') || ctx.hasOpenTask('DAY60_CHECK') || (day60 && (day60.at > ctx.now || !ctx.isDone('TASK:DAY60_CHECK'))))
    return 'EarlyChecks';
  return 'Servicing';
}

/** Records PHASE_CHANGED when the loan moves on; a closed loan keeps the phase it closed in. */
export function trackPhase(ctx: StepContext): Phase {
  const from = ctx.state.phase ?? null;
  if (ctx.state.status === 'CLOSED') return from ?? 'Servicing';
  const to = phaseOf(ctx);
  if (to !== from) {
    ctx.state.phase = to;
    ctx.record('PHASE_CHANGED', ctx.now, `${from ?? 'NONE'}->${to}@${ctx.now}`, { from, to });
  }
  return to;
}
