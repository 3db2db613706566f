import type { Logger } from '@aws-lambda-powertools/logger';
// Namespace import: lets esbuild drop zod's locales from the Lambda bundles (450 KB -> 85 KB).
import * as z from 'zod';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, TeamNotifier } from './ports.js';
import { loanIdSchema } from './schemas.js';
import { withMiddleware } from './with-middleware.js';

const flagInputSchema = z.object({
  loanId: loanIdSchema,
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).passthrough().optional(),
});

/** State FlagForOperations: a step failed for good; the loan is flagged and supervisors are told. */
export function createFlagForOperationsHandler(ports: { store: LoanStore; teams: TeamNotifier; clock: Clock; logger: Logger }) {
  return withMiddleware(ports.logger, async (event: unknown): Promise<{ flagged: true }> => {
    const input = parseInput(flagInputSchema, event);
    const now = ports.clock(input.loanId).toISOString();
    const reason = input.failure?.Error ?? 'unknown error';
    ports.logger.error('follow-up failed', { error: reason });
    await ports.store.markFlagged(input.loanId, reason, now);
    await ports.teams.notify({
      team: 'supervisors',
      subject: `Follow-up stopped for loan ${input.loanId}`,
      message: `The follow-up workflow of loan ${input.loanId} failed with ${reason}. Fix the cause, then redrive the execution (README: Runbook).`,
      loanId: input.loanId,
      key: `FAILED:${now}`,
    });
    await ports.store.appendTimeline([{ loanId: input.loanId, at: now, type: 'EXECUTION_FAILED', key: `EXECUTION_FAILED:${now}`, error: reason }]);
    return { flagged: true };
  }, { caller: 'workflow' });
}
