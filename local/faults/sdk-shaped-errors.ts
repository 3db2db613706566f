// The errors the AWS SDKs raise when a service throttles or fails, built from the SDKs' own exception classes
// so they carry the same name, $fault and $metadata as the real thing.
import { InternalServerError, ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import { InternalServiceErrorException, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { InternalErrorException, SNSServiceException, ThrottledException } from '@aws-sdk/client-sns';

export type ServiceFault = 'throttled' | 'server-error';

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'injected-fault', attempts: 1, totalRetryDelay: 0 });

/** SNS Publish: `Throttling` (SMS rate exceeded, unmodeled) or ThrottledException, and InternalErrorException. */
export function snsError(fault: ServiceFault, variant: number): Error {
  if (fault === 'server-error') return new InternalErrorException({ message: 'Internal error (injected)', $metadata: metadata(500) });
  if (variant % 2 === 0) return new ThrottledException({ message: 'Rate exceeded (injected)', $metadata: metadata(400) });
  return new SNSServiceException({ name: 'Throttling', $fault: 'client', message: 'Rate exceeded (injected)', $metadata: metadata(400) });
}

/** SES v2 SendEmail: TooManyRequestsException (429) and InternalServiceErrorException (500). */
export function sesError(fault: ServiceFault): Error {
  return fault === 'server-error'
    ? new InternalServiceErrorException({ message: 'Internal service error (injected)', $metadata: metadata(500) })
    : new TooManyRequestsException({ message: 'Maximum sending rate exceeded (injected)', $metadata: metadata(429) });
}

/** DynamoDB: ProvisionedThroughputExceededException / ThrottlingException (400) and InternalServerError (500). */
export function dynamoError(fault: ServiceFault, variant: number): Error {
  if (fault === 'server-error') return new InternalServerError({ message: 'Internal server error (injected)', $metadata: metadata(500) });
  return variant % 2 === 0
    ? new ProvisionedThroughputExceededException({
        message: 'The level of configured provisioned throughput for the table was exceeded (injected)',
        $metadata: metadata(400),
      })
    : new ThrottlingException({ message: 'Throughput exceeds the current capacity of your table or index (injected)', $metadata: metadata(400) });
}

/**
 * What Step Functions reports for a Lambda that ran out of time or died mid-invocation: `Sandbox.Timedout`, or
 * `Lambda.Unknown` (out of memory, older runtimes). The state machine retries AdvanceLoan on both.
 */
export function lambdaCrash(variant: number): Error {
  const error = new Error(variant % 2 === 0 ? 'Task timed out after 30.00 seconds (injected)' : 'The function died before it returned (injected)');
  error.name = variant % 2 === 0 ? 'Sandbox.Timedout' : 'Lambda.Unknown';
  return error;
}
