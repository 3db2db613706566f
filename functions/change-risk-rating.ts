import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { riskRatingOf } from '../workflows/domain/risk-rating.js';
import { deliverEvent, type DeliveryStore } from './deliver-event.js';
import { LoanClosedError, LoanNotFoundError, RiskRatingUnchangedError } from './errors.js';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, WorkflowControl } from './ports.js';
import { riskRatingChangeSchema } from './schemas.js';

type Ports = { store: DeliveryStore & Pick<LoanStore, 'getLoan'>; workflow: WorkflowControl; clock: Clock; logger: Logger };

/**
 * Risk re-rates a loan with a reason code: RISK_RATING_CHANGED in the loan's inbox; its next step records
 * RISK_RATING_CHANGED {from, to, reason} and the periodic cadence (and field visits) follow the new rating. An
 * unknown loan is a 404, a closed one a 409, the rating it already has a 409 on riskRating; nothing is written then.
 */
export function changeRiskRating(ports: Ports) {
  return async (event: unknown) => {
    const input = parseInput(riskRatingChangeSchema, event);
    const stored = await ports.store.getLoan(input.loanId);
    if (!stored) throw new LoanNotFoundError(input.loanId);
    if (stored.state.status === 'CLOSED') throw new LoanClosedError(input.loanId);
    const from = riskRatingOf(stored.loan, stored.state);
    if (from === input.riskRating) throw new RiskRatingUnchangedError(input.loanId, from);
    const at = ports.clock(input.loanId).toISOString();
    const eventId = `RATING-${input.requestId ?? createHash('sha256').update(`${input.loanId}|${input.riskRating}|${input.reason}|${input.by}|${at}`).digest('hex').slice(0, 16)}`;
    const delivery = await deliverEvent(ports, input.loanId, {
      type: 'RISK_RATING_CHANGED',
      eventId,
      at,
      riskRating: input.riskRating,
      reason: input.reason,
      by: input.by,
    });
    return { loanId: input.loanId, eventId, from, to: input.riskRating, delivery };
  };
}
