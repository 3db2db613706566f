import { describe, expect, it } from 'vitest';
import { advanceFollowUp } from '../../workflows/domain/advance-follow-up.js';
import { decideWithinBudget, stepWrites } from '../../workflows/domain/catch-up.js';
import type { FollowUpSnapshot } from '../../workflows/domain/follow-up-state.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { DomainHarness } from '../support/domain-harness.js';
import { testLoan } from '../support/loans.js';

const policy = loadAllPolicies().consumer;

/** What the store would hold after committing a decision (open tasks included). */
function applied(snapshot: FollowUpSnapshot, decision: ReturnType<typeof advanceFollowUp>): FollowUpSnapshot {
  const tasks = new Map(snapshot.openTasks.map((t) => [t.taskId, t]));
  for (const e of decision.effects) if (e.kind === 'CREATE_TASK' || e.kind === 'UPDATE_TASK') tasks.set(e.task.taskId, e.task);
  return { ...snapshot, state: decision.state, instalments: decision.instalments, openTasks: [...tasks.values()].filter((t) => t.status === 'OPEN') };
}

describe('a loan far behind catches up in atomic steps', () => {
  // Onboarded, then not looked at for three years while every instalment was paid on its due date: the
  // payments wait in the inbox.
  const harness = new DomainHarness(testLoan({ termMonths: 36 }));
  const start = harness.snapshot;
  const events = start.instalments.map((i) => ({
    type: 'PAYMENT_RECEIVED' as const,
    eventId: `PAY-${i.seq}`,
    at: `${i.dueDate}T01:00:00.000Z`,
    amount: i.amount,
  }));
  const request = { snapshot: start, events, now: '2029-01-10T02:00:00.000Z', generation: 0, iteration: 1 };

  it('would need more writes than one transaction holds in a single step', () => {
    expect(stepWrites(advanceFollowUp(request, policy), events.length)).toBeGreaterThan(99);
  });

  it('takes only as much as fits, and asks to be woken at once for the rest', () => {
    const step = decideWithinBudget(request, policy, 99);
    expect(stepWrites(step.decision, step.events.length)).toBeLessThanOrEqual(99);
    expect(step.now < request.now).toBe(true);
    // Woken at once for the rest, or handed over to a fresh execution (which starts at once).
    if (step.decision.action === 'WAIT') expect(step.decision.wakeAt).toBe(request.now);
    else expect(step.decision.action).toBe('CONTINUE');
  });

  it('reaches the present in steps that each fit, recording every occurrence once', () => {
    let snapshot = start;
    let inbox = events;
    const keys: string[] = [];
    let steps = 0;
    for (;;) {
      const step = decideWithinBudget({ ...request, snapshot, events: inbox, iteration: 1 + steps }, policy, 99);
      steps += 1;
      expect(stepWrites(step.decision, step.events.length)).toBeLessThanOrEqual(99);
      inbox = inbox.filter((e) => !step.events.includes(e));
      keys.push(...step.decision.timeline.map((e) => e.key));
      snapshot = applied(snapshot, step.decision);
      if (step.now === request.now) break;
      expect(steps).toBeLessThan(100);
    }
    expect(steps).toBeGreaterThan(1);
    expect(inbox).toEqual([]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith('PAYMENT_RECEIVED:'))).toHaveLength(36);
    expect(snapshot.state.status).toBe('CLOSED');
  });

  it('does nothing different for a loan that is up to date', () => {
    const fresh = { ...request, events: events.slice(0, 1), now: '2026-02-06T02:00:00.000Z' };
    expect(decideWithinBudget(fresh, policy, 99).decision).toEqual(advanceFollowUp(fresh, policy));
  });
});
