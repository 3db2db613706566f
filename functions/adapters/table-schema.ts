// One table holds every loan's state. Shared by the CDK construct and the local DynamoDB set-up so both
// create exactly the same keys and index.
import type { CallbackTask } from '../../workflows/domain/types.js';

/**
 * Every top-level attribute a task item may carry: the CallbackTask fields (the `satisfies` makes tsc name a
 * field added to the type and missing here) and what recordCallAttempt sets on an open task.
 */
const TASK_FIELDS = {
  taskId: true,
  loanId: true,
  purpose: true,
  priority: true,
  queue: true,
  status: true,
  createdAt: true,
  dueBy: true,
  heldUntil: true,
  requeues: true,
  outcome: true,
  findings: true,
  completedAt: true,
  attempts: true,
  decision: true,
  requestIds: true,
  adHoc: true,
  requestedBy: true,
  note: true,
} as const satisfies Record<keyof CallbackTask, true>;
export const TASK_ATTRIBUTES: readonly string[] = [...Object.keys(TASK_FIELDS), 'completedBy', 'lastAttemptAt', 'lastAttemptBy', 'notes', 'promise'];

/** A legal case's item carries the few fields the referral list shows (LegalReferral) beside its package. */
export const REFERRAL_ATTRIBUTE = 'referral';

/**
 * What the work queue reads of a loan (LoanStore.getQueueView): the record's `loan` and `state` and the
 * instalments' fields. The agents' queue role may read no other attribute of the table (no contact, no case
 * package, no timeline).
 */
export const QUEUE_VIEW_ATTRIBUTES: readonly string[] = ['loan', 'state', 'seq', 'dueDate', 'principal', 'interest', 'amount', 'paidAmount', 'paidAt'];

export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /**
   * Open work queue: gsi1pk = QUEUE#OPEN, gsi1sk = zero-padded inverse priority + due time; legal referrals:
   * gsi1pk = REFERRALS. Projects the task fields and the referral summary only: never a case package, a
   * contact or a timeline. (DynamoDB Local's set-up, local/dynamodb-local.ts, still projects ALL, a
   * superset; test/infra/table-footprint.test.ts runs the queue and referral reads on this projection.)
   */
  queueIndex: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', nonKeyAttributes: [...TASK_ATTRIBUTES, REFERRAL_ATTRIBUTE] as readonly string[] },
  /** Epoch seconds after which idempotency markers may be deleted. */
  ttlAttribute: 'expiresAt',
} as const;
