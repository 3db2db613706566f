// The local stand-ins of the audit trail's keys and anchor bucket: an HMAC key for the heads' MACs, an ECDSA P-256
// key pair for the anchors' signatures, and a folder (or memory) for the anchors. Kept with the data when there
// is a data folder, so heads and anchors written before a restart still verify.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { macAuditSigner } from '../../functions/audit/audit-signer.js';
import type { AnchorSigner, AnchorStore, AuditSigner } from '../../functions/ports.js';
import { anchorName, type AnchorSignature, type SignedAnchor } from '../../workflows/audit/audit-head.js';
import { LocalMacSigner } from './local-mac-signer.js';

const ALGORITHM = 'ECDSA_SHA_256';

export interface LocalAuditKeys {
  /** The audit head's HMAC key (the KMS HMAC key in AWS). */
  headKey: Buffer;
  /** The anchor job's signing key (the KMS ECC_NIST_P256 key in AWS). */
  anchorKey: KeyObject;
}

/** Without a data folder: one pair of keys for the whole process, so an app restarted in it (the fault suite) still verifies. */
let processKeys: LocalAuditKeys | undefined;

/**
 * The local audit keys, kept in `dir` (files audit-head.key and audit-anchor.pem, mode 600) when given; made there
 * when missing unless `create` is false (the verifier: a new key would fail every MAC for the wrong reason).
 */
export function localAuditKeys(dir?: string, options: { create?: boolean } = {}): LocalAuditKeys {
  if (!dir) {
    processKeys ??= { headKey: randomBytes(32), anchorKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    return processKeys;
  }
  const headFile = join(dir, 'audit-head.key');
  if (options.create === false && !existsSync(headFile))
    throw new Error(`no local audit keys in ${dir} (audit-head.key, audit-anchor.pem): nothing has run there yet`);
  mkdirSync(dir, { recursive: true });
  if (!existsSync(headFile)) writeFileSync(headFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const anchorFile = join(dir, 'audit-anchor.pem');
  if (!existsSync(anchorFile)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(anchorFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  }
  return { headKey: Buffer.from(readFileSync(headFile, 'utf8').trim(), 'base64'), anchorKey: createPrivateKey(readFileSync(anchorFile, 'utf8')) };
}

export const localAuditSigner = (keys: LocalAuditKeys): AuditSigner => macAuditSigner(new LocalMacSigner(keys.headKey));

/** ECDSA P-256 over SHA-256 of the message, DER signature: what KMS Sign gives for ECDSA_SHA_256. */
export class LocalAnchorSigner implements AnchorSigner {
  private readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    const fingerprint = createHash('sha256')
      .update(this.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    this.keyId = `local:${fingerprint.slice(0, 16)}`;
  }

  async sign(message: string): Promise<AnchorSignature> {
    return { algorithm: ALGORITHM, keyId: this.keyId, value: sign('sha256', Buffer.from(message), this.privateKey).toString('base64') };
  }

  async verify(message: string, signature: AnchorSignature): Promise<boolean> {
    if (signature.algorithm !== ALGORITHM) return false;
    try {
      return verify('sha256', Buffer.from(message), this.publicKey, Buffer.from(signature.value, 'base64'));
    } catch {
      return false;
    }
  }
}

/** Anchors as files in a folder, one per run, never overwritten (the bucket's Object Lock stands in for that in AWS). */
export class DirectoryAnchorStore implements AnchorStore {
  constructor(readonly dir: string) {}

  async put(anchor: SignedAnchor): Promise<string> {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, anchorName(anchor.at));
    writeFileSync(file, `${JSON.stringify(anchor, null, 1)}\n`, { flag: 'wx' });
    return file;
  }

  async latest(limit: number): Promise<{ location: string; anchor: SignedAnchor }[]> {
    if (!existsSync(this.dir)) return [];
    const names = readdirSync(this.dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse()
      .slice(0, limit);
    return names.map((name) => ({ location: join(this.dir, name), anchor: JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as SignedAnchor }));
  }
}

/** Anchors in memory (a run without a data folder, the tests). */
export class MemoryAnchorStore implements AnchorStore {
  readonly anchors: SignedAnchor[] = [];

  async put(anchor: SignedAnchor): Promise<string> {
    this.anchors.push(structuredClone(anchor));
    return `memory:${anchorName(anchor.at)}`;
  }

  async latest(limit: number): Promise<{ location: string; anchor: SignedAnchor }[]> {
    return [...this.anchors]
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, limit)
      .map((anchor) => ({ location: `memory:${anchorName(anchor.at)}`, anchor: structuredClone(anchor) }));
  }
}
