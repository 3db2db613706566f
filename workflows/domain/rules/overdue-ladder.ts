import { classify } from '../classification.js';
import { addDaysIso, addLocalDays, atLocalTime, localDate } from '../local-time.js';
import { daysPastDue, oldestUnpaid } from '../schedule.js';
import type { StepContext } from '../step-context.js';
import type { Instalment } from '../types.js';
import { escalateTo } from './escalation.js';
import { messageParams } from './message-params.js';

export interface LadderStep {
  dpd: number;
  kind: 'NOTICE' | 'COLLECTION' | 'FOLLOWUP_SMS' | 'LEGAL' | 'CLASSIFY';
}

/** The ladder for one overdue instalment, by days past due. */
export function ladderSteps(ctx: StepContext): LadderStep[] {
  const { overdue, classification } = ctx.policy;
  return [
    { dpd: overdue.noticeDpd, kind: 'NOTICE' as const },
    ...overdue.collectionDpd.map((dpd: number) => ({ dpd, kind: 'COLLECTION' as const })),
    ...overdue.followupSmsDpd.map((dpd: number) => ({ dpd, kind: 'FOLLOWUP_SMS' as const })),
    { dpd: overdue.legalReferralDpd, kind: 'LEGAL' as const },
    ...[1, classification.specialMentionMaxDpd + 1, classification.substandardMaxDpd + 1, classification.doubtfulMaxDpd + 1].map(
      (dpd) => ({ dpd, kind: 'CLASSIFY' as const }),
    ),
  ].sort((a, b) => a.dpd - b.dpd);
}

export function ladderStepTime(ctx: StepContext, instalment: Instalment, dpd: number): string {
  return atLocalTime(addLocalDays(instalment.dueDate, dpd), ctx.policy.reminders.localTime, ctx.loan.timezone);
}

export function runOverdueLadder(ctx: StepContext): void {
  const overdue = oldestUnpaid(ctx.instalments);
  if (!overdue) return;
  const dpd = daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone));
  if (dpd <= 0) return;
  for (const step of ladderSteps(ctx)) {
    if (step.dpd > dpd || ladderStepTime(ctx, overdue, step.dpd) > ctx.now) continue;
    const key = `LADDER:${overdue.seq}:${step.kind}:${step.dpd}`;
    if (ctx.isDone(key)) continue;
    ctx.markDone(key);
    const params = messageParams(ctx, overdue, dpd);
    switch (step.kind) {
      case 'NOTICE':
        ctx.send(key, 'OVERDUE_NOTICE', 'overdue_notice', ['SMS', 'EMAIL'], params);
        break;
      case 'FOLLOWUP_SMS':
        ctx.send(key, 'OVERDUE_NOTICE', 'overdue_followup', ['SMS'], params);
        break;
      case 'COLLECTION':
        ctx.createTask(`COLLECTION.${overdue.seq}.DPD${step.dpd}`, 'COLLECTION', addDaysIso(ctx.now, 3), dpd);
        break;
      case 'LEGAL':
        escalateTo(ctx, 'ADVANCED', `${dpd} days past due`);
        break;
      case 'CLASSIFY':
        break;
    }
  }
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
  const dpd = daysPastDue(ctx.instalments, localDate(ctx.now, ctx.loan.timezone));
  const next = classify({ dpd, warningLevel: ctx.state.warningLevel }, ctx.policy.classification);
  if (next === ctx.state.classification) return;
  const from = ctx.state.classification;
  ctx.state.classification = next;
  ctx.record('CLASSIFICATION_CHANGED', ctx.now, `${from}->${next}@${ctx.now}`, { from, to: next, dpd });
}
