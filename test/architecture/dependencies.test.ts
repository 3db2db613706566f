// Every import of every TypeScript file obeys the dependency rules (test/architecture/dependency-rules.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEPENDENCY_RULES } from './dependency-rules.js';

const ROOTS = ['functions', 'workflows', 'infra', 'local', 'console'];
const sourceFiles = ROOTS.flatMap((root) => {
  try {
    return readdirSync(root, { recursive: true, encoding: 'utf8' }).map((f) => join(root, f).split('\\').join('/'));
  } catch {
    return [];
  }
}).filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'));

/** What a file imports: repository paths for relative imports (extension dropped), package names otherwise. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
  return specifiers.map((s) =>
    s.startsWith('.')
      ? normalize(join(dirname(file), s))
          .split('\\')
          .join('/')
          .replace(/\.(js|ts|mjs)$/, '')
      : s,
  );
}

const edges = sourceFiles.flatMap((file) => importsOf(file).map((target) => ({ file, target })));

describe('dependency rules', () => {
  it('finds the imports it checks', () => {
    expect(sourceFiles.length).toBeGreaterThan(150);
    expect(edges).toContainEqual({ file: 'functions/advance-loan.ts', target: 'workflows/domain/catch-up' });
    expect(edges).toContainEqual({ file: 'functions/advance-loan.ts', target: '@aws-lambda-powertools/logger' });
  });

  it('has no import cycles: no module reaches itself through the modules it imports', () => {
    const local = new Set(sourceFiles.map((f) => f.replace(/\.(ts|js|mjs)$/, '')));
    const next = new Map<string, string[]>();
    for (const { file, target } of edges) {
      const from = file.replace(/\.(ts|js|mjs)$/, '');
      if (local.has(target)) next.set(from, [...(next.get(from) ?? []), target]);
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      for (const to of next.get(node) ?? []) visit(to, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of local) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it.each(DEPENDENCY_RULES.map((rule) => [rule.name, rule] as const))('%s', (_name, rule) => {
    const broken = edges.filter(
      ({ file, target }) => rule.from.test(file) && !(rule.except ?? []).some((e) => e.test(file)) && rule.forbidden.some((f) => f.test(target)),
    );
    expect(broken, rule.comment).toEqual([]);
  });
});
