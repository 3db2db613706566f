// Watches the send markers the handlers claim and record, to count what the exactly-once machinery prevented.
import type { LoanStore, SendRecord } from '../../functions/ports.js';
import type { FaultLedger } from './fault-ledger.js';

/**
 * A claim found CLAIMED is an in-doubt send (an earlier attempt died between claiming and recording it). When
 * the key is then recorded SENT without the provider being called again, the retry reconciled it against the
 * provider; when the provider was called, the first attempt had not reached it and the retry sent it.
 */
export class SendObserver {
  private readonly inDoubt = new Map<string, { providerCalled: boolean }>();

  constructor(private readonly ledger: FaultLedger) {}

  claimed(loanId: string, key: string, existing: SendRecord | undefined): void {
    if (existing?.status === 'SENT') this.ledger.alreadySent += 1;
    else if (existing?.status === 'CLAIMED') this.inDoubt.set(`${loanId}|${key}`, { providerCalled: false });
  }

  /** The provider was asked to take the message of this send key. */
  providerCalled(loanId: string, key: string): void {
    const doubt = this.inDoubt.get(`${loanId}|${key}`);
    if (doubt) doubt.providerCalled = true;
  }

  recorded(loanId: string, key: string): void {
    const id = `${loanId}|${key}`;
    const doubt = this.inDoubt.get(id);
    if (!doubt) return;
    this.inDoubt.delete(id);
    if (doubt.providerCalled) this.ledger.inDoubtResent += 1;
    else this.ledger.inDoubtReconciled += 1;
  }

  /** The store the handlers get: the same store, with claims and records reported to the observer. */
  observe(store: LoanStore): LoanStore {
    return new Proxy(store, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (property === 'claimSend') {
          return async (loanId: string, key: string, now: string) => {
            const existing = await target.claimSend(loanId, key, now);
            this.claimed(loanId, key, existing);
            return existing;
          };
        }
        if (property === 'markSent') {
          return async (loanId: string, key: string, messageId: string) => {
            await target.markSent(loanId, key, messageId);
            this.recorded(loanId, key);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }
}
