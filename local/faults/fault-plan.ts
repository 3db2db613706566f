// The seeded plan of a fault-injection run: which faults, how often, and when the runtime and DynamoDB Local go
// down. Every decision comes from the seed, so a run can be repeated.
import type { PacingRates } from '../../functions/pacing/send-pacer.js';
import { hashSeed, seededRandom } from '../world/seeded-random.js';

export interface FaultPlan {
  seed: number;
  /** Chance per call to SNS or SES that it fails with a throttling or a server error (half each). */
  senderErrorRate: number;
  /** Chance per message that the Lambda dies right after the provider took it, before the send is recorded. */
  crashAfterSendRate: number;
  /** DynamoDB Local: chance per request attempt of a throttling or server error (nothing applied), which the SDK retries. */
  dynamoErrorRate: number;
  /** DynamoDB Local: chance per request that every SDK attempt is throttled, so the error reaches the handler. */
  dynamoBurstRate: number;
  /**
   * DynamoDB Local: chance per request that it is applied but the answer is lost (a 500), so the SDK sends it
   * again and a conditional write finds its own write.
   */
  dynamoLostResponseRate: number;
  /**
   * In-memory store: chance per store call of what the DynamoDB store throws once the SDK's retries are spent
   * (TransientDependencyError, see functions/adapters/transient-dynamo-errors.ts), nothing applied.
   */
  storeErrorRate: number;
  /** In-memory store: chance per store call that it is applied and still ends in TransientDependencyError. */
  storeLostResponseRate: number;
  /** Chance per payment that the bank reports it twice (same paymentId): at once, or with the loan's next event. */
  paymentDuplicateRate: number;
  /** Chance per instalment that it is paid together with the next one and the later payment is reported first. */
  paymentOutOfOrderRate: number;
  /**
   * Injected failures a loan may take before one of its steps gets through. Two keeps every step inside the
   * attempts of the Retry that matches it (5 for TransientDependencyError, 3 for a Lambda timeout).
   */
  maxFailuresPerStep: number;
  /** Kill the local runtime once this share of the run's expected AdvanceLoan invocations has happened. */
  killRuntimeAt?: number;
  /** Stop DynamoDB Local and start it again on its data folder once this share has happened. */
  restartDynamoAt?: number;
  /**
   * The paced path's rates in every run of the plan (reference and faulted alike): slow enough that messages
   * wait for their slot, so the counters are throttled and crashed around like every other write.
   */
  pacing?: PacingRates;
}

export class FaultPlanError extends Error {
  override name = 'FaultPlanError';
}

export function checkPlan(plan: FaultPlan): FaultPlan {
  const rates = [
    'senderErrorRate',
    'crashAfterSendRate',
    'dynamoErrorRate',
    'dynamoBurstRate',
    'dynamoLostResponseRate',
    'storeErrorRate',
    'storeLostResponseRate',
    'paymentDuplicateRate',
    'paymentOutOfOrderRate',
  ] as const;
  for (const name of rates) {
    if (!(plan[name] >= 0 && plan[name] <= 1)) throw new FaultPlanError(`${name}: must be from 0 to 1, got ${plan[name]}`);
  }
  for (const name of ['killRuntimeAt', 'restartDynamoAt'] as const) {
    const at = plan[name];
    if (at !== undefined && !(at > 0 && at < 1)) throw new FaultPlanError(`${name}: must be between 0 and 1 (a share of the run), got ${at}`);
  }
  return plan;
}

/**
 * The plan's dice. `roll` depends only on the seed and what is asked about (a send key and its attempt, an
 * instalment), so the same operation gets the same answer however the loans interleave; `next` is a seeded
 * stream for requests that have no stable identity (DynamoDB requests).
 */
export class FaultDice {
  private readonly stream: () => number;

  constructor(private readonly seed: number) {
    this.stream = seededRandom(hashSeed(seed, 'dynamodb-requests'));
  }

  roll(kind: string, identity: string): number {
    return seededRandom(hashSeed(this.seed, `${kind}|${identity}`))();
  }

  next(): number {
    return this.stream();
  }
}

/**
 * Failures a loan has taken since one of its steps last got through: those injected, and those seen (an
 * injected fault shows up as a failed invocation a moment later; DynamoDB restarting fails steps nobody
 * injected into). While a loan is at the plan's maximum nothing more is injected into it, so every step ends
 * within its Retry's attempts.
 */
export class StepFaultBudget {
  private readonly injected = new Map<string, number>();
  private readonly failed = new Map<string, number>();

  constructor(private readonly max: number) {}

  allows(loanId: string | undefined): boolean {
    if (loanId === undefined) return false;
    return (this.injected.get(loanId) ?? 0) < this.max && (this.failed.get(loanId) ?? 0) < this.max;
  }

  spend(loanId: string): void {
    this.injected.set(loanId, (this.injected.get(loanId) ?? 0) + 1);
  }

  /** An invocation of the loan's workflow failed (the state machine retries it). */
  failure(loanId: string): void {
    this.failed.set(loanId, (this.failed.get(loanId) ?? 0) + 1);
  }

  /** A step of the loan got through. */
  recovered(loanId: string): void {
    this.injected.delete(loanId);
    this.failed.delete(loanId);
  }
}

/**
 * What `npm run test:faults` injects. Per call or request: 5% of SNS/SES calls throttled or failing, 2% of
 * messages followed by a Lambda crash, 2% of DynamoDB request attempts throttled or failing (retried by the
 * SDK), 0.2% of requests throttled past the SDK's retries (0.3% of store calls on the in-memory store), 5% of
 * payment notices sent twice, 4% of instalments paid in pairs and reported out of order; the runtime killed a
 * third of the way through, DynamoDB Local restarted at 70%.
 */
export const FAULT_SUITE_PLAN: FaultPlan = {
  seed: 11,
  senderErrorRate: 0.05,
  crashAfterSendRate: 0.02,
  dynamoErrorRate: 0.02,
  dynamoBurstRate: 0.002,
  dynamoLostResponseRate: 0.001,
  storeErrorRate: 0.003,
  storeLostResponseRate: 0.003,
  paymentDuplicateRate: 0.05,
  paymentOutOfOrderRate: 0.04,
  maxFailuresPerStep: 2,
  // One SMS and one email a minute for the whole book: loans whose messages fall in the same minute queue.
  pacing: { SMS: { identity: 'faults-sms', perSecond: 1 / 60 }, EMAIL: { identity: 'faults-email', perSecond: 1 / 60 } },
  killRuntimeAt: 0.35,
  restartDynamoAt: 0.7,
};
