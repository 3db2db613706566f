import { TransientDependencyError } from '../errors.js';

const TRANSIENT = new Set(['ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'InternalErrorException', 'InternalError', 'ServiceUnavailable', 'KMSThrottlingException']);

/** Marks throttling and server errors so the state machine's Retry on TransientDependencyError applies. */
export function asTransient(error: unknown): unknown {
  const e = error as { name?: string; $fault?: string; message?: string };
  if (e && (TRANSIENT.has(e.name ?? '') || e.$fault === 'server')) {
    return new TransientDependencyError(`${e.name}: ${e.message ?? ''}`);
  }
  return error;
}
