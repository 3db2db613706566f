// `npm run capacity` end to end on a tiny drawn sample (in-memory store): the files it writes, and figures
// that agree with each other; bad arguments stop it with exit code 2 and a message naming the argument.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe as group, expect, it } from 'vitest';
import type { CapacityReport } from '../../local/capacity/run-capacity.js';
import { scratchDir } from './simulate-support.js';

const scratch = scratchDir('capacity');
afterAll(() => scratch.cleanup());

const run = promisify(execFile);
function capacity(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'local/capacity/capacity.ts', ...args], { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

group('npm run capacity', () => {
  it('sizes a book from a simulated sample and writes capacity.json and capacity.svg', async () => {
    const out = join(scratch.dir, 'out');
    const loans = 250_000;
    const { code, stdout, stderr } = await capacity(['--loans', String(loans), '--sample', '8', '--out', out, '--region', 'ap-southeast-1', '--quiet']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('Capacity of 250,000 active loans in ap-southeast-1');
    expect(stdout).toMatch(/First quota reached as the book grows: .+, at about [\d,]+ loans\./);

    const report = JSON.parse(readFileSync(join(out, 'capacity.json'), 'utf8')) as CapacityReport;
    expect(report.loans).toBe(loans);
    expect(report.sample.loans).toBe(8);
    expect(report.sample.scale).toBe(loans / 8);
    expect(report.unattributed).toEqual({});
    expect(report.failedExecutions).toBe(0);
    const row = (quota: string) => report.rows.find((r) => r.quota === quota)!;
    // One open execution per loan; outside the big three, the smaller buckets.
    expect(row('sfnOpenExecutions')).toMatchObject({ demand: loans, limit: 1_000_000, loansAtLimit: 1_000_000 });
    expect(row('sfnStateTransitions').limit).toBe(500);
    expect(row('sfnStartExecution').limit).toBe(150);
    // Eight loans over a month do step, wait and write.
    expect(row('sfnStateTransitions').perDay).toBeGreaterThan(0);
    expect(row('dynamodbTableWrites').perDay).toBeGreaterThan(0);
    expect(report.lambdaByFunction['advance-loan']!.perDay).toBeGreaterThan(0);
    for (const r of report.rows) {
      if (r.perSecond === null || r.perDay === null || r.worstSecond === null) continue;
      // The worst minute holds no more than the worst day, the worst second no more than the worst minute,
      // and every count is a whole number of the sample's events times the scale.
      expect(r.perSecond * 60).toBeLessThanOrEqual(r.perDay + 1e-6);
      expect(r.worstSecond).toBeLessThanOrEqual(r.perSecond * 60 + 1e-6);
      expect(Number.isInteger(Math.round((r.perDay / report.sample.scale) * 1e6) / 1e6)).toBe(true);
      if (r.loansAtLimit !== null) expect(r.loansAtLimit * r.demand).toBeCloseTo(loans * r.limit, 0);
    }
    expect(report.firstHit).not.toBeNull();
    expect(report.firstHit!.loansAtLimit).toBe(Math.min(...report.rows.map((r) => r.loansAtLimit ?? Number.POSITIVE_INFINITY)));

    const svg = readFileSync(join(out, 'capacity.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Step Functions state transitions');
    expect(svg.match(/<polyline /g)!.length).toBe(report.rows.filter((r) => r.perHour).length);
  });

  it('stops with exit code 2 and names the argument that is wrong', async () => {
    const [bad, region, missing, file] = await Promise.all([
      capacity(['--loans', 'a million']),
      capacity(['--loans', '1000', '--region', 'mars', '--out', join(scratch.dir, 'never')]),
      capacity(['--sample', '5']),
      capacity(['--loans', '1000', '--portfolio', join(scratch.dir, 'no-such.csv')]),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--loans "a million" must be a whole number');
    expect(bad.stderr).toContain('npm run capacity -- --loans N');
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('--region "mars" must be a Region code');
    expect(existsSync(join(scratch.dir, 'never'))).toBe(false);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--loans is required');
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/--portfolio ".*no-such\.csv": no such file/);
  });
});
