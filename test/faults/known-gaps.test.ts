// Faults the product does not survive yet. Each case is `it.fails`: it passes while the gap is there and fails
// the day it is fixed; then drop `.fails` here and the gap's exclusion in infra/local/faults/known-gaps.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { TransientDependencyError } from '../../functions/errors.js';
import type { LoanStore } from '../../functions/ports.js';
import { startLocalApp, type LocalApp } from '../../infra/local/local-app.js';
import { runPortfolio } from '../../infra/local/run-portfolio.js';
import { behaviour } from '../../infra/local/world/borrower-behaviour.js';
import { loanRequest } from '../support/story-harness.js';

const request = loanRequest({ loanId: 'GAP-1' });
const start = new Date(request.disbursedAt);
const until = new Date(start.getTime() + 86_400_000);
let app: LocalApp | undefined;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

/** The store with one throttle that outlasted the SDK: the inbox write right after a call outcome was recorded. */
function throttleInboxAfterOutcome(store: LoanStore): LoanStore {
  let outcomeRecorded = false;
  let thrown = false;
  return new Proxy(store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (property === 'appendInbox' && outcomeRecorded && !thrown) {
          thrown = true;
          throw new TransientDependencyError('ProvisionedThroughputExceededException: throughput exceeded (injected)');
        }
        const result = await value.apply(target, args);
        if (property === 'recordTaskOutcome') outcomeRecorded = true;
        return result;
      };
    },
  });
}

/** One loan onboarded, its first-contact task open, the agent's call at 11:00 the borrower's time. */
async function loanWithFirstContact(): Promise<{ app: LocalApp; taskId: string }> {
  app = await startLocalApp({
    store: 'memory',
    time: { kind: 'virtual', start, until },
    outbox: { append: () => undefined },
    faults: { ports: (ports) => ({ ...ports, store: throttleInboxAfterOutcome((ports as { store: LoanStore }).store) }) },
  });
  await runPortfolio(app, [{ line: 1, request, behaviour: behaviour({}) }], until);
  const task = (await app.store.listTasks(request.loanId)).find((t) => t.purpose === 'FIRST_CONTACT');
  if (!task) throw new Error('no first-contact task');
  app.clocks!.set(request.loanId, Date.parse('2026-01-05T11:00:00+08:00'));
  return { app, taskId: task.taskId };
}

/** The agent sends the same call again after a 5xx, as the console would; a 409 is the answer they get. */
async function callTwice(app: LocalApp, input: Parameters<LocalApp['api']['recordCallbackOutcome']>[0]): Promise<void> {
  await expect(app.api.recordCallbackOutcome(input)).rejects.toThrow(TransientDependencyError);
  await app.api.recordCallbackOutcome(input).catch((error: { statusCode?: number }) => {
    if (error.statusCode !== 409) throw error;
  });
  await app.runtime.whenIdle();
}

describe('known gap: record-callback-outcome is not safe to retry (two writes, no idempotency)', () => {
  it.fails('a throttle between recording a reached call and delivering it: the retried call still reaches the loan, once', async () => {
    const { app, taskId } = await loanWithFirstContact();
    await callTwice(app, { taskId, outcome: 'REACHED', findings: ['funds_received', 'contact_details_confirmed'], agentId: 'agent-1' });
    const completed = (await app.store.listTimeline(request.loanId)).filter((e) => e.type === 'CALLBACK_COMPLETED' && e.taskId === taskId);
    expect(completed).toHaveLength(1);
  });

  it.fails('a throttle between recording an unanswered call and delivering it: the retry does not count a second attempt', async () => {
    const { app, taskId } = await loanWithFirstContact();
    await callTwice(app, { taskId, outcome: 'NO_ANSWER', findings: [], agentId: 'agent-1' });
    const task = await app.store.getTask(taskId);
    expect((task as { attempts?: number } | undefined)?.attempts).toBe(1);
  });
});
