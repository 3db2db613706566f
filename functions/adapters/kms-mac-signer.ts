import { GenerateMacCommand, KMSInvalidMacException, VerifyMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { MacSigner } from '../unsubscribe/unsubscribe-links.js';
import { asTransient } from './transient-errors.js';

const ALGORITHM = 'HMAC_SHA_256';

/** MACs from a KMS HMAC key (HMAC_256, GENERATE_VERIFY_MAC): the key never leaves KMS. */
export class KmsMacSigner implements MacSigner {
  constructor(
    private readonly kms: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(message: string): Promise<string> {
    try {
      const { Mac } = await this.kms.send(new GenerateMacCommand({ KeyId: this.keyId, MacAlgorithm: ALGORITHM, Message: Buffer.from(message) }));
      return Buffer.from(Mac!).toString('base64url');
    } catch (error) {
      throw asTransient(error);
    }
  }

  async verify(message: string, mac: string): Promise<boolean> {
    const bytes = Buffer.from(mac, 'base64url');
    if (bytes.length !== 32) return false;
    try {
      const { MacValid } = await this.kms.send(new VerifyMacCommand({ KeyId: this.keyId, MacAlgorithm: ALGORITHM, Message: Buffer.from(message), Mac: bytes }));
      return MacValid === true;
    } catch (error) {
      if (error instanceof KMSInvalidMacException) return false;
      throw asTransient(error);
    }
  }
}
