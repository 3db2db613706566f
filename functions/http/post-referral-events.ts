import { recordLegalEvent } from '../record-legal-event.js';
import type { ApiPorts } from './api-ports.js';
import { bodyWith, type RouteHandler } from './http-handler.js';

/** POST /api/referrals/{caseId}/events: a legal case's course or end, recorded by the legal team; wakes the loan. */
export function postReferralEvents(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'logger'>): RouteHandler {
  const record = recordLegalEvent(ports);
  return async ({ principal, params, body }) => ({ status: 202, body: await record(bodyWith(body, { caseId: params.caseId, by: principal.username })) });
}
