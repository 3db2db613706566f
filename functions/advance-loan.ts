import type { Logger } from '@aws-lambda-powertools/logger';
import { chainEvents, GENESIS } from '../workflows/audit/hash-chain.js';
import { AuditHeadRejectedError, headIsAuthentic } from './audit/audit-signer.js';
import { decideWithinBudget } from '../workflows/domain/catch-up.js';
import { secondsBetween } from '../workflows/domain/local-time.js';
import { nextExecutionInput, type AdvanceOutput } from '../workflows/execution-contract.js';
import { LoanNotFoundError } from './errors.js';
import { parseInput } from './parse-input.js';
import { performEffects, type EffectPorts } from './perform-effects.js';
import type { AuditSigner, Clock, LoanStore, PolicySource } from './ports.js';
import { executionInputSchema } from './schemas.js';
import { withMiddleware } from './with-middleware.js';

export interface AdvanceLoanPorts extends Omit<EffectPorts, 'store'> {
  /** A step's read, pin and commit, and what its effects take. */
  store: EffectPorts['store'] & Pick<LoanStore, 'getSnapshot' | 'pinStep' | 'commitDecision'>;
  clock: Clock;
  policies: PolicySource;
  logger: Logger;
  /** MACs the audit head it commits (and checks the one it extends). */
  auditSigner: AuditSigner;
}

/** Effects that go out of the system (a retry must record them even if it would no longer decide them). */
const reachesSomeone = (effect: { kind: string }) => effect.kind === 'SEND_MESSAGE' || effect.kind === 'NOTIFY_TEAM' || effect.kind === 'LEGAL_REFERRAL';

/** A DynamoDB transaction holds 100 writes; one is the loan's own record. */
const MAX_WRITES_PER_STEP = 99;

/** State AdvanceLoan: one step of the loan's follow-up (see workflows/domain/advance-follow-up.ts). */
export function createAdvanceLoanHandler(ports: AdvanceLoanPorts) {
  return withMiddleware(ports.logger, async (event: unknown): Promise<AdvanceOutput> => {
    const input = parseInput(executionInputSchema, event);
    const wallNow = ports.clock(input.loanId).toISOString();
    const snapshot = await ports.store.getSnapshot(input.loanId);
    if (!snapshot) throw new LoanNotFoundError(input.loanId);
    // A retry of a step that got as far as its sends decides at the time it decided then (see pinStep).
    const retried = snapshot.pinnedStep?.version === snapshot.version ? snapshot.pinnedStep.at : undefined;
    const request = { snapshot, events: snapshot.inbox, now: retried ?? wallNow, generation: input.generation, iteration: input.iteration };
    // A step always commits atomically: a loan far behind catches up in several steps (see catch-up.ts).
    const { decision, now, events } = decideWithinBudget(request, ports.policies(snapshot.loan.product), MAX_WRITES_PER_STEP);
    if (retried === undefined && decision.effects.some(reachesSomeone)) await ports.store.pinStep(input.loanId, { version: snapshot.version, at: now });
    const stats = await performEffects(ports, snapshot.loan, decision, now, { retried: retried !== undefined });
    // Every record of the step joins the loan's hash chain; the head is committed with the state, with its MAC.
    // The head it extends must carry a valid MAC: signing on top of a forged head would launder the forgery.
    const stored = snapshot.state.auditHead;
    if (decision.timeline.length > 0) {
      if (!(await headIsAuthentic(ports.auditSigner, input.loanId, stored))) throw new AuditHeadRejectedError(input.loanId, stored!.seq);
      const chained = chainEvents(stored ?? GENESIS, decision.timeline);
      decision.timeline = chained.events;
      decision.state.auditHead = { ...chained.head, mac: await ports.auditSigner.sign(input.loanId, chained.head) };
    } else if (stored) {
      decision.state.auditHead = stored;
    }
    await ports.store.commitDecision(input.loanId, snapshot.version, decision, events);
    ports.logger.info('advanced', {
      action: decision.action,
      phase: decision.phase,
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
      waitSeconds: decision.wakeAt ? Math.max(1, Math.ceil(secondsBetween(wallNow, decision.wakeAt))) : 1,
      next: nextExecutionInput(input),
      phase: decision.phase ?? 'Servicing',
    };
  });
}
