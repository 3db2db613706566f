// DynamoDB throttling and server errors on the wire: an SDK middleware inside the SDK's retry loop, so the
// SDK retries what it would retry from the real service, and what outlasts its attempts reaches the store.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FaultDice, FaultPlan, StepFaultBudget } from './fault-plan.js';
import type { FaultLedger } from './fault-ledger.js';
import { dynamoError } from './sdk-shaped-errors.js';

export interface DynamoFaultContext {
  plan: FaultPlan;
  dice: FaultDice;
  ledger: FaultLedger;
  budget: StepFaultBudget;
  active: () => boolean;
}

/** The SDK numbers its attempts in this header (`attempt=2; max=3`). */
const ATTEMPT_HEADER = 'amz-sdk-request';

export function injectDynamoFaults(client: DynamoDBDocumentClient, context: DynamoFaultContext): void {
  // What happens to a request, decided on its first attempt (keyed by the request's input, the same object on
  // every attempt): every attempt throttled, or the first applied and its answer lost, or neither.
  const fates = new WeakMap<object, 'burst' | 'lost-response' | 'none'>();
  client.middlewareStack.add(
    (next) => async (args) => {
      const { attempt, max } = attemptOf((args.request as { headers?: Record<string, string> } | undefined)?.headers?.[ATTEMPT_HEADER]);
      if (attempt > 1) context.ledger.sdkRetries += 1;
      if (!context.active()) return next(args);
      const input = args.input as object;
      let fate = fates.get(input);
      if (fate === undefined) {
        fate = 'none';
        const loanId = loanOf(input);
        if (context.budget.allows(loanId)) {
          const roll = context.dice.next();
          if (roll < context.plan.dynamoBurstRate) fate = 'burst';
          else if (roll < context.plan.dynamoBurstRate + context.plan.dynamoLostResponseRate) fate = 'lost-response';
        }
        if (fate !== 'none') {
          context.budget.spend(loanId!);
          context.ledger.inject(fate === 'burst' ? 'dynamodb-beyond-sdk' : 'dynamodb-lost-response');
        }
        fates.set(input, fate);
      }
      if (fate === 'burst') throw dynamoError('throttled', attempt);
      if (fate === 'lost-response' && attempt === 1) {
        await next(args);
        throw dynamoError('server-error', attempt);
      }
      // A failed attempt that applied nothing, which the SDK retries; never the last one, which would reach the handler.
      if (attempt >= max || context.dice.next() >= context.plan.dynamoErrorRate) return next(args);
      const fault = context.dice.next() < 0.5 ? 'throttled' : 'server-error';
      context.ledger.inject(fault === 'throttled' ? 'dynamodb-throttled' : 'dynamodb-server-error');
      throw dynamoError(fault, attempt);
    },
    // Inside the SDK's retry middleware (finalizeRequest, high priority), before the request is signed and sent.
    { step: 'finalizeRequest', priority: 'low', name: 'injectDynamoFaults', override: true },
  );
}

function attemptOf(header: string | undefined): { attempt: number; max: number } {
  const match = /attempt=(\d+);\s*max=(\d+)/.exec(header ?? '');
  return match ? { attempt: Number(match[1]), max: Number(match[2]) } : { attempt: 1, max: 1 };
}

/** The loan a request touches: every item of a loan lives in partition `LOAN#<loanId>`. */
function loanOf(input: object): string | undefined {
  return /"LOAN#([A-Za-z0-9_-]+)"/.exec(JSON.stringify(input))?.[1];
}
