// `npm run console:publish`: after `cdk deploy`, copies the console (console), its config.json (from the
// stack's outputs) and the OpenAPI document to the console bucket and invalidates the CDN. Uses the AWS CLI
// with the caller's credentials; `--dry-run` prints the commands instead.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildOpenApiDocument } from '../functions/http/openapi.js';
import { STACK_ID } from './app.js';
import { CONSOLE_UI_DIR } from './constructs/console-site.js';

const { values } = parseArgs({ options: { stack: { type: 'string', default: STACK_ID }, 'dry-run': { type: 'boolean', default: false } } });
const dryRun = values['dry-run']!;

function aws(args: string[]): string {
  if (dryRun) {
    console.log(`aws ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`);
    return '[]';
  }
  return execFileSync('aws', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

const outputs = JSON.parse(aws(['cloudformation', 'describe-stacks', '--stack-name', values.stack!, '--query', 'Stacks[0].Outputs', '--output', 'json'])) as {
  OutputKey: string;
  OutputValue: string;
}[];
const output = (prefix: string) => outputs.find((o) => o.OutputKey.startsWith(prefix))?.OutputValue ?? (dryRun ? `<${prefix}>` : undefined);
const bucket = output('ConsoleBucketName');
const distribution = output('ConsoleDistributionId');
const config = output('ConsoleConfig');
if (!bucket || !distribution || !config) throw new Error(`stack ${values.stack} has no console outputs: deploy it first (npx cdk deploy)`);

const staging = mkdtempSync(join(tmpdir(), 'loan-followup-console-'));
try {
  cpSync(CONSOLE_UI_DIR, staging, { recursive: true });
  writeFileSync(join(staging, 'config.json'), dryRun ? '{}' : config);
  writeFileSync(join(staging, 'openapi.json'), JSON.stringify(buildOpenApiDocument()));
  aws(['s3', 'sync', staging, `s3://${bucket}/`, '--delete', '--cache-control', 'no-cache']);
  aws(['cloudfront', 'create-invalidation', '--distribution-id', distribution, '--paths', '/*']);
  console.log(`console published: ${output('ConsoleUrl') ?? ''}`);
} finally {
  rmSync(staging, { recursive: true, force: true });
}
