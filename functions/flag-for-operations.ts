import type { Logger } from '@aws-lambda-powertools/logger';
// Namespace import: lets esbuild drop zod's locales from the Lambda bundles (450 KB -> 85 KB).
import * as z from 'zod';
import { chainEvents, GENESIS } from '../workflows/audit/hash-chain.js';
import type { TimelineEvent } from '../workflows/domain/follow-up-state.js';
import { ConcurrentUpdateError, LoanNotFoundError } from './errors.js';
import { parseInput } from './parse-input.js';
import type { AuditSigner, Clock, LoanStore, TeamNotifier } from './ports.js';
import { headIsAuthentic } from './audit/audit-signer.js';
import { executionName } from '../workflows/execution-contract.js';
import { loanIdSchema } from './schemas.js';
import { withMiddleware } from './with-middleware.js';

const flagInputSchema = z.object({
  loanId: loanIdSchema,
  /** The failed execution's generation (the state carries it): the runbook starts the one after it. */
  generation: z.number().int().min(0).optional(),
  failure: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).passthrough().optional(),
});

/**
 * What the supervisors are told to do. After this step the execution ends in its ExecutionFailed Fail state, so a
 * redrive would only re-run that Fail state: the loan goes on when its next generation is started, which reads
 * the loan from the table and sends nothing already sent (docs/deploying-and-security.md, Runbook).
 */
export function operationsMessage(loanId: string, reason: string, generation: number | undefined): string {
  const next = generation === undefined ? undefined : generation + 1;
  const start =
    next === undefined
      ? `start its next generation (execution <loanId>-g<n+1> with input {"loanId":"${loanId}","generation":<n+1>,"iteration":0}, n being the failed execution's)`
      : `start its next generation: execution ${executionName(loanId, next)} with input {"loanId":"${loanId}","generation":${next},"iteration":0}`;
  return (
    `The follow-up workflow of loan ${loanId} failed with ${reason}; the loan is flagged and its execution has ended in ExecutionFailed. ` +
    `Do not redrive it (that only re-runs the Fail state). Fix the cause, then ${start}. ` +
    'Nothing already sent goes out again. Steps: docs/deploying-and-security.md, Runbook.'
  );
}

type FlagStore = Pick<LoanStore, 'getLoan' | 'markFlagged'>;

/** Told to the supervisors as well when the loan's audit head fails its MAC check. */
export const REJECTED_HEAD_NOTE =
  'Its audit head fails its MAC check (it was not written by a step), so the failure was not added to its audit chain: check the trail first (npm run audit:verify -- --loan <loanId>, docs/audit-and-bad-input.md).';
/** A step committing between the read of the head and the flag moves the head: link the record again. */
const HEAD_RACES = 3;

/**
 * The loan is flagged and its EXECUTION_FAILED record joins the audit chain in the same write, linked to the head
 * on the loan's record and with the new head's MAC, so a failure is as tamper-evident as any step's records. A
 * head that fails its MAC is not extended (that would sign a forgery): the loan is flagged alone. Returns
 * whether the record joined the chain.
 */
async function flagWithChainedRecord(store: FlagStore, signer: AuditSigner, loanId: string, reason: string, now: string): Promise<'chained' | 'head-rejected'> {
  const record: TimelineEvent = { loanId, at: now, type: 'EXECUTION_FAILED', key: `EXECUTION_FAILED:${now}`, error: reason };
  for (let race = 0; ; race++) {
    const stored = await store.getLoan(loanId);
    if (!stored) throw new LoanNotFoundError(loanId);
    const from = stored.state.auditHead ?? null;
    if (!(await headIsAuthentic(signer, loanId, from))) {
      await store.markFlagged(loanId, reason, now);
      return 'head-rejected';
    }
    const chained = chainEvents(from ?? GENESIS, [record]);
    const to = { ...chained.head, mac: await signer.sign(loanId, chained.head) };
    try {
      await store.markFlagged(loanId, reason, now, { records: chained.events, from, to });
      return 'chained';
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && race < HEAD_RACES) continue;
      throw error;
    }
  }
}

/** State FlagForOperations: a step failed for good; the loan is flagged and supervisors are told. */
export function createFlagForOperationsHandler(ports: { store: FlagStore; teams: TeamNotifier; clock: Clock; logger: Logger; auditSigner: AuditSigner }) {
  return withMiddleware(ports.logger, async (event: unknown): Promise<{ flagged: true }> => {
    const input = parseInput(flagInputSchema, event);
    const now = ports.clock(input.loanId).toISOString();
    const reason = input.failure?.Error ?? 'unknown error';
    ports.logger.error('follow-up failed', { error: reason });
    const chain = await flagWithChainedRecord(ports.store, ports.auditSigner, input.loanId, reason, now);
    if (chain === 'head-rejected') ports.logger.error('audit head fails its MAC check: not extended');
    const message = operationsMessage(input.loanId, reason, input.generation);
    await ports.teams.notify({
      team: 'supervisors',
      subject: `Follow-up stopped for loan ${input.loanId}`,
      message: chain === 'head-rejected' ? `${message} ${REJECTED_HEAD_NOTE.replace('<loanId>', input.loanId)}` : message,
      loanId: input.loanId,
      key: `FAILED:${now}`,
    });
    return { flagged: true };
  });
}
