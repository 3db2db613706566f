import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_ESBUILD } from '../../infra/constructs/lambda-bundling.js';

const outDir = mkdtempSync(join(tmpdir(), 'lambda-bundling-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/** Bundles functions/errors.ts as a Lambda is bundled and loads it as the runtime would. */
async function bundledErrors(options: Record<string, unknown>): Promise<Record<string, new (...args: never[]) => Error>> {
  const outfile = join(outDir, `errors-${Object.keys(options).join('-') || 'as-deployed'}.cjs`);
  await build({
    ...LAMBDA_ESBUILD,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    external: [...LAMBDA_ESBUILD.external],
    ...options,
    entryPoints: [resolve('functions/errors.ts')],
    outfile,
    bundle: true,
    logLevel: 'silent',
  });
  return createRequire(import.meta.url)(outfile);
}

describe('lambda bundling', () => {
  it('errors keep their class names in a minified bundle (Retry/Catch and problem types match on them)', async () => {
    const errors = await bundledErrors({});
    const LoanNotFound = errors.LoanNotFoundError as unknown as new (id: string) => Error;
    const Validation = errors.ValidationError as unknown as new (issues: { field: string; reason: string }[]) => Error;
    expect(new LoanNotFound('L-1').name).toBe('LoanNotFoundError');
    expect(new Validation([{ field: 'phone', reason: 'not a phone number' }]).name).toBe('ValidationError');
  });

  it('noncompliant: without keepNames the minifier renames them (why the option is there)', async () => {
    const errors = await bundledErrors({ keepNames: false });
    const LoanNotFound = errors.LoanNotFoundError as unknown as new (id: string) => Error;
    expect(new LoanNotFound('L-1').name).not.toBe('LoanNotFoundError');
  });
});
