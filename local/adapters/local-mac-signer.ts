import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MacSigner } from '../../functions/unsubscribe/unsubscribe-links.js';

/** HMAC-SHA256 with a key held by this process: the local runtime's stand-in for the KMS HMAC key. */
export class LocalMacSigner implements MacSigner {
  constructor(private readonly key: Buffer) {
    if (key.length < 32) throw new Error('the unsubscribe MAC key must be at least 32 bytes');
  }

  async sign(message: string): Promise<string> {
    return createHmac('sha256', this.key).update(message).digest('base64url');
  }

  async verify(message: string, mac: string): Promise<boolean> {
    const expected = Buffer.from(await this.sign(message));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
