// One table holds every loan's state. Shared by the CDK construct and the local DynamoDB set-up so both
// create exactly the same keys and index.
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Open work queue: gsi1pk = QUEUE#<queue>, gsi1sk = zero-padded inverse priority + due time. */
  queueIndex: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Epoch seconds after which idempotency markers may be deleted. */
  ttlAttribute: 'expiresAt',
} as const;
