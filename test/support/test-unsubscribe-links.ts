import { randomBytes } from 'node:crypto';
import { LocalMacSigner } from '../../local/adapters/local-mac-signer.js';
import { createUnsubscribeLinks, type UnsubscribeLinks } from '../../functions/unsubscribe/unsubscribe-links.js';

/** Real links, signed with a throwaway key, for handler tests that send email. */
export const testUnsubscribeLinks = (): UnsubscribeLinks =>
  createUnsubscribeLinks({ baseUrl: 'https://loans.example.com', signer: new LocalMacSigner(randomBytes(32)) });
