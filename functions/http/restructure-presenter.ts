import type { Instalment } from '../../workflows/domain/types.js';
import type { RestructurePreview } from '../restructure-loan.js';

const major = (minor: number) => Math.round(minor) / 100;

const present = (i: Instalment) => ({
  seq: i.seq,
  dueDate: i.dueDate,
  amount: major(i.amount),
  principal: major(i.principal),
  interest: major(i.interest),
  paidAmount: major(i.paidAmount),
});

/**
 * A restructure as the API shows it, amounts in major units like the loan page: the whole schedule after the
 * plan (paid instalments as they were, then the new ones), the new instalments counted, and what they replace.
 */
export function presentRestructure(preview: RestructurePreview) {
  // The new instalments run from the first new due date; what the plan keeps (paid, or overdue and kept due) comes before.
  const isNew = (i: Instalment) => !i.paidAt && i.dueDate >= preview.firstDueDate;
  return {
    loanId: preview.loanId,
    fromVersion: preview.fromVersion,
    scheduleVersion: preview.scheduleVersion,
    plan: preview.plan,
    principal: major(preview.principal),
    annualRate: preview.annualRate,
    regularAmount: major(preview.regularAmount),
    firstDueDate: preview.firstDueDate,
    lastDueDate: preview.lastDueDate,
    instalments: preview.schedule.filter(isNew).length,
    schedule: preview.schedule.map((i) => ({ ...present(i), paid: Boolean(i.paidAt), new: isNew(i) })),
    replaced: preview.replaced.map(present),
  };
}
