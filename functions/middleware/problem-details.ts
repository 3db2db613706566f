import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ClientError } from '../errors.js';
import { problemOf, PROBLEM_CONTENT_TYPE } from '../http/problem-details.js';

/**
 * The HTTP error contract: an error below 500 becomes RFC 9457 problem details naming the field; anything else
 * is logged and answered with a bare 500, so no internal detail reaches the caller.
 */
export function problemDetails(logger: Logger): MiddlewareObj<{ rawPath?: string }, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const error = request.error;
      const problem = problemOf(error, request.event?.rawPath ?? '');
      if (!(error instanceof ClientError && error.statusCode < 500)) logger.error('request failed', { error: error as Error });
      else logger.info('request refused', { status: problem.status, type: problem.type, fields: problem.errors.map((e) => e.field) });
      request.response = {
        statusCode: problem.status,
        headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
        body: JSON.stringify(problem),
      };
    },
  };
}
