// `npm run audit:verify -- --loan ID [--data .local]`: checks a loan's audit hash chain in the local data.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DynamoLoanStore } from '../functions/adapters/dynamo-loan-store.js';
import type { LoanStore } from '../functions/ports.js';
import { verifyChain, type ChainVerdict } from '../workflows/audit/hash-chain.js';
import { createLocalDynamoClient, startDynamoDbLocal } from './dynamodb-local.js';

/** The loan's chain, its tail against the head on the loan's record. */
export async function verifyLoanChain(store: Pick<LoanStore, 'listTimeline' | 'getLoan'>, loanId: string): Promise<ChainVerdict> {
  const [timeline, stored] = await Promise.all([store.listTimeline(loanId), store.getLoan(loanId)]);
  return verifyChain(timeline, stored?.state.auditHead ?? null);
}

export function describeVerdict(loanId: string, verdict: ChainVerdict): string {
  return verdict.ok
    ? `loan ${loanId}: audit chain intact, ${verdict.links} records, head ${verdict.head.hash.slice(0, 16)}…`
    : `loan ${loanId}: audit chain BROKEN at record ${verdict.brokenAt.seq} (${verdict.brokenAt.key}): ${verdict.brokenAt.reason}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { loan: { type: 'string' }, data: { type: 'string', default: '.local' }, table: { type: 'string', default: 'loan-followup' } },
  });
  if (!values.loan) {
    console.error('usage: npm run audit:verify -- --loan ID [--data .local]');
    return 2;
  }
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dynamo = await startDynamoDbLocal({ dataDir: join(values.data!, 'dynamodb') });
  const db = createLocalDynamoClient(dynamo.endpoint);
  try {
    const verdict = await verifyLoanChain(new DynamoLoanStore(db, values.table!), values.loan);
    console.log(describeVerdict(values.loan, verdict));
    return verdict.ok ? 0 : 1;
  } finally {
    db.destroy();
    await dynamo.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = await main();
