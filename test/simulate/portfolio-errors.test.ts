// A malformed portfolio is reported row by row (line number and field) and nothing is simulated.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe as group, expect, it } from 'vitest';
import { parseSimulateArgs, parseUntil, UsageError } from '../../local/simulate/options.js';
import { parsePortfolioCsv } from '../../functions/http/portfolio-csv.js';
import { PortfolioError, readPortfolio } from '../../local/portfolio-file.js';
import { behaviour, BehaviourError } from '../../local/world/borrower-behaviour.js';
import { runSimulation } from '../../local/simulate/run-simulation.js';
import { loanRequestBody } from '../support/loans.js';
import { scratchDir, STORY_HEADER, writePortfolio } from './simulate-support.js';

const scratch = scratchDir('errors');
afterAll(() => scratch.cleanup());

/** The story columns and the three optional columns of the collections life. */
const HEADER = `${STORY_HEADER},promises,reviews,legal`;

const GOOD = (id: string, overrides: Partial<Record<string, string>> = {}) => {
  const row: Record<string, string> = {
    ...Object.fromEntries(Object.entries(loanRequestBody({ loanId: id })).map(([column, value]) => [column, String(value)])),
    payments: '',
    reports: '',
    answerRate: '',
    promises: '',
    reviews: '',
    legal: '',
    ...overrides,
  };
  return HEADER.split(',')
    .map((column) => row[column])
    .join(',');
};

const CSV_LINES = [
  HEADER,
  GOOD('OK-1'),
  GOOD('BAD-2', { product: 'bike' }),
  GOOD('BAD-3', { riskRating: 'extreme' }),
  GOOD('BAD-4', { payments: 'P L3 Q' }),
  GOOD('BAD-5', { reports: '3:bankrupt' }),
  GOOD('BAD-6', { answerRate: '1.5' }),
  GOOD('BAD-7', { disbursedAt: 'yesterday' }),
  'BAD-8,consumer,medium',
  GOOD('OK-1'),
  GOOD('BAD-10', { timezone: 'Mars/Olympus', phone: '12345' }),
  GOOD('BAD-12', { promises: 'KBX' }),
  GOOD('BAD-13', { reviews: 'PRE_LEGAL_REVIEW:sue' }),
  GOOD('BAD-14', { legal: 'hearing@2' }),
  GOOD('OK-15', {
    disbursedAt: '2026-01-05',
    promises: 'B K N',
    reviews: 'RECALL_REVIEW:continue;PRE_LEGAL_REVIEW:refer',
    legal: 'hearing_scheduled@2;written_off@9',
  }),
  GOOD('BAD-16', { disbursedAt: '2026-02-30' }),
  GOOD('BAD-17', { reviews: 'RESTRUCTURE_REVIEW:extend6+stretch2' }),
];

async function problemsOf(file: string): Promise<string[]> {
  try {
    await runSimulation({
      portfolioFile: file,
      until: new Date('2026-06-01T00:00:00Z'),
      outDir: join(scratch.dir, 'never'),
      seed: 1,
      store: 'memory',
      minutesPerCall: 6,
      minutesPerVisit: 90,
      workers: 0,
    });
  } catch (error) {
    expect(error).toBeInstanceOf(PortfolioError);
    return (error as PortfolioError).problems.map((p) => `line ${p.line}: ${p.field}`);
  }
  throw new Error('the portfolio was accepted');
}

group('a malformed CSV portfolio', () => {
  it('names every bad row by line number and field, and simulates nothing', async () => {
    const file = writePortfolio(scratch.dir, 'bad.csv', CSV_LINES);
    expect(await problemsOf(file)).toEqual([
      'line 3: product',
      'line 4: riskRating',
      'line 5: payments',
      'line 6: reports',
      'line 7: answerRate',
      'line 8: disbursedAt',
      'line 9: (row)',
      'line 11: timezone',
      'line 11: phone',
      'line 12: promises',
      'line 13: reviews',
      'line 14: legal',
      'line 16: disbursedAt',
      'line 17: reviews',
      'line 10: loanId',
    ]);
    expect(existsSync(join(scratch.dir, 'never'))).toBe(false);
  });
});

group('the behaviour columns of the collections life', () => {
  const reason = (columns: Parameters<typeof behaviour>[0]) => {
    try {
      behaviour(columns);
    } catch (error) {
      expect(error).toBeInstanceOf(BehaviourError);
      return error instanceof Error ? error.message : String(error);
    }
    throw new Error('accepted');
  };

  it('reads promises, reviews and legal events', () => {
    expect(behaviour({ promises: 'B K  N', reviews: 'RECALL_REVIEW:continue; PRE_LEGAL_REVIEW:refer', legal: 'hearing_scheduled@2;settled@9' })).toMatchObject({
      promises: ['B', 'K', 'N'],
      reviews: [
        { purpose: 'RECALL_REVIEW', decision: 'continue' },
        { purpose: 'PRE_LEGAL_REVIEW', decision: 'refer' },
      ],
      legal: [
        { event: 'hearing_scheduled', months: 2 },
        { event: 'settled', months: 9 },
      ],
    });
    expect(behaviour({ promises: 'BKN' }).promises).toEqual(['B', 'K', 'N']);
    // Absent columns: every promise K, every review `continue`, no legal event.
    expect(behaviour({})).toEqual({ payments: [], reports: [], answerRate: 1 });
  });

  it('names the column and the token of a bad value', () => {
    expect(reason({ promises: 'KBX' })).toBe('promises: token 3 "X" must be K (kept), B (broken) or N (no promise)');
    expect(reason({ reviews: 'PRE_LEGAL_REVIEW:sue' })).toBe(
      'reviews: entry 1 "PRE_LEGAL_REVIEW:sue": the decision must be refer, recall, restructure, continue',
    );
    expect(reason({ reviews: 'RECALL_REVIEW:continue;COLLATERAL_REVIEW:refer' })).toBe(
      'reviews: entry 2 "COLLATERAL_REVIEW:refer": the purpose must be RECALL_REVIEW, PRE_LEGAL_REVIEW or RESTRUCTURE_REVIEW',
    );
    expect(reason({ reviews: 'refer' })).toBe('reviews: entry 1 "refer" must look like PRE_LEGAL_REVIEW:refer');
    expect(reason({ legal: 'hearing@2' })).toBe('legal: entry 1 "hearing@2": the event must be hearing_scheduled, judgment, settled, recovered, written_off');
    expect(reason({ legal: 'judgment@two' })).toBe(
      'legal: entry 1 "judgment@two" must look like hearing_scheduled@2 (event @ whole months after the referral)',
    );
    expect(reason({ legal: 'judgment@5;hearing_scheduled@2' })).toBe('legal: entry 2 "hearing_scheduled@2": months must not go back (judgment@5 is before it)');
    expect(reason({ legal: 'written_off@9;judgment@10' })).toBe('legal: entry 2 "judgment@10": nothing follows written_off, which closes the case');
  });

  it('reads restructure review outcomes: a plan of extend, rate, grace and capitalise joined by +, or decline', () => {
    expect(
      behaviour({ reviews: 'RESTRUCTURE_REVIEW:extend6; RESTRUCTURE_REVIEW:decline;RECALL_REVIEW:restructure;RESTRUCTURE_REVIEW:rate0.05+grace3 + capitalise' })
        .reviews,
    ).toEqual([
      {
        purpose: 'RESTRUCTURE_REVIEW',
        decision: 'restructure',
        plan: { extendMonths: 6, annualRate: null, graceMonths: 0, arrears: 'keep_due' },
        text: 'extend6',
      },
      { purpose: 'RESTRUCTURE_REVIEW', decision: 'decline', text: 'decline' },
      { purpose: 'RECALL_REVIEW', decision: 'restructure' },
      {
        purpose: 'RESTRUCTURE_REVIEW',
        decision: 'restructure',
        plan: { extendMonths: 0, annualRate: 0.05, graceMonths: 3, arrears: 'capitalise' },
        text: 'rate0.05+grace3+capitalise',
      },
    ]);
    expect(behaviour({ reviews: 'RESTRUCTURE_REVIEW:extend6+grace2' }).reviews).toMatchObject([{ plan: { extendMonths: 6, graceMonths: 2 } }]);
    expect(behaviour({ reviews: 'RESTRUCTURE_REVIEW:capitalise' }).reviews).toMatchObject([
      { plan: { extendMonths: 0, annualRate: null, graceMonths: 0, arrears: 'capitalise' } },
    ]);
  });

  it('names the column, the entry and the token of a bad restructure outcome', () => {
    const plan = 'must be decline, or a plan of extend<months>, rate<annual rate>, grace<months> joined by + (e.g. extend6+grace2), optionally +capitalise';
    expect(reason({ reviews: 'RESTRUCTURE_REVIEW:extend6+stretch2' })).toBe(`reviews: entry 1 "RESTRUCTURE_REVIEW:extend6+stretch2": token "stretch2" ${plan}`);
    expect(reason({ reviews: 'PRE_LEGAL_REVIEW:refer;RESTRUCTURE_REVIEW:extend' })).toBe(
      `reviews: entry 2 "RESTRUCTURE_REVIEW:extend": token "extend" ${plan}`,
    );
    expect(reason({ reviews: 'RESTRUCTURE_REVIEW:refer' })).toBe(`reviews: entry 1 "RESTRUCTURE_REVIEW:refer": token "refer" ${plan}`);
    expect(reason({ reviews: 'RESTRUCTURE_REVIEW:extend6+' })).toBe('reviews: entry 1 "RESTRUCTURE_REVIEW:extend6+" must look like PRE_LEGAL_REVIEW:refer');
    expect(reason({ reviews: 'RESTRUCTURE_REVIEW:extend0' })).toBe(
      'reviews: entry 1 "RESTRUCTURE_REVIEW:extend0": token "extend0": extend takes at least 1 month',
    );
    expect(reason({ reviews: 'RESTRUCTURE_REVIEW:grace2+grace3' })).toBe(
      'reviews: entry 1 "RESTRUCTURE_REVIEW:grace2+grace3": token "grace3": grace is given twice',
    );
    expect(reason({ reviews: 'RESTRUCTURE_REVIEW:rate5' })).toBe(
      'reviews: entry 1 "RESTRUCTURE_REVIEW:rate5": token "rate5": the rate is a yearly fraction below 1, e.g. rate0.05 for 5%',
    );
    expect(reason({ reviews: 'RESTRUCTURE_REVIEW:extend6+decline' })).toBe(
      'reviews: entry 1 "RESTRUCTURE_REVIEW:extend6+decline": token "decline" stands alone: a declined review has no plan',
    );
    expect(reason({ reviews: 'PRE_LEGAL_REVIEW:extend6' })).toBe(
      'reviews: entry 1 "PRE_LEGAL_REVIEW:extend6": the decision must be refer, recall, restructure, continue',
    );
  });

  it('stops the run naming the line, the column and the token', () => {
    const file = writePortfolio(scratch.dir, 'bad-columns.csv', [
      HEADER,
      GOOD('OK-1'),
      GOOD('BAD-3', { promises: 'K?' }),
      GOOD('BAD-4', { legal: 'settled@x' }),
    ]);
    expect(() => readPortfolio(file)).toThrow(PortfolioError);
    try {
      readPortfolio(file);
    } catch (error) {
      expect((error as PortfolioError).message).toBe(
        [
          'line 3: promises: token 2 "?" must be K (kept), B (broken) or N (no promise)',
          'line 4: legal: entry 1 "settled@x" must look like hearing_scheduled@2 (event @ whole months after the referral)',
        ].join('\n'),
      );
    }
  });
});

group('a plain-date disbursedAt', () => {
  it('is read at 10:00 that day in the row time zone, by simulate and by the import route', () => {
    const file = writePortfolio(scratch.dir, 'plain-dates.csv', [
      HEADER,
      GOOD('SH-1', { disbursedAt: '2026-01-05' }),
      GOOD('NY-1', { disbursedAt: '2026-07-05', timezone: 'America/New_York', phone: '+12125550123' }),
      GOOD('KEEP-1', { disbursedAt: '2026-01-05T08:30:00+08:00' }),
    ]);
    const rows = readPortfolio(file);
    expect(rows.map((r) => r.request.disbursedAt)).toEqual(['2026-01-05T10:00:00.000+08:00', '2026-07-05T10:00:00.000-04:00', '2026-01-05T08:30:00+08:00']);
    expect(new Date(rows[0]!.request.disbursedAt).toISOString()).toBe('2026-01-05T02:00:00.000Z');
    // The import route reads the same CSV with the same rule (its behaviour columns are not loan fields).
    const csv = parsePortfolioCsv(
      [HEADER, GOOD('SH-1', { disbursedAt: '2026-01-05', promises: 'BK', legal: 'written_off@3' }), GOOD('BAD-1', { disbursedAt: '2026-13-01' })].join('\n'),
    );
    expect(csv[0]!.fields.disbursedAt).toBe('2026-01-05T10:00:00.000+08:00');
    expect(Object.keys(csv[0]!.fields)).not.toContain('promises');
    expect(Object.keys(csv[0]!.fields)).not.toContain('legal');
    // A date that does not exist is left as written, for the schema to refuse.
    expect(csv[1]!.fields.disbursedAt).toBe('2026-13-01');
  });
});

group('a malformed JSON-lines portfolio', () => {
  it('names the line of broken JSON, of a non-object and of a bad field', async () => {
    const good = loanRequestBody({ loanId: 'J-1', product: 'car', riskRating: 'low', principal: 1000, annualRate: 0.05, email: 'j@example.com' });
    const file = writePortfolio(scratch.dir, 'bad.jsonl', [
      JSON.stringify(good),
      '{"loanId": "J-2", ',
      '[1, 2]',
      JSON.stringify({ ...good, loanId: 'J-4', termMonths: 600 }),
      JSON.stringify({ ...good, loanId: 'J-5', payments: 'P P Z' }),
      JSON.stringify({ ...good, loanId: 'J-6', disbursedAt: '2026-01-05', reviews: 'PRE_LEGAL_REVIEW:refer', legal: 'written_off@3' }),
      JSON.stringify({ ...good, loanId: 'J-7', reviews: 'PRE_LEGAL_REVIEW' }),
    ]);
    expect(await problemsOf(file)).toEqual(['line 2: (row)', 'line 3: (row)', 'line 4: termMonths', 'line 5: payments', 'line 7: reviews']);
  });
});

group('the command', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'local/simulate/simulate.ts', ...args], { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' } }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('stops with the line and field of each bad row and writes nothing', async () => {
    const file = writePortfolio(scratch.dir, 'cli-bad.csv', CSV_LINES.slice(0, 4));
    const out = join(scratch.dir, 'cli-out');
    const result = await cli(['--portfolio', file, '--until', '2026-06-01', '--out', out, '--store', 'memory', '--quiet']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nothing was simulated');
    expect(result.stderr).toMatch(/line 3: product: .+/);
    expect(result.stderr).toMatch(/line 4: riskRating: .+/);
    expect(existsSync(out)).toBe(false);
  });

  it('explains its usage when an option is missing or wrong', async () => {
    const result = await cli(['--portfolio', 'x.csv', '--out', 'y']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--until is required');
    expect(result.stderr).toContain('npm run simulate -- --portfolio FILE --until DATE --out DIR');
  });
});

group('options', () => {
  it('reads dates and instants for --until', () => {
    expect(parseUntil('2029-01-01').toISOString()).toBe('2029-01-01T00:00:00.000Z');
    expect(parseUntil('2029-01-01T08:00:00+08:00').toISOString()).toBe('2029-01-01T00:00:00.000Z');
    expect(() => parseUntil('2029-02-30')).toThrow(UsageError);
    expect(() => parseUntil('soon')).toThrow(/--until "soon"/);
  });

  it('defaults to DynamoDB Local, seed 1, 6 minutes a call; refuses bad values by name', () => {
    const options = parseSimulateArgs(['--portfolio', 'p.csv', '--until', '2029-01-01', '--out', 'out']);
    expect(options).toMatchObject({ store: 'dynamodb', seed: 1, minutesPerCall: 6, minutesPerVisit: 90, progress: true });
    expect(parseSimulateArgs(['--portfolio', 'p', '--until', '2029-01-01', '--out', 'o', '--store', 'memory', '--seed', '42', '--quiet']).seed).toBe(42);
    expect(() => parseSimulateArgs(['--portfolio', 'p', '--until', '2029-01-01', '--out', 'o', '--store', 'redis'])).toThrow(/--store "redis"/);
    expect(() => parseSimulateArgs(['--portfolio', 'p', '--until', '2029-01-01', '--out', 'o', '--seed=-1'])).toThrow(/--seed "-1"/);
    expect(() => parseSimulateArgs(['--portfolio', 'p', '--until', '2029-01-01', '--out', 'o', '--minutes-per-call', '0'])).toThrow(/--minutes-per-call/);
    expect(() => parseSimulateArgs(['--portfolio', 'p', '--until', '2029-01-01', '--out', 'o', '--colour'])).toThrow(UsageError);
  });
});
