import type { Logger } from '@aws-lambda-powertools/logger';
import { anchorMessage, type AnchorBody, type AuditHead, type SignedAnchor } from '../workflows/audit/audit-head.js';
import type { AnchorSigner, AnchorStore, AuditHeadSource } from './ports.js';
import { withMiddleware } from './with-middleware.js';

export interface AnchorAuditHeadsPorts {
  heads: AuditHeadSource;
  anchors: Pick<AnchorStore, 'put'>;
  signer: Pick<AnchorSigner, 'sign'>;
  clock: () => Date;
  logger: Logger;
}

export interface AnchorRun {
  at: string;
  loans: number;
  location: string;
}

/**
 * One anchor: the audit head (seq, hash, MAC) of every loan, signed as a whole with the anchor key and written
 * outside the table (S3 with Object Lock in compliance mode in AWS). A head later found behind its anchored seq,
 * or at it with another hash, was rolled back or rewritten (npm run audit:verify).
 */
export async function anchorAuditHeads(ports: Omit<AnchorAuditHeadsPorts, 'logger'>): Promise<AnchorRun> {
  const at = ports.clock().toISOString();
  const listed = await ports.heads.listAuditHeads();
  const heads: Record<string, AuditHead> = {};
  for (const { loanId, head } of [...listed].sort((a, b) => (a.loanId < b.loanId ? -1 : a.loanId > b.loanId ? 1 : 0))) {
    heads[loanId] = head.mac === undefined ? { seq: head.seq, hash: head.hash } : { seq: head.seq, hash: head.hash, mac: head.mac };
  }
  const body: AnchorBody = { at, heads };
  const anchor: SignedAnchor = { ...body, signature: await ports.signer.sign(anchorMessage(body)) };
  const location = await ports.anchors.put(anchor);
  return { at, loans: listed.length, location };
}

/** The scheduled job (EventBridge Scheduler, daily): its event carries nothing it needs. */
export function createAnchorAuditHeadsHandler(ports: AnchorAuditHeadsPorts) {
  return withMiddleware(ports.logger, async (_event: unknown): Promise<AnchorRun> => {
    const run = await anchorAuditHeads(ports);
    ports.logger.info('audit heads anchored', { at: run.at, loans: run.loans, location: run.location });
    return run;
  });
}
