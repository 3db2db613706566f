import type { Logger } from '@aws-lambda-powertools/logger';
import { chainEvents, GENESIS } from '../workflows/audit/hash-chain.js';
import { advanceFollowUp } from '../workflows/domain/advance-follow-up.js';
import { secondsBetween } from '../workflows/domain/local-time.js';
import type { AdvanceOutput } from '../workflows/execution-contract.js';
import { LoanNotFoundError } from './errors.js';
import { parseInput } from './parse-input.js';
import { performEffects, type EffectPorts } from './perform-effects.js';
import type { Clock, PolicySource } from './ports.js';
import { executionInputSchema } from './schemas.js';
import { withMiddleware } from './with-middleware.js';

export interface AdvanceLoanPorts extends EffectPorts {
  clock: Clock;
  policies: PolicySource;
  logger: Logger;
}

/** State AdvanceLoan: one step of the loan's follow-up (see workflows/domain/advance-follow-up.ts). */
export function createAdvanceLoanHandler(ports: AdvanceLoanPorts) {
  return withMiddleware(ports.logger, async (event: unknown): Promise<AdvanceOutput> => {
    const input = parseInput(executionInputSchema, event);
    const now = ports.clock(input.loanId).toISOString();
    const snapshot = await ports.store.getSnapshot(input.loanId);
    if (!snapshot) throw new LoanNotFoundError(input.loanId);
    const events = await ports.store.listInbox(input.loanId);
    const decision = advanceFollowUp({ snapshot, events, now, generation: input.generation, iteration: input.iteration }, ports.policies(snapshot.loan.product));
    const stats = await performEffects(ports, snapshot.loan, decision, now);
    // Every record of the step joins the loan's hash chain; the head is committed with the state.
    const chained = chainEvents(snapshot.state.auditHead ?? GENESIS, decision.timeline);
    decision.timeline = chained.events;
    decision.state.auditHead = chained.head;
    await ports.store.commitDecision(input.loanId, snapshot.version, decision, events.map((e) => e.eventId));
    ports.logger.info('advanced', {
      action: decision.action,
      wakeAt: decision.wakeAt,
      effects: decision.effects.length,
      events: events.length,
      duplicatesPrevented: stats.duplicatesPrevented,
    });
    return {
      loanId: input.loanId,
      generation: input.generation,
      iteration: input.iteration + 1,
      action: decision.action,
      wakeAt: decision.wakeAt,
      waitSeconds: decision.wakeAt ? Math.max(1, Math.ceil(secondsBetween(now, decision.wakeAt))) : 1,
      nextGeneration: input.generation + 1,
    };
  }, { caller: 'workflow' });
}
