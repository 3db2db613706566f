import type { Logger } from '@aws-lambda-powertools/logger';
import { parseInput } from './parse-input.js';
import type { LoanStore, WorkflowControl } from './ports.js';
import { awaitEventSchema } from './schemas.js';
import { withMiddleware } from './with-middleware.js';

/**
 * State AwaitEvent (waitForTaskToken): parks the execution until its next step is due (the state's
 * TimeoutSecondsPath) or an event arrives. The token is stored before the inbox is read, so an event that
 * lands in between is seen by one side or the other.
 */
export function createAwaitEventHandler(ports: { store: LoanStore; workflow: WorkflowControl; logger: Logger }) {
  return withMiddleware(ports.logger, async (event: unknown): Promise<{ parked: boolean }> => {
    const input = parseInput(awaitEventSchema, event);
    const live = await ports.store.setWaitToken(input.loanId, input.generation, input.taskToken);
    if (!live) {
      // A newer generation owns the loan: wake this one at once so it ends.
      await ports.workflow.sendTaskSuccess(input.taskToken, { reason: 'EVENT' });
      return { parked: false };
    }
    const pending = await ports.store.listInbox(input.loanId);
    if (pending.length > 0) {
      await ports.workflow.sendTaskSuccess(input.taskToken, { reason: 'EVENT' });
      return { parked: false };
    }
    ports.logger.info('waiting', { wakeAt: input.wakeAt });
    return { parked: true };
  }, { caller: 'workflow' });
}
