import type { Logger } from '@aws-lambda-powertools/logger';
import { chainEvents, GENESIS } from '../workflows/audit/hash-chain.js';
import type { TimelineEvent } from '../workflows/domain/follow-up-state.js';
import type { Product } from '../workflows/domain/types.js';
import type { FollowUpPolicy } from '../workflows/policy/policy-schema.js';
import { headIsAuthentic } from './audit/audit-signer.js';
import { ConcurrentUpdateError } from './errors.js';
import type { AuditSigner, LoanStore } from './ports.js';
import { withMiddleware } from './with-middleware.js';

export interface AnonymiseClosedLoansPorts {
  store: Pick<LoanStore, 'listLoans' | 'getLoan' | 'getContact' | 'anonymiseContact'>;
  policies: (product: Product) => Pick<FollowUpPolicy, 'retention'>;
  auditSigner: AuditSigner;
  /** The job's own time (a scheduled run has no loan's clock). */
  clock: () => Date;
  logger: Logger;
}

export interface AnonymiseRun {
  at: string;
  /** Loans whose contact record was blanked in this run. */
  anonymised: string[];
  /** Closed loans still inside their retention period, or already anonymised. */
  kept: number;
  /** Loans whose audit head fails its MAC check: not extended (that would sign a forgery), left for a person. */
  headRejected: string[];
}

/** A step committing between the read of the head and the write moves the head: link the record again. */
const HEAD_RACES = 3;

/** The instant a loan closed at `closedAt` may lose its contact details: `years` calendar years later (UTC). */
export function contactExpiresAt(closedAt: string, years: number): Date {
  const at = new Date(closedAt);
  at.setUTCFullYear(at.getUTCFullYear() + years);
  return at;
}

/**
 * Retention (policy `retention.contactYearsAfterClosure`): the contact record (phone, email, vehicle plate and
 * VIN, collateral description) of every loan closed longer ago than that is blanked, and CONTACT_ANONYMISED
 * joins the loan's audit chain in the same write, as FlagForOperations appends EXECUTION_FAILED. The loan, its
 * schedule, tasks, timeline and chain stay: the chain never held contact data (CONTACT_CHANGED names fields
 * only), so it still verifies. A loan already anonymised is skipped, so the daily run is idempotent.
 */
export async function anonymiseClosedLoans(ports: Omit<AnonymiseClosedLoansPorts, 'logger'>): Promise<AnonymiseRun> {
  const now = ports.clock();
  const at = now.toISOString();
  const run: AnonymiseRun = { at, anonymised: [], kept: 0, headRejected: [] };
  for (const summary of await ports.store.listLoans()) {
    if (summary.status !== 'CLOSED') continue;
    const stored = await ports.store.getLoan(summary.loanId);
    const closedAt = stored?.state.closedAt;
    if (!stored || !closedAt) continue;
    const { retention } = ports.policies(stored.loan.product);
    const contact = await ports.store.getContact(summary.loanId);
    if (contact === undefined || contactExpiresAt(closedAt, retention.contactYearsAfterClosure) > now || isAnonymised(contact)) {
      run.kept += 1;
      continue;
    }
    const outcome = await anonymiseOne(ports, summary.loanId, at, retention.contactYearsAfterClosure);
    (outcome === 'anonymised' ? run.anonymised : run.headRejected).push(summary.loanId);
  }
  return run;
}

const isAnonymised = (contact: { phone: string; email: string; vehiclePlate?: string; vehicleVin?: string; collateralDescription?: string }) =>
  contact.phone === '' && contact.email === '' && !contact.vehiclePlate && !contact.vehicleVin && !contact.collateralDescription;

async function anonymiseOne(
  ports: Omit<AnonymiseClosedLoansPorts, 'logger'>,
  loanId: string,
  now: string,
  years: number,
): Promise<'anonymised' | 'head-rejected'> {
  const record: TimelineEvent = { loanId, at: now, type: 'CONTACT_ANONYMISED', key: `CONTACT_ANONYMISED:${now}`, yearsAfterClosure: years, by: 'system' };
  for (let race = 0; ; race++) {
    const stored = await ports.store.getLoan(loanId);
    const from = stored?.state.auditHead ?? null;
    if (!(await headIsAuthentic(ports.auditSigner, loanId, from))) return 'head-rejected';
    const chained = chainEvents(from ?? GENESIS, [record]);
    const to = { ...chained.head, mac: await ports.auditSigner.sign(loanId, chained.head) };
    try {
      await ports.store.anonymiseContact(loanId, now, { records: chained.events, from, to });
      return 'anonymised';
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && race < HEAD_RACES) continue;
      throw error;
    }
  }
}

/** The scheduled job (EventBridge Scheduler, daily): its event carries nothing it needs. */
export function createAnonymiseClosedLoansHandler(ports: AnonymiseClosedLoansPorts) {
  return withMiddleware(ports.logger, async (_event: unknown): Promise<AnonymiseRun> => {
    const run = await anonymiseClosedLoans(ports);
    ports.logger.info('closed loans anonymised', { at: run.at, anonymised: run.anonymised.length, kept: run.kept });
    // An audit head that fails its MAC is someone's write outside the steps: a person has to look.
    if (run.headRejected.length > 0) ports.logger.error('audit head fails its MAC check: contact kept', { loans: run.headRejected });
    return run;
  });
}
