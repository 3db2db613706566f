import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { loanLogger } from './middleware/loan-logger.js';

export type Handler<In, Out> = (event: In, context: Context) => Promise<Out>;

/**
 * Middleware first, handler last: every handler gets the same logging. Errors are not caught: every handler's
 * errors are failures, so Step Functions Retry/Catch can match them by name.
 */
export function withMiddleware<In, Out>(logger: Logger, handler: (event: In) => Promise<Out>): Handler<In, Out> {
  const middlewares: MiddlewareObj[] = [injectLambdaContext(logger, { resetKeys: true }) as MiddlewareObj, loanLogger(logger) as MiddlewareObj];
  return middy(async (event: In) => handler(event)).use(middlewares) as unknown as Handler<In, Out>;
}
