import { createHash } from 'node:crypto';
import { KMSInvalidSignatureException, SignCommand, VerifyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { AnchorSignature } from '../../workflows/audit/audit-head.js';
import type { AnchorSigner } from '../ports.js';
import { asTransient } from './transient-errors.js';

const ALGORITHM = 'ECDSA_SHA_256';

/**
 * Anchors signed by a KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY): only the anchor job may sign, and anyone
 * with the public key (kms:GetPublicKey, or the PEM handed to an auditor) can check an anchor without AWS. An
 * anchor is far over the 4 KB KMS signs whole, so KMS signs its SHA-256 digest (MessageType DIGEST): the same
 * signature as over the message itself.
 */
export class KmsAnchorSigner implements AnchorSigner {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(message: string): Promise<AnchorSignature> {
    try {
      const { Signature, KeyId } = await this.kms.send(
        new SignCommand({ KeyId: this.keyId, SigningAlgorithm: ALGORITHM, MessageType: 'DIGEST', Message: digest(message) }),
      );
      return { algorithm: ALGORITHM, keyId: KeyId ?? this.keyId, value: Buffer.from(Signature!).toString('base64') };
    } catch (error) {
      throw asTransient(error);
    }
  }

  async verify(message: string, signature: AnchorSignature): Promise<boolean> {
    if (signature.algorithm !== ALGORITHM) return false;
    try {
      const { SignatureValid } = await this.kms.send(
        new VerifyCommand({
          KeyId: this.keyId,
          SigningAlgorithm: ALGORITHM,
          MessageType: 'DIGEST',
          Message: digest(message),
          Signature: Buffer.from(signature.value, 'base64'),
        }),
      );
      return SignatureValid === true;
    } catch (error) {
      if (error instanceof KMSInvalidSignatureException) return false;
      throw asTransient(error);
    }
  }
}

const digest = (message: string) => createHash('sha256').update(message).digest();
