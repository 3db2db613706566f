import { Logger } from '@aws-lambda-powertools/logger';
import type { PacingRates } from '../../functions/pacing/send-pacer.js';
import type { Clock, WorkflowControl } from '../../functions/ports.js';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { outboxSenders, type OutboxEntry } from '../../local/outbox-senders.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { testAuditSigner } from './test-audit-signer.js';
import { testPacer } from './test-pacer.js';
import { testUnsubscribeLinks } from './test-unsubscribe-links.js';

/** A workflow that starts nothing and wakes nobody: the handler tests drive each step themselves. */
export const idleWorkflow: WorkflowControl = {
  startExecution: async () => ({ executionArn: 'arn:local', alreadyRunning: false }),
  sendTaskSuccess: async () => 'STALE',
};

/**
 * Every port a handler can take, on the in-memory store, with messages landing in `outbox` and the time read
 * from `clock`: the one fixture the handler tests build their handlers from.
 */
export function inMemoryHandlerPorts(options: {
  clock: Clock;
  outbox: OutboxEntry[];
  pacing?: PacingRates;
  store?: MemoryLoanStore;
  workflow?: WorkflowControl;
}) {
  const policies = loadAllPolicies();
  return {
    store: options.store ?? new MemoryLoanStore(),
    clock: options.clock,
    logger: new Logger({ logLevel: 'SILENT' }),
    workflow: options.workflow ?? idleWorkflow,
    policies: (product: keyof typeof policies) => policies[product],
    unsubscribe: testUnsubscribeLinks(),
    auditSigner: testAuditSigner(),
    pacer: testPacer(options.pacing),
    ...outboxSenders({ append: (e) => void options.outbox.push(e) }, options.clock),
  };
}
