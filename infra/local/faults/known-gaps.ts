// Where the product is known not to survive a fault yet, so the suite does not inject one there. Each gap is
// pinned by a test that fails the day it is fixed (test/faults/known-gaps.test.ts): then delete it here.
import type { LoanStore } from '../../../functions/ports.js';

/**
 * record-callback-outcome writes twice: the task's outcome (a conditional update), then the event in the loan's
 * inbox. A failure in between (a throttle outlasting the SDK, a lost answer, a crash) leaves the outcome on the
 * task and nothing in the inbox; the agent's retry is refused (409, already answered) or, for a call not
 * answered, counted as a second attempt. Either way the loan's history loses or doubles the call. From the
 * outcome's update until the inbox event is in and the loan woken, the loan gets no injected fault, and the
 * runtime is not killed nor DynamoDB Local stopped while any loan is in between.
 */
export class CallOutcomeWindow {
  private readonly open = new Map<string, number>();

  covers(loanId: string | undefined): boolean {
    return loanId !== undefined && (this.open.get(loanId) ?? 0) > 0;
  }

  /** Whether any loan is between the two writes now (the runtime is not killed, DynamoDB not stopped, then). */
  anyOpen(): boolean {
    return this.open.size > 0;
  }

  /** The store the API handlers use, telling the window when an outcome is recorded and its event delivered. */
  watch(store: LoanStore): LoanStore {
    return new Proxy(store, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (property === 'recordTaskOutcome') {
          return (taskId: string, ...rest: unknown[]) => {
            const loanId = taskId.split('.')[0]!;
            this.open.set(loanId, (this.open.get(loanId) ?? 0) + 1);
            return (value as (...args: unknown[]) => Promise<unknown>).apply(target, [taskId, ...rest]).catch((error: unknown) => {
              this.close(loanId);
              throw error;
            });
          };
        }
        if (property === 'appendInbox') {
          return (loanId: string, ...rest: unknown[]) =>
            (value as (...args: unknown[]) => Promise<void>).apply(target, [loanId, ...rest]).catch((error: unknown) => {
              this.close(loanId);
              throw error;
            });
        }
        // The last store call of deliverEvent: the event is in the inbox, the token read.
        if (property === 'getWaitToken') {
          return (loanId: string) =>
            (value as (loanId: string) => Promise<string | undefined>).call(target, loanId).finally(() => this.close(loanId));
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  private close(loanId: string): void {
    const n = (this.open.get(loanId) ?? 0) - 1;
    if (n > 0) this.open.set(loanId, n);
    else this.open.delete(loanId);
  }
}
