// Each Lambda bundled as `cdk deploy` bundles it (infra/constructs/follow-up-functions.ts: esbuild, CommonJS,
// minified, node22, SDK v3 left to the runtime), its size, and how long a fresh Node process takes to import it.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { LAMBDA_ESBUILD } from '../../infra/constructs/lambda-bundling.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CREATE_REQUIRE_BANNER = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** What the handlers read from the environment when they are imported (placeholders). */
export const HANDLER_ENV = {
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'loan-followup',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:loan-followup',
  SENDER_EMAIL: 'no-reply@lender.example',
  SES_CONFIGURATION_SET: 'loan-followup',
  RECEIPT_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000001',
  UNSUBSCRIBE_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000',
  UNSUBSCRIBE_BASE_URL: 'https://loans.lender.example',
  SUPERVISORS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:supervisors',
  LEGAL_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:legal',
  AUDIT_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000002',
  ANCHOR_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000003',
  ANCHOR_BUCKET: 'loan-followup-audit-anchors',
  ORIGIN_VERIFY_SECRET: 'bench',
  POWERTOOLS_SERVICE_NAME: 'loan-followup',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  // Node 20 here, Node 22 in Lambda: the SDK's notice about Node 20 is not part of a cold start there.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export interface BundleFigure {
  name: string;
  bytes: number;
  /** Median of `runs` fresh processes: `require(bundle)` (`import` for an ES module build), module evaluation included. */
  coldImportMs: number;
  runs: number[];
}

export async function measureBundles(options: { runs?: number; format?: 'cjs' | 'esm' } = {}): Promise<BundleFigure[]> {
  const format = options.format ?? 'cjs';
  const lambdaDir = join(REPO_ROOT, 'functions', 'lambda');
  // Inside the repository, so the bundles resolve @aws-sdk/* from node_modules as Lambda resolves it from the runtime.
  const outDir = join(REPO_ROOT, 'node_modules', '.cache', 'loan-followup-bench', 'bundles');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const entries = readdirSync(lambdaDir)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  const figures: BundleFigure[] = [];
  for (const entry of entries) {
    const name = basename(entry, '.ts');
    const outfile = join(outDir, `${name}.${format === 'cjs' ? 'cjs' : 'mjs'}`);
    await build({
      entryPoints: [join(lambdaDir, entry)],
      outfile,
      bundle: true,
      ...LAMBDA_ESBUILD,
      mainFields: [...LAMBDA_ESBUILD.mainFields],
      format,
      ...(format === 'esm' ? { banner: { js: CREATE_REQUIRE_BANNER } } : {}),
      external: [...LAMBDA_ESBUILD.external],
      logLevel: 'silent',
    });
    const runs: number[] = [];
    for (let i = 0; i < (options.runs ?? 3); i++) runs.push(await coldImport([outfile], format === 'cjs' ? 'require' : 'import'));
    const sorted = [...runs].sort((a, b) => a - b);
    figures.push({ name, bytes: statSync(outfile).size, coldImportMs: sorted[Math.floor(sorted.length / 2)]!, runs });
  }
  return figures;
}

const run = promisify(execFile);

/**
 * Milliseconds a fresh process takes to load the modules, as the Lambda runtime loads a handler: `require`
 * for CommonJS, `import` for an ES module (the SDK packages are CommonJS either way).
 */
async function coldImport(specifiers: string[], how: 'require' | 'import'): Promise<number> {
  const load = how === 'require' ? 'require(s)' : 'await import(s)';
  const script = `import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/'); const t = performance.now(); for (const s of process.argv.slice(1)) ${load}; process.stdout.write(String(performance.now() - t));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, ...specifiers], {
    env: { PATH: process.env.PATH ?? '', ...HANDLER_ENV },
    cwd: REPO_ROOT,
  });
  return Number(stdout);
}

/** The SDK v3 clients the bundles leave to the runtime. */
export const SDK_CLIENTS = [
  '@aws-sdk/client-dynamodb',
  '@aws-sdk/lib-dynamodb',
  '@aws-sdk/client-sns',
  '@aws-sdk/client-sesv2',
  '@aws-sdk/client-sfn',
  '@aws-sdk/client-kms',
];

/** What loading all of the SDK v3 clients costs on its own, required as a CommonJS bundle does (median of `runs`). */
export async function sdkImportMs(runs = 3): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await coldImport(SDK_CLIENTS, 'require'));
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}
