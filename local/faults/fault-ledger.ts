// What a fault-injection run did and what the system did about it, counted as it happens.

export const FAULT_KINDS = {
  'sms-throttled': 'SNS throttling (SMS)',
  'sms-server-error': 'SNS server error (SMS)',
  'email-throttled': 'SES throttling (email)',
  'email-server-error': 'SES server error (email)',
  'team-throttled': 'SNS throttling (team topic)',
  'team-server-error': 'SNS server error (team topic)',
  'crash-after-send': 'Lambda crash after the send, before recording it',
  'dynamodb-throttled': 'DynamoDB throttling (retried by the SDK)',
  'dynamodb-server-error': 'DynamoDB server error (retried by the SDK)',
  'dynamodb-beyond-sdk': 'DynamoDB throttling outlasting the SDK retries',
  'dynamodb-lost-response': 'DynamoDB write applied, answer lost (500)',
  'store-throttled': 'store throttling outlasting the SDK retries',
  'store-lost-response': 'store write applied, then TransientDependencyError',
  'payment-duplicate': 'payment reported twice (same paymentId)',
  'payment-out-of-order': 'payments reported out of order',
  'runtime-killed': 'local runtime killed mid-run, restarted on its data',
  'dynamodb-restarted': 'DynamoDB Local stopped mid-run, restarted on its data',
} as const;

export type FaultKind = keyof typeof FAULT_KINDS;

export class FaultLedger {
  readonly injected = new Map<FaultKind, number>();
  /** Invocations the state machine retried, by `<state>: <error>`. */
  readonly stateMachineRetries = new Map<string, number>();
  /** DynamoDB request attempts after the first, made by the SDK itself. */
  sdkRetries = 0;
  /** Calls the bank and the agents made again after an error (their client's retries), by error. */
  readonly clientRetries = new Map<string, number>();
  /** Sends whose key was already SENT: a retried step did not send again. */
  alreadySent = 0;
  /** In-doubt sends (claimed, never recorded) found accepted by the provider and recorded, not sent again. */
  inDoubtReconciled = 0;
  /** In-doubt sends the provider never took, sent by the retry. */
  inDoubtResent = 0;

  inject(kind: FaultKind): void {
    bump(this.injected, kind);
  }

  stateMachineRetry(state: string, error: string): void {
    bump(this.stateMachineRetries, `${state}: ${error}`);
  }

  clientRetry(error: string): void {
    bump(this.clientRetries, error);
  }

  totalInjected(): number {
    return sum(this.injected);
  }

  totalRetries(): number {
    return sum(this.stateMachineRetries) + this.sdkRetries + sum(this.clientRetries);
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sum(map: Map<unknown, number>): number {
  let total = 0;
  for (const n of map.values()) total += n;
  return total;
}
