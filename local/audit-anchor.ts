// `npm run audit:anchor [-- --data .local]`: one run of the anchor job on the local data: every loan's audit head,
// signed with the local anchor key, written to .local/audit-anchors/ (the S3 bucket with Object Lock in AWS, where
// EventBridge Scheduler runs functions/lambda/anchor-audit-heads.ts daily).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DynamoLoanStore } from '../functions/adapters/dynamo-loan-store.js';
import { anchorAuditHeads } from '../functions/anchor-audit-heads.js';
import { DirectoryAnchorStore, LocalAnchorSigner, localAuditKeys } from './adapters/local-audit.js';
import { createLocalDynamoClient, startDynamoDbLocal } from './dynamodb-local.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { data: { type: 'string', default: '.local' }, table: { type: 'string', default: 'loan-followup' } } });
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dataDir = join(values.data!, 'dynamodb');
  const keys = localAuditKeys(dataDir);
  const dynamo = await startDynamoDbLocal({ dataDir });
  const db = createLocalDynamoClient(dynamo.endpoint);
  try {
    const run = await anchorAuditHeads({
      heads: new DynamoLoanStore(db, values.table!),
      anchors: new DirectoryAnchorStore(join(values.data!, 'audit-anchors')),
      signer: new LocalAnchorSigner(keys.anchorKey),
      clock: () => new Date(),
    });
    console.log(`anchored the audit heads of ${run.loans} loans at ${run.at}: ${run.location}`);
    return 0;
  } finally {
    db.destroy();
    await dynamo.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main().catch((error: Error) => {
    console.error(`audit:anchor: ${error.message}`);
    return 2;
  });
}
