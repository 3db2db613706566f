import type { MacSigner } from '../unsubscribe/unsubscribe-links.js';

/**
 * What an SMS receipt stores instead of the phone number: an HMAC-SHA256 of the E.164 number under a key of its
 * own (a KMS HMAC key in AWS that only AdvanceLoan and the receipt recorder may use; a local key locally). A
 * salted hash could be reversed by hashing every possible number with the salt; without the key, it cannot.
 */
export interface DestinationHasher {
  hash(phone: string): Promise<string>;
}

/** The number as SNS writes it: no spaces, brackets or dashes. */
export const normalisedPhone = (phone: string) => phone.replace(/[\s()-]/g, '');

/** The keyed destination hash (base64url, 43 characters) from any HMAC signer; its own message prefix. */
export function macDestinationHasher(mac: Pick<MacSigner, 'sign'>): DestinationHasher {
  return { hash: (phone) => mac.sign(`sms-destination:${normalisedPhone(phone)}`) };
}
