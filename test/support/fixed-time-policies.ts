import { atFixedTimes, spreadForLoan } from '../../workflows/domain/rules/spreading.js';
import type { Product } from '../../workflows/domain/types.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import type { FollowUpPolicy } from '../../workflows/policy/policy-schema.js';

/**
 * The shipped policies with their spreading windows closed (atFixedTimes): the rules' own tests read times off
 * the policy; spreading is tested on its own (test/domain/spreading.test.ts) and runs in the simulations.
 */
export function fixedTimePolicies(): Record<Product, FollowUpPolicy> {
  const all = loadAllPolicies();
  return Object.fromEntries(Object.entries(all).map(([product, policy]) => [product, atFixedTimes(policy)])) as Record<Product, FollowUpPolicy>;
}

/** A loan's own local times under the shipped policy of its product: when its tasks are queued and its messages go. */
export function spreadTimesOf(product: Product, loanId: string): { task: string; send: string } {
  const policy = spreadForLoan(loadAllPolicies()[product], loanId);
  return { task: policy.tasks.localTime, send: policy.reminders.localTime };
}
