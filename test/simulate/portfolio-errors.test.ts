// A malformed portfolio is reported row by row (line number and field) and nothing is simulated.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe as group, expect, it } from 'vitest';
import { parseSimulateArgs, parseUntil, UsageError } from '../../infra/local/simulate/options.js';
import { PortfolioError } from '../../infra/local/portfolio-file.js';
import { runSimulation } from '../../infra/local/simulate/run-simulation.js';
import { scratchDir, STORY_HEADER, writePortfolio } from './simulate-support.js';

const scratch = scratchDir('errors');
afterAll(() => scratch.cleanup());

const GOOD = (id: string, overrides: Partial<Record<string, string>> = {}) => {
  const row: Record<string, string> = {
    loanId: id,
    product: 'consumer',
    riskRating: 'medium',
    principal: '36000',
    annualRate: '0.08',
    termMonths: '12',
    disbursedAt: '2026-01-05T10:00:00+08:00',
    timezone: 'Asia/Shanghai',
    phone: '+8613812345678',
    email: 'borrower@example.com',
    payments: '',
    reports: '',
    answerRate: '',
    ...overrides,
  };
  return STORY_HEADER.split(',').map((column) => row[column]).join(',');
};

const CSV_LINES = [
  STORY_HEADER,
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
];

async function problemsOf(file: string): Promise<string[]> {
  try {
    await runSimulation({ portfolioFile: file, until: new Date('2026-06-01T00:00:00Z'), outDir: join(scratch.dir, 'never'), seed: 1, store: 'memory', minutesPerCall: 6, minutesPerVisit: 90, workers: 0 });
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
      'line 10: loanId',
    ]);
    expect(existsSync(join(scratch.dir, 'never'))).toBe(false);
  });
});

group('a malformed JSON-lines portfolio', () => {
  it('names the line of broken JSON, of a non-object and of a bad field', async () => {
    const good = { loanId: 'J-1', product: 'car', riskRating: 'low', principal: 1000, annualRate: 0.05, termMonths: 12, disbursedAt: '2026-01-05T10:00:00+08:00', timezone: 'Asia/Shanghai', phone: '+8613812345678', email: 'j@example.com' };
    const file = writePortfolio(scratch.dir, 'bad.jsonl', [
      JSON.stringify(good),
      '{"loanId": "J-2", ',
      '[1, 2]',
      JSON.stringify({ ...good, loanId: 'J-4', termMonths: 600 }),
      JSON.stringify({ ...good, loanId: 'J-5', payments: 'P P Z' }),
    ]);
    expect(await problemsOf(file)).toEqual(['line 2: (row)', 'line 3: (row)', 'line 4: termMonths', 'line 5: payments']);
  });
});

group('the command', () => {
  const run = promisify(execFile);
  const cli = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'infra/local/simulate/simulate.ts', ...args], { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' } }).then(
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
