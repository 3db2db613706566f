import type { MiddlewareObj } from '@middy/core';
import { ClientError } from '../errors.js';

export interface ErrorResponse {
  error: { name: string; statusCode: number; message: string; field?: string; extensions?: Record<string, unknown> };
}

/**
 * Errors below 500 are the caller's to fix and are returned as data; anything else is rethrown so Lambda
 * and Step Functions see a failure (and retry it) without internal details reaching callers.
 */
export function exposeClientErrors(): MiddlewareObj<unknown, unknown> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof ClientError && error.statusCode < 500) {
        const body: ErrorResponse = {
          error: {
            name: error.name,
            statusCode: error.statusCode,
            message: error.message,
            ...(error.field ? { field: error.field } : {}),
            ...(extensionsOf(error) ? { extensions: extensionsOf(error) } : {}),
          },
        };
        request.response = body;
        return;
      }
      throw error;
    },
  };
}

/** Extra members some client errors carry (RFC 9457 extensions), e.g. when a blocked call is allowed again. */
export function extensionsOf(error: ClientError): Record<string, unknown> | undefined {
  return (error as ClientError & { extensions?: Record<string, unknown> }).extensions;
}
