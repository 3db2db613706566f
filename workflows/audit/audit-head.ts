// The loan's audit head authenticated (a MAC with a key only the committing functions may use) and anchored
// outside the table (signed snapshots of every head), and the checks that compare a loan against them.
import { canonicalJson, type ChainedEvent, type ChainHead } from './hash-chain.js';

/** The head as the loan's record keeps it: the chain's last link and its MAC over (loan, seq, hash). */
export interface AuditHead extends ChainHead {
  /** HMAC-SHA256 (base64url) of headMacMessage with the audit key; absent only on heads written before MACs. */
  mac?: string;
}

/** What the head's MAC covers: the loan, so a head cannot be copied to another loan, its sequence and hash. */
export function headMacMessage(loanId: string, head: ChainHead): string {
  return `loan-followup/audit-head/v1\n${loanId}\n${head.seq}\n${head.hash}`;
}

/** One run of the anchor job: when, and the head of every loan that had one. */
export interface AnchorBody {
  at: string;
  heads: Record<string, AuditHead>;
}

export interface AnchorSignature {
  /** ECDSA_SHA_256 over anchorMessage (SHA-256 digest, DER signature). */
  algorithm: string;
  /** The signing key: a KMS key ARN, or `local:<fingerprint>`. */
  keyId: string;
  /** base64 */
  value: string;
}

/** The object the anchor job writes: the body and its signature. */
export interface SignedAnchor extends AnchorBody {
  signature: AnchorSignature;
}

/** The bytes an anchor's signature covers: its body as canonical JSON (the signature itself left out). */
export function anchorMessage(body: AnchorBody): string {
  return canonicalJson({ at: body.at, heads: body.heads });
}

/** The object name of an anchor: its time without colons, so names sort in time order (S3 keys, file names). */
export function anchorName(at: string): string {
  return `${at.replace(/:/g, '-')}.json`;
}

/** What a check found wrong with a loan's trail, named by the check that found it. */
export interface AuditProblem {
  check: 'chain' | 'head-mac' | 'anchor';
  /** The record the problem is at, when there is one. */
  seq: number | null;
  key?: string;
  reason: string;
}

/**
 * The loan's head and chain against the newest anchor holding the loan. A head behind the anchored one, or at
 * the same record with another hash, was rolled back or rewritten (its MAC may well be genuine: an earlier head
 * put back); a head past it must still hold the anchored record in its chain.
 */
export function compareWithAnchor(head: AuditHead | null, chain: readonly ChainedEvent[], anchor: { at: string; head: AuditHead }): AuditProblem[] {
  const anchored = anchor.head;
  const where = `the anchor of ${anchor.at}`;
  if (!head) return [{ check: 'anchor', seq: null, reason: `the loan has no head but ${where} holds record ${anchored.seq}: the head was removed` }];
  if (head.seq < anchored.seq) {
    return [
      {
        check: 'anchor',
        seq: head.seq,
        reason: `the loan's head is at record ${head.seq} but ${where} holds record ${anchored.seq}: the head was rolled back`,
      },
    ];
  }
  if (head.seq === anchored.seq) {
    return head.hash === anchored.hash
      ? []
      : [{ check: 'anchor', seq: head.seq, reason: `the head at record ${head.seq} is not the one in ${where}: the head was rewritten` }];
  }
  const record = chain.find((r) => r.seq === anchored.seq);
  if (!record) return [{ check: 'anchor', seq: anchored.seq, reason: `record ${anchored.seq}, the head in ${where}, is missing from the chain` }];
  if (record.hash !== anchored.hash) {
    return [
      {
        check: 'anchor',
        seq: record.seq,
        key: record.key,
        reason: `record ${record.seq} is not the one in ${where}: the history before the anchor was rewritten`,
      },
    ];
  }
  return [];
}
