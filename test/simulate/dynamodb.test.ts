// The default store: a small portfolio against DynamoDB Local gives exactly the timeline and the counted
// usage of the in-memory store.
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { scratchDir, simulate, STORY_HEADER, writePortfolio, type SimulationRun } from './simulate-support.js';

const scratch = scratchDir('dynamodb');
const DAY0 = '2026-01-05T10:00:00+08:00';
const ROWS = [
  `DDB-LATE,consumer,medium,36000,0.08,12,${DAY0},Asia/Shanghai,+8613812345678,a@example.com,P L5,,1`,
  `DDB-NY,consumer,low,20000,0.1,12,2026-01-10T12:00:00-05:00,America/New_York,+12125550107,b@example.com,P X,,1`,
  `DDB-CAR,car,high,150000,0.065,36,${DAY0},Asia/Shanghai,+8613812345679,c@example.com,,3:income_decline,0.5`,
];
const until = new Date('2026-04-15T00:00:00Z');
let dynamo: SimulationRun;
let memory: SimulationRun;

beforeAll(async () => {
  const portfolioFile = writePortfolio(scratch.dir, 'small.csv', [STORY_HEADER, ...ROWS]);
  dynamo = await simulate({ portfolioFile, until, outDir: `${scratch.dir}/dynamodb`, store: 'dynamodb' });
  memory = await simulate({ portfolioFile, until, outDir: `${scratch.dir}/memory`, store: 'memory' });
});

afterAll(() => scratch.cleanup());

group('simulate against DynamoDB Local', () => {
  it('runs every loan through the definition and handlers and exports their timelines', () => {
    expect(dynamo.summary.portfolio.store).toBe('dynamodb');
    expect(new Set(dynamo.events.map((e) => e.loanId))).toEqual(new Set(['DDB-LATE', 'DDB-NY', 'DDB-CAR']));
    expect(dynamo.events.filter((e) => e.loanId === 'DDB-NY' && e.type === 'LOAN_CLOSED')).toHaveLength(1);
    expect(dynamo.events.find((e) => e.loanId === 'DDB-NY')!.at).toBe('2026-01-10T12:00:00.000-05:00');
    expect(dynamo.summary.usage.sms).toMatchObject({ CN: expect.any(Number), US: expect.any(Number) });
    expect(dynamo.failedExecutions).toEqual([]);
  });

  it('reports the CPU time of the DynamoDB Local it started, beside its own (none for the memory store)', () => {
    expect(dynamo.summary.run.storeCpuSeconds).toBeGreaterThan(0);
    expect(dynamo.report).toMatch(/s of CPU, DynamoDB Local \d+\.\d s more\)/);
    expect(memory.summary.run.storeCpuSeconds).toBeUndefined();
  });

  it('gives the same timeline, byte for byte, and the same counted usage as the in-memory store', () => {
    expect(dynamo.timelineText).toBe(memory.timelineText);
    expect(dynamo.summary.usage).toEqual(memory.summary.usage);
    expect(dynamo.summary.usage.dynamoReads).toBeGreaterThan(0);
    expect(dynamo.summary.months).toEqual(memory.summary.months);
  });
});
