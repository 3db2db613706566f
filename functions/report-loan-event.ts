import type { Logger } from '@aws-lambda-powertools/logger';
import type { InboundEvent } from '../workflows/domain/follow-up-state.js';
import { deliverEvent, requireOpenLoan, type DeliveryStore } from './deliver-event.js';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, WorkflowControl } from './ports.js';
import { loanEventSchema } from './schemas.js';

/**
 * Hardship report, contact details changed, opt-out, do-not-contact or payoff: recorded and delivered to the loan.
 * Client errors are thrown; the operations API turns them into problem details.
 */
export function reportLoanEvent(ports: {
  store: DeliveryStore & Pick<LoanStore, 'getLoan' | 'updateContact'>;
  workflow: WorkflowControl;
  clock: Clock;
  logger: Logger;
}) {
  return async (event: unknown) => {
    const input = parseInput(loanEventSchema, event);
    const at = ports.clock(input.loanId).toISOString();
    const eventId = `${input.type}-${at}`;
    let inbound: InboundEvent;
    switch (input.type) {
      case 'HARDSHIP_REPORTED':
        inbound = { type: input.type, eventId, at, findings: input.findings };
        break;
      case 'CONTACT_CHANGED':
        // The inbox refuses a closed or unknown loan, but the contact is written before: check first.
        await requireOpenLoan(ports.store, input.loanId);
        await ports.store.updateContact(input.loanId, { phone: input.phone, email: input.email });
        // The fields that changed, never their values: the execution's history holds ids only.
        inbound = {
          type: input.type,
          eventId,
          at,
          fields: [input.phone ? 'phone' : null, input.email ? 'email' : null].filter((f): f is string => f !== null),
        };
        break;
      case 'OPTED_OUT':
        inbound = { type: input.type, eventId, at, channels: input.channels };
        break;
      case 'DO_NOT_CONTACT':
        inbound = { type: input.type, eventId, at, reason: input.reason };
        break;
      case 'PAYOFF':
        inbound = { type: input.type, eventId, at };
        break;
    }
    const delivery = await deliverEvent(ports, input.loanId, { ...inbound, by: input.by });
    return { loanId: input.loanId, eventId, delivery };
  };
}
