import type { Logger } from '@aws-lambda-powertools/logger';
import { parseInput } from './parse-input.js';
import type { LoanStore, WorkflowControl } from './ports.js';
import { awaitEventSchema } from './schemas.js';
import { withMiddleware } from './with-middleware.js';

/**
 * State AwaitEvent (waitForTaskToken): parks the execution until its next step is due (the state's
 * TimeoutSecondsPath) or an event arrives. The token is stored before the inbox is looked at, so an event that
 * lands in between is seen by one side or the other: the inbox is read only when the loan's record counts
 * events no step has consumed.
 */
export function createAwaitEventHandler(ports: { store: Pick<LoanStore, 'listInbox' | 'setWaitToken'>; workflow: WorkflowControl; logger: Logger }) {
  return withMiddleware(ports.logger, async (event: unknown): Promise<{ parked: boolean }> => {
    const input = parseInput(awaitEventSchema, event);
    const wait = await ports.store.setWaitToken(input.loanId, input.generation, input.taskToken);
    if (wait === 'STALE') {
      // A newer generation owns the loan: wake this one at once so it ends.
      await ports.workflow.sendTaskSuccess(input.taskToken, { reason: 'EVENT' });
      return { parked: false };
    }
    // Events that came in while the step ran found no token to wake: they are counted on the loan's record.
    if (wait === 'EVENTS_PENDING' && (await ports.store.listInbox(input.loanId)).length > 0) {
      await ports.workflow.sendTaskSuccess(input.taskToken, { reason: 'EVENT' });
      return { parked: false };
    }
    ports.logger.info('waiting', { wakeAt: input.wakeAt });
    return { parked: true };
  });
}
