import { createHash } from 'node:crypto';

/**
 * What an SMS receipt stores instead of the phone number: a salted SHA-256 of the E.164 number. The salt is
 * per deployment (the stack id), so the digests match nothing outside it.
 */
export function hashDestination(salt: string, phone: string): string {
  if (!salt) throw new Error('hashDestination needs a salt');
  return createHash('sha256')
    .update(`${salt}:${phone.replace(/[\s()-]/g, '')}`)
    .digest('hex');
}
