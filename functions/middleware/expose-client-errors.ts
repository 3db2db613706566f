import type { MiddlewareObj } from '@middy/core';
import { ClientError } from '../errors.js';

export interface ErrorResponse {
  error: { name: string; statusCode: number; message: string; field?: string };
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
          error: { name: error.name, statusCode: error.statusCode, message: error.message, ...(error.field ? { field: error.field } : {}) },
        };
        request.response = body;
        return;
      }
      throw error;
    },
  };
}
