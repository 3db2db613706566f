import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { deliverEvent, type DeliveryStore } from './deliver-event.js';
import { LegalCaseClosedError, LegalCaseNotFoundError, LoanClosedError, LoanNotFoundError } from './errors.js';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, WorkflowControl } from './ports.js';
import { legalEventSchema } from './schemas.js';

type Ports = { store: DeliveryStore & Pick<LoanStore, 'getLoan'>; workflow: WorkflowControl; clock: Clock; logger: Logger };

/** Case ids are `CASE-<loanId>` (referToLegal). */
export function loanIdOfCase(caseId: string): string {
  return caseId.replace(/^CASE-/, '');
}

/**
 * The legal team records a case's course or end (hearing, judgment, settlement, recovery, write-off): it goes to
 * the loan's inbox and wakes its execution. An unknown case is a 404, a closed one a 409, with nothing written.
 */
export function recordLegalEvent(ports: Ports) {
  return async (event: unknown) => {
    const input = parseInput(legalEventSchema, event);
    const loanId = loanIdOfCase(input.caseId);
    const stored = await ports.store.getLoan(loanId);
    if (!stored || stored.state.legalCaseId !== input.caseId) throw new LegalCaseNotFoundError(input.caseId);
    if (stored.state.status === 'CLOSED') throw new LegalCaseClosedError(input.caseId);
    const at = ports.clock(loanId).toISOString();
    const amount = input.amount === undefined ? undefined : Math.round(input.amount * 100);
    const eventId = `LEGAL-${
      input.eventId ??
      createHash('sha256')
        .update(`${input.caseId}|${input.event}|${amount ?? ''}|${input.date ?? ''}|${at}`)
        .digest('hex')
        .slice(0, 16)
    }`;
    try {
      const delivery = await deliverEvent(ports, loanId, {
        type: 'LEGAL_EVENT',
        eventId,
        at,
        caseId: input.caseId,
        event: input.event,
        ...(amount !== undefined ? { amount } : {}),
        ...(input.date ? { date: input.date } : {}),
        by: input.by,
      });
      return { caseId: input.caseId, loanId, eventId, delivery };
    } catch (error) {
      // The loan closed between the read and the write (its inbox refuses the event, writing nothing).
      if (error instanceof LoanClosedError) throw new LegalCaseClosedError(input.caseId);
      if (error instanceof LoanNotFoundError) throw new LegalCaseNotFoundError(input.caseId);
      throw error;
    }
  };
}
