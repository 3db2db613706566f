import type { Logger } from '@aws-lambda-powertools/logger';
import type { MiddlewareObj } from '@middy/core';

/** Puts the loan id (and nothing personal) on every log line of the invocation. */
export function loanLogger(logger: Logger): MiddlewareObj<unknown, unknown> {
  return {
    before: async (request) => {
      const event = request.event as { loanId?: unknown; taskId?: unknown } | null;
      const loanId = typeof event?.loanId === 'string' ? event.loanId : typeof event?.taskId === 'string' ? event.taskId.split('.')[0] : undefined;
      logger.resetKeys();
      if (loanId) logger.appendKeys({ loanId });
    },
  };
}
