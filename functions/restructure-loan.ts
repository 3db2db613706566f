import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { localDate } from '../workflows/domain/local-time.js';
import { planProblems, restructuredSchedule, type RestructurePlan } from '../workflows/domain/restructure.js';
import { deliverEvent, type DeliveryStore } from './deliver-event.js';
import { LoanNotFoundError, RestructureNotAllowedError, ValidationError } from './errors.js';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, PolicySource, WorkflowControl } from './ports.js';
import type { TimelineEvent } from '../workflows/domain/follow-up-state.js';
import type { Instalment } from '../workflows/domain/types.js';
import { restructureSchema } from './schemas.js';

type Ports = { store: DeliveryStore & Pick<LoanStore, 'getSnapshot' | 'listTimeline'>; clock: Clock; policies: PolicySource };

/** The schedule a plan gives (minor units), as the preview shows it and the commit agrees it. */
export interface RestructurePreview {
  loanId: string;
  fromVersion: number;
  scheduleVersion: number;
  plan: RestructurePlan;
  principal: number;
  annualRate: number;
  regularAmount: number;
  firstDueDate: string;
  lastDueDate: string;
  schedule: Instalment[];
  replaced: Instalment[];
}

/** Problems that come from the loan's state rather than the plan's numbers: a conflict, not bad input. */
const STATE_FIELDS = ['loanId', 'plan'];

/**
 * Checks a plan against the loan and its policy and works out the schedule it gives: what the preview shows the
 * officer and what committing it agrees. Writes nothing.
 */
async function readLoan(ports: Ports, event: unknown) {
  const input = parseInput(restructureSchema, event);
  const snapshot = await ports.store.getSnapshot(input.loanId);
  if (!snapshot) throw new LoanNotFoundError(input.loanId);
  const now = ports.clock(input.loanId).toISOString();
  const plan: RestructurePlan = { extendMonths: input.extendMonths, annualRate: input.annualRate, graceMonths: input.graceMonths, arrears: input.arrears };
  return { input, snapshot, now, plan };
}

function plannedSchedule(ports: Ports, { snapshot, now, plan, input }: Awaited<ReturnType<typeof readLoan>>): RestructurePreview {
  const today = localDate(now, snapshot.loan.timezone);
  const problems = planProblems(plan, snapshot.loan, snapshot.state, snapshot.instalments, today, ports.policies(snapshot.loan.product));
  const conflict = problems.find((p) => STATE_FIELDS.includes(p.field));
  if (conflict) throw new RestructureNotAllowedError(conflict.field, conflict.reason);
  if (problems.length > 0) throw new ValidationError(problems);
  const outcome = restructuredSchedule(snapshot.loan, snapshot.state, snapshot.instalments, plan, today);
  const fromVersion = snapshot.state.restructuring?.version ?? 1;
  return {
    loanId: input.loanId,
    fromVersion,
    scheduleVersion: fromVersion + 1,
    plan,
    principal: outcome.principal,
    annualRate: outcome.annualRate,
    regularAmount: outcome.regularAmount,
    firstDueDate: outcome.firstDueDate,
    lastDueDate: outcome.lastDueDate,
    schedule: outcome.instalments,
    replaced: outcome.replaced,
  };
}

/** POST /api/loans/{id}/restructure/preview: the schedule a plan would give, nothing written. */
export function previewRestructure(ports: Ports) {
  return async (event: unknown) => plannedSchedule(ports, await readLoan(ports, event));
}

/**
 * POST /api/loans/{id}/restructure: the plan, checked and previewed as above, goes to the loan's inbox and wakes
 * its execution, which replaces the schedule (RESTRUCTURED) in its next step.
 */
export function restructureLoan(ports: Ports & { workflow: WorkflowControl; logger: Logger }) {
  return async (event: unknown): Promise<RestructurePreview & { eventId: string; delivery: 'WOKEN' | 'QUEUED'; replayed?: true }> => {
    const read = await readLoan(ports, event);
    const { input, now, plan, snapshot } = read;
    const eventId = `RESTRUCTURE-${
      input.requestId ??
      createHash('sha256')
        .update(`${input.loanId}|${JSON.stringify(plan)}|${localDate(now, 'UTC')}`)
        .digest('hex')
        .slice(0, 16)
    }`;
    // Sent again after the loan applied it (a lost answer): answered as the first was, nothing agreed twice.
    if (snapshot.state.done.includes(`EVENT:${eventId}`)) {
      const applied = (await ports.store.listTimeline(input.loanId)).find((e) => e.key === `RESTRUCTURED:${eventId}`);
      if (applied) {
        ports.logger.info('restructure already applied for this request: replayed', { eventId });
        return { ...previewOfRecord(input.loanId, applied, snapshot.instalments), eventId, delivery: 'QUEUED', replayed: true };
      }
    }
    const preview = plannedSchedule(ports, read);
    const delivery = await deliverEvent(ports, input.loanId, { type: 'RESTRUCTURE_AGREED', eventId, at: now, plan, by: input.by });
    return { ...preview, eventId, delivery };
  };
}

/** The preview a RESTRUCTURED record stands for, with the schedule as the loan now has it. */
function previewOfRecord(loanId: string, record: TimelineEvent, schedule: Instalment[]): RestructurePreview {
  const r = record as TimelineEvent & Omit<RestructurePreview, 'loanId' | 'schedule' | 'scheduleVersion'> & { toVersion: number };
  return {
    loanId,
    fromVersion: r.fromVersion,
    scheduleVersion: r.toVersion,
    plan: r.plan,
    principal: r.principal,
    annualRate: r.annualRate,
    regularAmount: r.regularAmount,
    firstDueDate: r.firstDueDate,
    lastDueDate: r.lastDueDate,
    schedule,
    replaced: r.replaced,
  };
}
