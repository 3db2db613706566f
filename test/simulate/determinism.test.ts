// Same portfolio, same seed: the same timeline, however the loans are split into batches or worker threads.
import { spreadForLoan } from '../../workflows/domain/rules/spreading.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe as group, expect, it } from 'vitest';
import { syntheticRows, writeSyntheticCsv } from '../../local/bench/synthetic-portfolio.js';
import { drawBehaviour, RISK_PROFILES } from '../../local/simulate/behaviour-draw.js';
import { PolicyValidationError } from '../../workflows/policy/load-policy.js';
import { eventLine, scratchDir, simulate, STORY_HEADER, writePortfolio, type SimulationRun } from './simulate-support.js';

const scratch = scratchDir('determinism');
const until = new Date('2027-02-01T00:00:00Z');
let portfolioFile: string;
let first: SimulationRun;

beforeAll(async () => {
  portfolioFile = join(scratch.dir, 'drawn.csv');
  writeSyntheticCsv(portfolioFile, syntheticRows({ loans: 24, seed: 5, termMonths: 24 }));
  first = await simulate({ portfolioFile, until, outDir: join(scratch.dir, 'a'), seed: 3 });
});

afterAll(() => scratch.cleanup());

const withoutTimings = (run: SimulationRun) => ({ ...run.summary, run: undefined, portfolio: { ...run.summary.portfolio } });

group('a seeded run', () => {
  it('draws every borrower (no row scripts one) and simulates them all', () => {
    expect(first.summary.portfolio).toMatchObject({ loans: 24, scripted: 0, drawn: 24, seed: 3 });
    expect(new Set(first.events.map((e) => e.loanId)).size).toBe(24);
    expect(first.failedExecutions).toEqual([]);
  });

  it('gives the same timeline and summary again, split in batches of 7', async () => {
    const again = await simulate({ portfolioFile, until, outDir: join(scratch.dir, 'b'), seed: 3, batchSize: 7 });
    expect(again.summary.run.batches).toBe(4);
    expect(again.timelineText).toBe(first.timelineText);
    expect(withoutTimings(again)).toEqual(withoutTimings(first));
  });

  it('gives the same timeline from two worker threads', async () => {
    const threaded = await simulate({ portfolioFile, until, outDir: join(scratch.dir, 'c'), seed: 3, workers: 2 });
    expect(threaded.summary.run.workers).toBe(2);
    expect(threaded.timelineText).toBe(first.timelineText);
    expect(threaded.summary.usage).toEqual(first.summary.usage);
  });

  it('gives another timeline with another seed', async () => {
    const other = await simulate({ portfolioFile, until, outDir: join(scratch.dir, 'd'), seed: 4 });
    expect(other.timelineText).not.toBe(first.timelineText);
  });
});

group('drawn borrowers', () => {
  const loan = { loanId: 'L-1', riskRating: 'high' as const, product: 'car' as const, termMonths: 36 };

  it('depend only on the seed and the loan id', () => {
    expect(drawBehaviour(loan, 9)).toEqual(drawBehaviour(loan, 9));
    expect(drawBehaviour(loan, 9)).not.toEqual(drawBehaviour(loan, 10));
    expect(drawBehaviour({ ...loan, loanId: 'L-2' }, 9)).not.toEqual(drawBehaviour(loan, 9));
  });

  it('follow the risk rating: more late instalments and defaults for high risk than low', () => {
    const stats = (riskRating: 'low' | 'high') => {
      let late = 0;
      let missed = 0;
      for (let i = 0; i < 400; i++) {
        const b = drawBehaviour({ ...loan, loanId: `L-${i}`, riskRating }, 1);
        late += b.payments.filter((p) => p.kind === 'L').length;
        missed += b.payments.some((p) => p.kind === 'M') ? 1 : 0;
        expect(b.answerRate).toBe(RISK_PROFILES[riskRating].answerRate);
      }
      return { late, missed };
    };
    const low = stats('low');
    const high = stats('high');
    expect(high.late).toBeGreaterThan(low.late * 3);
    expect(high.missed).toBeGreaterThan(low.missed);
  });
});

group('--policy', () => {
  const row = 'WHATIF,consumer,medium,36000,0.08,12,2026-01-05T10:00:00+08:00,Asia/Shanghai,+8613812345678,borrower@example.com,,,1';

  it('replaces the shipped policy of its product for the run', async () => {
    const policy = JSON.parse(readFileSync(new URL('../../workflows/policy/consumer.json', import.meta.url), 'utf8'));
    policy.reminders.daysBefore = 5;
    const policyFile = join(scratch.dir, 'consumer-5-days.json');
    writeFileSync(policyFile, JSON.stringify(policy));
    const portfolio = writePortfolio(scratch.dir, 'whatif.csv', [STORY_HEADER, row]);
    const shipped = await simulate({ portfolioFile: portfolio, until: new Date('2026-02-20T00:00:00Z'), outDir: join(scratch.dir, 'shipped') });
    const whatIf = await simulate({ portfolioFile: portfolio, until: new Date('2026-02-20T00:00:00Z'), outDir: join(scratch.dir, 'whatif'), policyFile });
    const reminders = (run: SimulationRun) => run.events.filter((e) => e.type === 'MESSAGE_SENT' && e.purpose === 'REMINDER').map(eventLine);
    // The loan's own minute of the spreading window, the same under both policies.
    const at = spreadForLoan(policy, 'WHATIF').reminders.localTime;
    expect(at > '10:00').toBe(true);
    expect(reminders(shipped)).toEqual([`2026-02-02T${at} MESSAGE_SENT SMS REMINDER`, `2026-02-02T${at} MESSAGE_SENT EMAIL REMINDER`]);
    expect(reminders(whatIf)).toEqual([`2026-01-31T${at} MESSAGE_SENT SMS REMINDER`, `2026-01-31T${at} MESSAGE_SENT EMAIL REMINDER`]);
    expect(whatIf.summary.portfolio.policyFile).toBe(policyFile);
  });

  it('refuses an invalid policy before anything runs, naming the field', async () => {
    const policy = JSON.parse(readFileSync(new URL('../../workflows/policy/consumer.json', import.meta.url), 'utf8'));
    policy.periodic.intervalMonths.low = 13;
    const policyFile = join(scratch.dir, 'bad-policy.json');
    writeFileSync(policyFile, JSON.stringify(policy));
    const portfolio = writePortfolio(scratch.dir, 'whatif2.csv', [STORY_HEADER, row]);
    const outDir = join(scratch.dir, 'never');
    const attempt = simulate({ portfolioFile: portfolio, until: new Date('2026-03-01T00:00:00Z'), outDir, policyFile });
    await expect(attempt).rejects.toThrow(PolicyValidationError);
    await expect(attempt).rejects.toThrow(/periodic\.intervalMonths\.low/);
    expect(() => readFileSync(join(outDir, 'timeline.jsonl'))).toThrow();
  });
});
