import { afterAll, beforeAll } from 'vitest';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import type { TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { startLocalApp, type LocalApp } from '../../local/local-app.js';
import type { OutboxEntry } from '../../local/outbox-senders.js';
import type { OnboardLoanRequest } from '../../functions/schemas.js';
import { runPortfolio } from '../../local/run-portfolio.js';
import { behaviour, type BehaviourColumns } from '../../local/world/borrower-behaviour.js';
import { SimulatedWorld } from '../../local/world/simulated-world.js';

let tableCounter = 0;

export interface StoryResult {
  app: LocalApp;
  outbox: OutboxEntry[];
  timeline: TimelineEvent[];
  loanId: string;
  of(type: string): TimelineEvent[];
}

/** Runs one scripted loan through the real definition, handlers and DynamoDB Local until `months` later. */
export async function runStory(
  endpoint: string,
  request: OnboardLoanRequest,
  /** The behaviour columns of a portfolio row: payments, reports, answerRate, promises, reviews, legal. */
  script: BehaviourColumns,
  months: number,
): Promise<StoryResult> {
  const outbox: OutboxEntry[] = [];
  const start = new Date(request.disbursedAt);
  const until = new Date(start);
  until.setUTCMonth(until.getUTCMonth() + months);
  const behaviours = new Map([[request.loanId, behaviour(script)]]);
  const app = await startLocalApp({
    endpoint,
    tableName: `story-${process.pid}-${++tableCounter}`,
    time: { kind: 'virtual', start, until },
    outbox: { append: (entry) => void outbox.push(entry) },
    world: ({ store, api }) => new SimulatedWorld(store, api, behaviours, 7),
  });
  await runPortfolio(app, [{ line: 1, request, behaviour: behaviours.get(request.loanId)! }], until);
  const timeline = await app.store.listTimeline(request.loanId);
  return { app, outbox, timeline, loanId: request.loanId, of: (type) => timeline.filter((e) => e.type === type) };
}

/**
 * One DynamoDB Local for a test file's stories, started before them and stopped (with every story's app) after:
 * call at the top level of the file, then `await story(request, script, months)` in a beforeAll.
 */
export function storiesOnDynamoDbLocal(): (request: OnboardLoanRequest, script: BehaviourColumns, months: number) => Promise<StoryResult> {
  let dynamo: Awaited<ReturnType<typeof startDynamoDbLocal>> | undefined;
  const stories: StoryResult[] = [];
  beforeAll(async () => {
    dynamo = await startDynamoDbLocal({});
  });
  afterAll(async () => {
    for (const story of stories) await story.app.stop();
    await dynamo?.stop();
  });
  return async (request, script, months) => {
    const result = await runStory(dynamo!.endpoint, request, script, months);
    stories.push(result);
    return result;
  };
}
