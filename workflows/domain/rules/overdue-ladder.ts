import { classify } from '../classification.js';
import { addDaysIso, addLocalDays, atLocalTime, localDate } from '../local-time.js';
import { riskRatingOf } from '../risk-rating.js';
import { daysPastDue, oldestUnpaid } from '../schedule.js';
import type { StepContext } from '../step-context.js';
import { collectionQueue } from '../task-queue.js';
import { CLASSIFICATIONS, type Instalment } from '../types.js';
import { observedMinimum } from './restructuring.js';
import { createReview, escalateTo, referToLegal } from './escalation.js';
import { messageParams } from './message-params.js';

export type LadderStepKind = 'NOTICE' | 'TEAM_NOTICE' | 'COLLECTION' | 'FOLLOWUP_SMS' | 'DEMAND_LETTER' | 'PRE_LEGAL_REVIEW' | 'LEGAL' | 'CLASSIFY';

export interface LadderStep {
  dpd: number;
  kind: LadderStepKind;
}

/** Steps that contact the borrower, which an open promise to pay pauses (calls always, SMS as the policy says). */
const PAUSED_BY_PROMISE: Partial<Record<LadderStepKind, 'call' | 'sms'>> = { COLLECTION: 'call', FOLLOWUP_SMS: 'sms' };

/**
 * The collection ladder of an episode, by days past due of its oldest unpaid instalment: the notice, the team
 * alert, calls (the listed days, then every N days to the ladder's end), SMS, the written demand, the
 * pre-legal review, the legal referral, and the days the classification changes.
 */
export function ladderSteps(ctx: StepContext): LadderStep[] {
  const { overdue, classification } = ctx.policy;
  const calls = [...overdue.collectionDpd];
  const lastListed = calls.at(-1) ?? overdue.noticeDpd;
  for (let dpd = lastListed + overdue.collectionEveryDays; dpd <= overdue.ladderEndDpd; dpd += overdue.collectionEveryDays) calls.push(dpd);
  const steps: LadderStep[] = [
    { dpd: overdue.noticeDpd, kind: 'NOTICE' },
    { dpd: overdue.teamNoticeDpd, kind: 'TEAM_NOTICE' },
    ...calls.filter((dpd) => dpd <= overdue.ladderEndDpd).map((dpd) => ({ dpd, kind: 'COLLECTION' as const })),
    ...overdue.followupSmsDpd.filter((dpd) => dpd <= overdue.ladderEndDpd).map((dpd) => ({ dpd, kind: 'FOLLOWUP_SMS' as const })),
    ...(overdue.demandLetterDpd !== null ? [{ dpd: overdue.demandLetterDpd, kind: 'DEMAND_LETTER' as const }] : []),
    ...(overdue.preLegalReviewDpd !== null ? [{ dpd: overdue.preLegalReviewDpd, kind: 'PRE_LEGAL_REVIEW' as const }] : []),
    { dpd: overdue.legalReferralDpd, kind: 'LEGAL' },
    ...[1, classification.specialMentionMaxDpd + 1, classification.substandardMaxDpd + 1, classification.doubtfulMaxDpd + 1].map((dpd) => ({
      dpd,
      kind: 'CLASSIFY' as const,
    })),
  ];
  return steps.sort((a, b) => a.dpd - b.dpd);
}

export function ladderStepTime(ctx: StepContext, instalment: Instalment, dpd: number): string {
  return atLocalTime(addLocalDays(instalment.dueDate, dpd), ctx.policy.reminders.localTime, ctx.loan.timezone);
}

/**
 * Opens a collection episode on the first day past due and ends it when the loan is current again. A later
 * instalment falling due while one is unpaid belongs to the same episode: one ladder at a time.
 */
export function trackEpisode(ctx: StepContext): void {
  const dpd = daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone));
  const episode = ctx.state.episode ?? null;
  if (dpd > 0 && !episode && ctx.state.status === 'ACTIVE') {
    const number = ctx.state.done.filter((k) => k.startsWith('EPISODE:')).length + 1;
    ctx.markDone(`EPISODE:${number}`);
    const overdue = oldestUnpaid(ctx.instalments)!;
    const startedAt = ladderStepTime(ctx, overdue, 1) < ctx.now ? ladderStepTime(ctx, overdue, 1) : ctx.now;
    ctx.state.episode = { number, startedAt, brokenPromises: 0 };
    const yearAgo = addDaysIso(ctx.now, -365);
    ctx.state.episodeStarts = [...(ctx.state.episodeStarts ?? []).filter((at) => at > yearAgo), startedAt];
    ctx.record('COLLECTION_STARTED', ctx.now, `E${number}`, { episode: number, seq: overdue.seq, dpd });
    return;
  }
  if (dpd === 0 && episode) {
    ctx.state.episode = null;
    ctx.record('COLLECTION_ENDED', ctx.now, `E${episode.number}`, { episode: episode.number, cured: true });
  }
}

export function runOverdueLadder(ctx: StepContext): void {
  const episode = ctx.state.episode;
  const overdue = oldestUnpaid(ctx.instalments);
  if (!episode || !overdue) return;
  const dpd = daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone));
  if (dpd <= 0) return;
  for (const step of ladderSteps(ctx)) {
    if (step.dpd > dpd || ladderStepTime(ctx, overdue, step.dpd) > ctx.now) continue;
    const key = `LADDER:E${episode.number}:${step.kind}:${step.dpd}`;
    if (ctx.isDone(key)) continue;
    ctx.markDone(key);
    const paused = PAUSED_BY_PROMISE[step.kind];
    if (paused && ctx.state.promise && (paused === 'call' || ctx.policy.promises.pauseLadderSms)) {
      ctx.record('CONTACT_SUPPRESSED', ctx.now, key, {
        channel: paused === 'call' ? 'CALL' : 'SMS',
        purpose: step.kind === 'COLLECTION' ? 'COLLECTION' : 'OVERDUE_NOTICE',
        reason: 'PROMISE_OPEN',
        dpd: step.dpd,
      });
      continue;
    }
    const params = messageParams(ctx, overdue, dpd);
    switch (step.kind) {
      case 'NOTICE':
        ctx.send(key, 'OVERDUE_NOTICE', 'overdue_notice', ['SMS', 'EMAIL'], params);
        break;
      case 'TEAM_NOTICE':
        ctx.notifyTeam(
          `OVERDUE:E${episode.number}`,
          'supervisors',
          'OVERDUE',
          `Overdue: loan ${ctx.loan.loanId}`,
          `Loan ${ctx.loan.loanId} (${ctx.loan.product}, ${riskRatingOf(ctx.loan, ctx.state)} risk): instalment #${overdue.seq} due ${overdue.dueDate} is ${dpd} day(s) past due; collection episode ${episode.number} has begun.`,
        );
        break;
      case 'FOLLOWUP_SMS':
        ctx.send(key, 'OVERDUE_NOTICE', 'overdue_followup', ['SMS'], params);
        break;
      case 'DEMAND_LETTER':
        ctx.send(key, 'DEMAND_LETTER', 'demand_letter', ['EMAIL'], params);
        break;
      case 'COLLECTION':
        createCollectionCall(ctx, `COLLECTION.${overdue.seq}.E${episode.number}D${step.dpd}`, dpd);
        break;
      case 'PRE_LEGAL_REVIEW':
        createReview(ctx, 'PRE_LEGAL_REVIEW', `E${episode.number}.DPD${step.dpd}`);
        break;
      case 'LEGAL':
        escalateTo(ctx, 'ADVANCED', `${dpd} days past due`);
        referToLegal(ctx, `${dpd} days past due`);
        break;
      case 'CLASSIFY':
        break;
    }
  }
}

/**
 * A collection call in the queue of the episode's tier, more urgent the longer the debt is overdue. It takes
 * the place of a collection call still open: one call per loan in the queue, at its latest tier.
 */
export function createCollectionCall(ctx: StepContext, occurrence: string, dpd: number, extraPriority = 0): void {
  ctx.cancelTasks('SUPERSEDED', (task) => task.purpose === 'COLLECTION');
  ctx.createTask(
    occurrence,
    'COLLECTION',
    addDaysIso(ctx.now, ctx.policy.overdue.callWithinDays),
    dpd + extraPriority,
    collectionQueue(dpd, ctx.policy.overdue.tiers),
  );
}

/** Two (policy) consecutive instalments paid late or still unpaid after their due date raise PRIMARY. */
export function checkConsecutiveLate(ctx: StepContext): void {
  const today = localDate(ctx.now, ctx.loan.timezone);
  const late = (i: Instalment) => (i.paidAt ? localDate(i.paidAt, ctx.loan.timezone) > i.dueDate : today > i.dueDate);
  let run = 0;
  for (const instalment of ctx.instalments) {
    if (instalment.dueDate >= today && !instalment.paidAt) break;
    run = late(instalment) ? run + 1 : 0;
    if (run >= ctx.policy.overdue.consecutiveLateForPrimary) {
      escalateTo(ctx, 'PRIMARY', `${run} consecutive instalments late or missed (up to #${instalment.seq})`);
      return;
    }
  }
}

export function reclassify(ctx: StepContext): void {
  if (ctx.state.closedReason === 'WRITTEN_OFF') return;
  const dpd = daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone));
  const byRule = classify({ dpd, warningLevel: ctx.state.warningLevel }, ctx.policy.classification);
  const floor = observedMinimum(ctx);
  const next = floor && CLASSIFICATIONS.indexOf(byRule) < CLASSIFICATIONS.indexOf(floor) ? floor : byRule;
  setClassification(ctx, next, dpd);
}

export function setClassification(ctx: StepContext, next: typeof ctx.state.classification, dpd: number): void {
  if (next === ctx.state.classification) return;
  const from = ctx.state.classification;
  ctx.state.classification = next;
  ctx.record('CLASSIFICATION_CHANGED', ctx.now, `${from}->${next}@${ctx.now}`, { from, to: next, dpd });
}
