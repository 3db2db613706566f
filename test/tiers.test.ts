// Every test file is in exactly one tier of `npm test` (test/tiers.ts): a file in none would never run.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { globToRegExp, TIERS } from './tiers.js';

const testFiles = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .map((f) => `test/${f.split('\\').join('/')}`)
  .filter((f) => f.endsWith('.test.ts'))
  .sort();

describe('test tiers', () => {
  it('puts every test file in exactly one tier', () => {
    const tiersOf = (file: string) =>
      Object.entries(TIERS)
        .filter(([, globs]) => globs.some((g) => globToRegExp(g).test(file)))
        .map(([tier]) => tier);
    const misplaced = testFiles.map((file) => ({ file, tiers: tiersOf(file) })).filter((f) => f.tiers.length !== 1);
    expect(misplaced).toEqual([]);
    expect(testFiles.length).toBeGreaterThan(60);
  });

  it('reads the globs as vitest does: ** spans folders, * stays inside one', () => {
    expect(globToRegExp('test/domain/**/*.test.ts').test('test/domain/a.test.ts')).toBe(true);
    expect(globToRegExp('test/domain/**/*.test.ts').test('test/domain/x/y/a.test.ts')).toBe(true);
    expect(globToRegExp('test/*.test.ts').test('test/domain/a.test.ts')).toBe(false);
    expect(globToRegExp('test/simulate/capacity-*.test.ts').test('test/simulate/capacity-math.test.ts')).toBe(true);
  });
});
