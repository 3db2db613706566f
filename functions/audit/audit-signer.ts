import { headMacMessage } from '../../workflows/audit/audit-head.js';
import type { ChainHead } from '../../workflows/audit/hash-chain.js';
import type { AuditSigner } from '../ports.js';
import type { MacSigner } from '../unsubscribe/unsubscribe-links.js';

/**
 * The head's MAC from any HMAC-SHA256 signer: the KMS audit key in AWS (KmsMacSigner), a local key otherwise
 * (LocalMacSigner). A key of its own, never the unsubscribe links' key.
 */
export function macAuditSigner(mac: MacSigner): AuditSigner {
  return {
    sign: (loanId: string, head: ChainHead) => mac.sign(headMacMessage(loanId, head)),
    verify: (loanId: string, head: ChainHead, value: string) => mac.verify(headMacMessage(loanId, head), value),
  };
}

/** The head on the loan's record fails its MAC: it was not written by a committing function (see audit:verify). */
export class AuditHeadRejectedError extends Error {
  override name = 'AuditHeadRejectedError';
  constructor(loanId: string, seq: number) {
    super(`loan ${loanId}: the audit head at record ${seq} fails its MAC check; the chain is not extended (run npm run audit:verify -- --loan ${loanId})`);
  }
}

/**
 * Whether the head on the loan's record is authentic, checked before a committing function extends the chain
 * from it: signing a new head on top of a forged one would launder the forgery. No head yet is fine (a new loan).
 */
export async function headIsAuthentic(
  signer: AuditSigner,
  loanId: string,
  head: { seq: number; hash: string; mac?: string } | undefined | null,
): Promise<boolean> {
  if (!head) return true;
  if (!head.mac) return false;
  return signer.verify(loanId, { seq: head.seq, hash: head.hash }, head.mac);
}
