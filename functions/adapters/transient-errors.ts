import { TransientDependencyError } from '../errors.js';

/** Throttling and server-side names across SNS, SES and DynamoDB (what the SDKs' own retries treat as throttling). */
const TRANSIENT = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'InternalErrorException',
  'InternalError',
  'InternalServerError',
  'ServiceUnavailable',
  'KMSThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TimeoutError',
  'RequestTimeout',
]);

/** Connection errors: the service did not answer (DynamoDB restarting, a dropped keep-alive socket). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** Reasons of a cancelled DynamoDB transaction that clear up on their own. */
const TRANSIENT_CANCELLATIONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

/** Marks throttling, server and connection errors so the state machine's Retry on TransientDependencyError applies. */
export function asTransient(error: unknown): unknown {
  if (error instanceof TransientDependencyError) return error;
  const e = error as { name?: string; code?: string; $fault?: string; message?: string; CancellationReasons?: { Code?: string }[] };
  if (!e) return error;
  if (TRANSIENT.has(e.name ?? '') || e.$fault === 'server' || NETWORK_CODES.has(e.code ?? '') || transientCancellation(e.CancellationReasons)) {
    return new TransientDependencyError(`${e.name}${e.code ? ` ${e.code}` : ''}: ${e.message ?? ''}`);
  }
  return error;
}

/** A transaction cancelled only for throttling or a conflicting transaction (never for a failed condition). */
function transientCancellation(reasons: { Code?: string }[] | undefined): boolean {
  if (!reasons?.length) return false;
  const codes = reasons.map((r) => r.Code ?? 'None').filter((code) => code !== 'None');
  return codes.length > 0 && codes.every((code) => TRANSIENT_CANCELLATIONS.has(code));
}
