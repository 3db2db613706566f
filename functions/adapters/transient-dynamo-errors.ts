import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { asTransient } from './transient-errors.js';

/**
 * Throttling, server and connection errors that outlast the SDK's own retries reach the handler as
 * TransientDependencyError, which the state machine retries with backoff, instead of under their own names
 * (ProvisionedThroughputExceededException, ECONNREFUSED, ...), which no Retry matches and which would flag the
 * loan and fail its execution. Outermost on the stack, so the SDK has retried first; conditional-check and
 * validation errors pass through unchanged.
 */
export function retryDynamoErrorsAsTransient(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw asTransient(error);
      }
    },
    { step: 'initialize', priority: 'high', name: 'retryDynamoErrorsAsTransient', override: true },
  );
}
