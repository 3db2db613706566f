// An agent's call outcome survives a failure at any point: the outcome and the loan's event are written in one
// transaction, and the agent's retry (same requestId, as the console sends it) is recognised, not counted again.
import { afterEach, describe, expect, it } from 'vitest';
import { TransientDependencyError } from '../../functions/errors.js';
import type { LoanStore } from '../../functions/ports.js';
import { startLocalApp, type LocalApp } from '../../local/local-app.js';
import { runPortfolio } from '../../local/run-portfolio.js';
import { behaviour } from '../../local/world/borrower-behaviour.js';
import { loanRequest } from '../support/loans.js';

const request = loanRequest({ loanId: 'GAP-1' });
const start = new Date(request.disbursedAt);
const until = new Date(start.getTime() + 86_400_000);
let app: LocalApp | undefined;

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

type Failure = 'response-lost' | 'wake-throttled' | 'transaction-throttled';

/**
 * The store with one failure for the first call recorded: `response-lost` commits the call and then fails (the
 * answer from DynamoDB never came back), `wake-throttled` fails reading the wait token right after the call was
 * recorded, `transaction-throttled` fails the transaction itself (nothing written).
 */
function failOnce(store: LoanStore, failure: Failure): LoanStore {
  let recorded = false;
  let thrown = false;
  const throttle = () => {
    thrown = true;
    return new TransientDependencyError('ProvisionedThroughputExceededException: throughput exceeded (injected)');
  };
  return new Proxy(store, {
    get: (target, property, receiver) => {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (!thrown && property === 'recordCallAttempt' && failure === 'transaction-throttled') throw throttle();
        if (!thrown && property === 'getWaitToken' && recorded && failure === 'wake-throttled') throw throttle();
        const result = await value.apply(target, args);
        if (property === 'recordCallAttempt') {
          recorded = true;
          if (!thrown && failure === 'response-lost') throw throttle();
        }
        return result;
      };
    },
  });
}

/** One loan onboarded, its first-contact task open, the agent's call at 11:00 the borrower's time. */
async function loanWithFirstContact(failure: Failure): Promise<{ app: LocalApp; taskId: string }> {
  app = await startLocalApp({
    store: 'memory',
    time: { kind: 'virtual', start, until },
    outbox: { append: () => undefined },
    faults: { ports: (ports) => ({ ...ports, store: failOnce((ports as { store: LoanStore }).store, failure) }) },
  });
  await runPortfolio(app, [{ line: 1, request, behaviour: behaviour({}) }], until);
  const task = (await app.store.listTasks(request.loanId)).find((t) => t.purpose === 'FIRST_CONTACT');
  if (!task) throw new Error('no first-contact task');
  app.clocks!.set(request.loanId, Date.parse('2026-01-05T11:00:00+08:00'));
  return { app, taskId: task.taskId };
}

/** What the console sees of the throttle: a 500 problem (the local API keeps the cause the problem hides). */
const serverError = { statusCode: 500, problem: { status: 500 }, cause: expect.any(TransientDependencyError) };

/** The agent's request fails with a 5xx; the console sends it again, same requestId. Returns the retry's answer. */
async function callTwice(app: LocalApp, input: Parameters<LocalApp['api']['recordCallbackOutcome']>[0]): Promise<{ status: string; replayed?: boolean }> {
  await expect(app.api.recordCallbackOutcome(input)).rejects.toMatchObject(serverError);
  const answer = await app.api.recordCallbackOutcome(input);
  await app.runtime.whenIdle();
  return answer;
}

const reached = { outcome: 'REACHED', findings: ['funds_received', 'contact_details_confirmed'], agentId: 'agent-1', requestId: 'console-7f3a9c1e' } as const;
const noAnswer = { outcome: 'NO_ANSWER', findings: [], agentId: 'agent-1', requestId: 'console-7f3a9c1e' } as const;

describe('a call outcome sent again after a failure is recorded once', () => {
  it('the answer lost after the call was recorded: the retry is recognised and the loan hears of the call once', async () => {
    const { app, taskId } = await loanWithFirstContact('response-lost');
    expect(await callTwice(app, { taskId, ...reached })).toMatchObject({ status: 'DONE', replayed: true });
    const completed = (await app.store.listTimeline(request.loanId)).filter((e) => e.type === 'CALLBACK_COMPLETED' && e.taskId === taskId);
    expect(completed).toHaveLength(1);
    expect(await app.store.getTask(taskId)).toMatchObject({ status: 'DONE', attempts: 1 });
  });

  it('a throttle between recording an unanswered call and waking the loan: the retry does not count a second attempt', async () => {
    const { app, taskId } = await loanWithFirstContact('wake-throttled');
    expect(await callTwice(app, { taskId, ...noAnswer })).toMatchObject({ status: 'OPEN', replayed: true });
    expect(await app.store.getTask(taskId)).toMatchObject({ status: 'OPEN', attempts: 1 });
    const attempted = (await app.store.listTimeline(request.loanId)).filter((e) => e.type === 'CALLBACK_ATTEMPTED' && e.taskId === taskId);
    expect(attempted).toHaveLength(1);
    // The loan was woken by the retry: the call reached it without waiting for its next timer.
    expect(await app.store.listInbox(request.loanId)).toEqual([]);
  });

  it('a throttled transaction writes nothing: the retry records the call, once', async () => {
    const { app, taskId } = await loanWithFirstContact('transaction-throttled');
    const answer = await callTwice(app, { taskId, ...reached });
    expect(answer).toMatchObject({ status: 'DONE' });
    expect(answer.replayed).toBeUndefined();
    const completed = (await app.store.listTimeline(request.loanId)).filter((e) => e.type === 'CALLBACK_COMPLETED' && e.taskId === taskId);
    expect(completed).toHaveLength(1);
  });

  it('without a requestId a second request is a second call (why the console sends one)', async () => {
    const { app, taskId } = await loanWithFirstContact('wake-throttled');
    const { requestId: _omitted, ...anonymous } = noAnswer;
    await expect(app.api.recordCallbackOutcome({ taskId, ...anonymous })).rejects.toMatchObject(serverError);
    await app.api.recordCallbackOutcome({ taskId, ...anonymous });
    expect(await app.store.getTask(taskId)).toMatchObject({ attempts: 2 });
  });
});
