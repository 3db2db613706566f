import type { FollowUpPolicy } from '../../policy/policy-schema.js';

const MINUTES_PER_DAY = 24 * 60;

/**
 * Where in [0, 1) a loan's scheduled moments fall inside the policy's spreading windows: the same loan always at the
 * same place (FNV-1a of its id, mixed), loans spread evenly. A book whose instalments fall due on the same day then wakes
 * over the window, not all at the same second.
 */
export function spreadFraction(loanId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < loanId.length; i++) {
    hash ^= loanId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // FNV alone leaves ids that differ in their last characters close together: murmur3's finaliser mixes them.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function hhmm(minutes: number): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** The loan's offset in whole minutes within a window of `windowMinutes` (0 to windowMinutes). */
export function spreadOffsetMinutes(loanId: string, windowMinutes: number): number {
  return Math.floor(spreadFraction(loanId) * (windowMinutes + 1));
}

/**
 * The policy as one loan lives it: messages go out at `reminders.localTime` plus the loan's offset within
 * `reminders.spreadMinutes`; tasks are queued at `tasks.localTime` minus its offset within `tasks.spreadMinutes`,
 * so every task is in the queue when the agents' day starts. The same offset for both keeps a loan's own order.
 */
export function spreadForLoan(policy: FollowUpPolicy, loanId: string): FollowUpPolicy {
  const { reminders, tasks } = policy;
  if (reminders.spreadMinutes === 0 && tasks.spreadMinutes === 0) return policy;
  const offset = (window: number) => spreadOffsetMinutes(loanId, window);
  return {
    ...policy,
    reminders: { ...reminders, localTime: hhmm(minutesOfDay(reminders.localTime) + offset(reminders.spreadMinutes)) },
    tasks: { ...tasks, localTime: hhmm(minutesOfDay(tasks.localTime) - offset(tasks.spreadMinutes)) },
  };
}

/** The policy with its spreading windows closed: every loan at reminders.localTime and tasks.localTime. */
export function atFixedTimes(policy: FollowUpPolicy): FollowUpPolicy {
  return { ...policy, reminders: { ...policy.reminders, spreadMinutes: 0 }, tasks: { ...policy.tasks, spreadMinutes: 0 } };
}
