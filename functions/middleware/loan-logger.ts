import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';
import { loanIdOfTask } from '../../workflows/domain/types.js';

/** Puts the loan id (and nothing personal) on every log line of the invocation. */
export function loanLogger(logger: Logger): MiddlewareObj<unknown, unknown> {
  return {
    before: async (request) => {
      const event = request.event as { loanId?: unknown; taskId?: unknown } | null;
      const loanId = typeof event?.loanId === 'string' ? event.loanId : typeof event?.taskId === 'string' ? loanIdOfTask(event.taskId) : undefined;
      logger.resetKeys();
      if (loanId) logger.appendKeys({ loanId });
    },
  };
}
