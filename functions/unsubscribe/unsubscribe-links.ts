// Every email carries a link that unsubscribes its borrower from email with one click, without logging in.
// The link names the loan (an id, never an address) and carries a MAC of it, so nobody can unsubscribe
// someone else by guessing ids.

/** Makes a loan's MAC and checks one: KMS HMAC in AWS (no secret leaves KMS), a local key on this machine. */
export interface MacSigner {
  sign(message: string): Promise<string>;
  verify(message: string, mac: string): Promise<boolean>;
}

export interface UnsubscribeLinks {
  /** `https://…/api/unsubscribe?loan=L-1&sig=…` */
  linkFor(loanId: string): Promise<string>;
  verify(loanId: string, sig: string): Promise<boolean>;
}

/** Versioned so a future change of what is signed cannot make old links mean something else. */
const message = (loanId: string) => `unsubscribe:v1:EMAIL:${loanId}`;

/** `baseUrl` may be given late (the local server knows its port only once it listens). */
export function createUnsubscribeLinks(options: { baseUrl: string | (() => string); signer: MacSigner }): UnsubscribeLinks {
  const base = () => (typeof options.baseUrl === 'string' ? options.baseUrl : options.baseUrl()).replace(/\/+$/, '');
  return {
    async linkFor(loanId) {
      const sig = await options.signer.sign(message(loanId));
      return `${base()}/api/unsubscribe?loan=${encodeURIComponent(loanId)}&sig=${sig}`;
    },
    verify: (loanId, sig) => options.signer.verify(message(loanId), sig),
  };
}
