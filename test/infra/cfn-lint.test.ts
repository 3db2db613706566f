// A second opinion on the synthesized template: AWS's CloudFormation linter (a Python tool, `pip install cfn-lint`).
// Run where the command is present; skipped elsewhere, so nothing `npm test` needs depends on it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { synthesizeStack } from '../../infra/asl.js';

const CFN_LINT = process.env.CFN_LINT ?? 'cfn-lint';
const available = spawnSync(CFN_LINT, ['--version'], { encoding: 'utf8' }).status === 0;

interface Finding {
  Level: 'Error' | 'Warning' | 'Informational';
  Rule: { Id: string };
  Message: string;
  Location: { Path?: (string | number)[] };
}

describe('cfn-lint on the synthesized template', () => {
  it.skipIf(!available)(
    'reports no errors',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'loan-followup-cfn-lint-'));
      try {
        const file = join(dir, 'template.json');
        writeFileSync(file, JSON.stringify(synthesizeStack().template.toJSON()));
        // Exit status is a bit mask (2 errors, 4 warnings, 8 informational): read the findings instead.
        const run = spawnSync(CFN_LINT, ['--format', 'json', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
        expect(run.error).toBeUndefined();
        let findings: Finding[];
        try {
          findings = JSON.parse(run.stdout || '[]') as Finding[];
        } catch {
          throw new Error(`cfn-lint did not answer in JSON (exit ${run.status}): ${run.stderr || run.stdout}`);
        }
        const errors = findings.filter((f) => f.Level === 'Error').map((f) => `${f.Rule.Id} ${(f.Location.Path ?? []).join('/')}: ${f.Message}`);
        expect(errors).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180_000,
  );
});
