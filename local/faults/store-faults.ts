// The in-memory store as DynamoDB would misbehave behind it: what DynamoLoanStore throws once the SDK's retries
// are spent (TransientDependencyError, see functions/adapters/transient-dynamo-errors.ts), with nothing applied
// (throttled) or, when the plan asks for it, after the write landed (the answer lost).
import { TransientDependencyError } from '../../functions/errors.js';
import type { LoanStore } from '../../functions/ports.js';
import type { FaultDice, FaultPlan, StepFaultBudget } from './fault-plan.js';
import type { FaultLedger } from './fault-ledger.js';
import { loanIdOfTask } from '../../workflows/domain/types.js';

export interface StoreFaultContext {
  plan: FaultPlan;
  dice: FaultDice;
  ledger: FaultLedger;
  budget: StepFaultBudget;
  active: () => boolean;
}

/** Store methods whose first argument is not a loan id, and how to find the loan they touch. */
const LOAN_OF: Record<string, (args: unknown[]) => string | undefined> = {
  createLoan: (args) => (args[0] as { loan?: { loanId?: string } })?.loan?.loanId,
  getTask: (args) => taskLoan(args[0]),
  getTaskAndLoan: (args) => taskLoan(args[0]),
  recordCallAttempt: (args) => taskLoan((args[0] as { taskId?: unknown } | undefined)?.taskId),
  putLegalCase: (args) => (args[0] as { loanId?: string })?.loanId,
  appendTimeline: (args) => (args[0] as { loanId?: string }[] | undefined)?.[0]?.loanId,
};

const taskLoan = (taskId: unknown) => (typeof taskId === 'string' ? loanIdOfTask(taskId) : undefined);

export function faultyStore(store: LoanStore, context: StoreFaultContext): LoanStore {
  return new Proxy(store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const name = String(property);
      return async (...args: unknown[]) => {
        const loanId = LOAN_OF[name]?.(args) ?? (typeof args[0] === 'string' && !args[0].includes('.') ? args[0] : undefined);
        const roll = context.active() && context.budget.allows(loanId) ? context.dice.next() : 1;
        const { storeErrorRate, storeLostResponseRate } = context.plan;
        if (roll >= storeErrorRate + storeLostResponseRate) return value.apply(target, args);
        context.budget.spend(loanId!);
        const applied = roll >= storeErrorRate;
        context.ledger.inject(applied ? 'store-lost-response' : 'store-throttled');
        if (applied) await value.apply(target, args);
        throw new TransientDependencyError(
          applied
            ? 'InternalServerError: applied, then the answer was lost (injected)'
            : 'ProvisionedThroughputExceededException: throughput exceeded (injected)',
        );
      };
    },
  });
}
