// Every email carries a link that unsubscribes its borrower from email with one click, without logging in.
// The link names the loan (an id, never an address) and carries a MAC of it, so nobody can unsubscribe
// someone else by guessing ids.

/** Makes a loan's MAC and checks one: KMS HMAC in AWS (no secret leaves KMS), a local key on this machine. */
export interface MacSigner {
  sign(message: string): Promise<string>;
  verify(message: string, mac: string): Promise<boolean>;
}

/** What a link's parameters prove: ours and still valid, ours but expired, or not ours. */
export type LinkCheck = 'valid' | 'expired' | 'forged';

export interface UnsubscribeLinks {
  /** `https://…/api/unsubscribe?loan=L-1&exp=1772766000&sig=…`: works until `expiresAt` (whole seconds). */
  linkFor(loanId: string, expiresAt: Date): Promise<string>;
  /** The link's MAC (over the loan and the expiry it carries) first, then its expiry against `now`. */
  check(link: { loan: string; sig: string; exp?: string }, now: Date): Promise<LinkCheck>;
}

/**
 * Versioned so a change of what is signed cannot make old links mean something else. v2 signs the expiry with
 * the loan, so nobody can stretch a link's life; v1 (before links expired) signed the loan alone.
 */
const message = (loanId: string, exp: string) => `unsubscribe:v2:EMAIL:${loanId}:${exp}`;
const v1Message = (loanId: string) => `unsubscribe:v1:EMAIL:${loanId}`;

/** When a link issued at `issuedAt` (the sending step's time, never the wall clock) stops working. */
export function unsubscribeLinkExpiry(issuedAt: string, validDays: number): Date {
  return new Date(Date.parse(issuedAt) + validDays * 86_400_000);
}

/** `baseUrl` may be given late (the local server knows its port only once it listens). */
export function createUnsubscribeLinks(options: { baseUrl: string | (() => string); signer: MacSigner }): UnsubscribeLinks {
  const base = () => (typeof options.baseUrl === 'string' ? options.baseUrl : options.baseUrl()).replace(/\/+$/, '');
  return {
    async linkFor(loanId, expiresAt) {
      const exp = String(Math.floor(expiresAt.getTime() / 1000));
      const sig = await options.signer.sign(message(loanId, exp));
      return `${base()}/api/unsubscribe?loan=${encodeURIComponent(loanId)}&exp=${exp}&sig=${sig}`;
    },
    async check({ loan, sig, exp }, now) {
      // A v1 link (no exp) came from before links expired: its age is unknown, so it counts as expired (the
      // borrower gets the page saying how else to opt out), never as valid for ever.
      if (exp === undefined) return (await options.signer.verify(v1Message(loan), sig)) ? 'expired' : 'forged';
      if (!/^[0-9]{1,12}$/.test(exp) || !(await options.signer.verify(message(loan, exp), sig))) return 'forged';
      return now.getTime() < Number(exp) * 1000 ? 'valid' : 'expired';
    },
  };
}
