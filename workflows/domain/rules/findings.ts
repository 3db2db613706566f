import { addLocalDays, addLocalMonths, atLocalTime, localDate } from '../local-time.js';
import type { StepContext } from '../step-context.js';
import type { Finding } from '../types.js';
import { escalateTo } from './escalation.js';

/** What a borrower said in a call or a report changes how closely the loan is followed. */
export function applyFindings(ctx: StepContext, findings: Finding[], sourceKey: string): void {
  const { policy, loan } = ctx;
  const anomalies = findings.filter((f) => policy.anomalyFindings.includes(f));
  if (anomalies.length > 0) {
    const today = localDate(ctx.now, loan.timezone);
    const until = atLocalTime(addLocalMonths(today, policy.periodic.anomalyDurationMonths), policy.tasks.localTime, loan.timezone);
    if (!ctx.state.anomalyUntil || until > ctx.state.anomalyUntil) ctx.state.anomalyUntil = until;
    const soon = atLocalTime(addLocalDays(today, policy.periodic.anomalyIntervalDays), policy.tasks.localTime, loan.timezone);
    if (!ctx.state.nextPeriodicAt || soon < ctx.state.nextPeriodicAt) ctx.state.nextPeriodicAt = soon;
    ctx.record('ANOMALY_REPORTED', ctx.now, sourceKey, { findings: anomalies, followUpEveryDays: policy.periodic.anomalyIntervalDays, until });
  }
  const advanced = findings.filter((f) => policy.escalation.advancedFindings.includes(f));
  if (advanced.length > 0) {
    escalateTo(ctx, 'ADVANCED', `borrower finding: ${advanced.join(', ')}`);
    return;
  }
  const intermediate = findings.filter((f) => policy.escalation.intermediateFindings.includes(f));
  if (intermediate.length > 0) escalateTo(ctx, 'INTERMEDIATE', `borrower finding: ${intermediate.join(', ')}`);
}
