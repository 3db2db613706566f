import type { AdvanceDecision, Effect } from './follow-up-state.js';

type SendEffect = Extract<Effect, { kind: 'SEND_MESSAGE' }>;

/**
 * A message its channel had no room for now: kept on the loan for the slot the pacer gave it, the loan woken
 * then, and recorded as MESSAGE_DEFERRED. At the slot it goes through the compliance gate again, which sends it
 * or moves it into the next contact window (it is never dropped). The contact the gate remembered for it is
 * taken back: it has not happened, and a daily cap must not hold its own release back.
 */
export function deferPacedSend(decision: AdvanceDecision, effect: SendEffect, slot: string, now: string, loanId: string): void {
  const { kind: _kind, compliance: _compliance, pacedFor: _pacedFor, ...message } = effect;
  decision.state.deferred = [...(decision.state.deferred ?? []), { ...message, retryAt: slot, pacedFor: slot }];
  const recent = decision.state.recentContacts ?? [];
  let remembered = recent.length - 1;
  while (
    remembered >= 0 &&
    !(recent[remembered]!.channel === effect.channel && recent[remembered]!.purpose === effect.purpose && recent[remembered]!.at === now)
  )
    remembered -= 1;
  if (remembered >= 0) decision.state.recentContacts = recent.filter((_, i) => i !== remembered);
  decision.timeline.push({
    loanId,
    at: now,
    type: 'MESSAGE_DEFERRED',
    key: `MESSAGE_DEFERRED:${effect.key}@${now}`,
    channel: effect.channel,
    purpose: effect.purpose,
    reason: 'RATE',
    deferredUntil: slot,
  });
  if (decision.action === 'WAIT' && (decision.wakeAt === null || slot < decision.wakeAt)) decision.wakeAt = slot;
}
