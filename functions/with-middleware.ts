import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { exposeClientErrors } from './middleware/expose-client-errors.js';
import { loanLogger } from './middleware/loan-logger.js';

export type Handler<In, Out> = (event: In, context: Context) => Promise<Out>;

/** Middleware first, handler last: every handler gets the same logging and error exposure. */
export function withMiddleware<In, Out>(
  logger: Logger,
  handler: (event: In) => Promise<Out>,
  options: { caller: 'api' | 'workflow' } = { caller: 'api' },
): Handler<In, Out> {
  // Step Functions must see every error as a failure so Retry/Catch can match its name.
  const middlewares: MiddlewareObj[] = [injectLambdaContext(logger, { resetKeys: true }) as MiddlewareObj, loanLogger(logger) as MiddlewareObj];
  if (options.caller === 'api') middlewares.push(exposeClientErrors() as MiddlewareObj);
  return middy(async (event: In) => handler(event)).use(middlewares) as unknown as Handler<In, Out>;
}
