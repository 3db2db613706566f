import type { ContactAttempt, ContactStanding, GateDecision } from './contact-gate-types.js';
import type { ContactPack } from './contact-pack.js';
import { cnPack } from './packs/cn.js';
import { usPack } from './packs/us.js';

export const CONTACT_PACKS: Record<string, ContactPack> = { cn: cnPack, us: usPack };

/** The pack for a borrower's time zone: the US pack for American zones, the Chinese one otherwise. */
export function packFor(timezone: string): ContactPack {
  return timezone.startsWith('America/') || timezone.startsWith('US/') || timezone === 'Pacific/Honolulu' ? usPack : cnPack;
}

/**
 * Runs every rule of the pack. Fails closed: a rule that throws (an unknown time zone, a malformed history)
 * blocks the contact and marks the decision undecided, so the case is flagged instead of guessed.
 */
export function evaluateContact(contactPack: ContactPack, attempt: ContactAttempt, standing: ContactStanding): GateDecision {
  const blockedBy: GateDecision['blockedBy'] = [];
  const retries: (string | null)[] = [];
  let undecided = false;
  for (const { rule, config } of contactPack.rules) {
    try {
      const verdict = rule.check(attempt, standing, config);
      if (verdict.allowed) continue;
      blockedBy.push({ rule: rule.id, code: verdict.code, reason: verdict.reason });
      retries.push(verdict.retryAt);
    } catch (error) {
      undecided = true;
      blockedBy.push({ rule: rule.id, code: 'UNDECIDABLE', reason: `could not decide: ${(error as Error).message}` });
      retries.push(null);
    }
  }
  const allowed = blockedBy.length === 0;
  const retryAt = allowed || retries.some((r) => r === null) ? null : retries.reduce((a, b) => (a! > b! ? a : b))!;
  return { allowed, pack: contactPack.id, packVersion: contactPack.version, blockedBy, retryAt, undecided };
}
