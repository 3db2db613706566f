import type { Logger } from '@aws-lambda-powertools/logger';
import type { Clock, LoanStore, PolicySource, WorkflowControl } from '../ports.js';
import type { UnsubscribeLinks } from '../unsubscribe/unsubscribe-links.js';

/** What the operations API's handlers need; each route takes the part it uses. */
export interface ApiPorts {
  store: LoanStore;
  workflow: WorkflowControl;
  clock: Clock;
  logger: Logger;
  policies: PolicySource;
  /** Checks the MAC of the unsubscribe link under every email. */
  unsubscribe?: UnsubscribeLinks;
  /** Pacing of StartExecution calls during an import (wall time, not the loans' clocks). */
  pacing?: Pacing;
}

export interface Pacing {
  startsPerSecond: number;
  sleep(ms: number): Promise<void>;
  /** Monotonic milliseconds. */
  now(): number;
}

/**
 * Standard workflows refill StartExecution tokens at 150 a second in most regions (300 in the largest) from a
 * bucket of 800 (1,300); imports stay well below so onboarding, hand-overs and other callers keep their share.
 */
export const DEFAULT_STARTS_PER_SECOND = 50;

export const realPacing = (startsPerSecond = DEFAULT_STARTS_PER_SECOND): Pacing => ({
  startsPerSecond,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => performance.now(),
});
