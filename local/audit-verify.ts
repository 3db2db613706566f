// `npm run audit:verify -- --loan ID | --all [--data .local]`: checks loans' audit trails in the local data (DynamoDB
// Local, the keys kept with it, the anchors in .local/audit-anchors); with `--table NAME --region R` in AWS.
// Each loan: the whole chain, its tail against the head on the loan's record, the head's MAC, and the head against
// the newest anchor. Exit code 1 when anything is broken, each problem named.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoLoanStore } from '../functions/adapters/dynamo-loan-store.js';
import { KmsAnchorSigner } from '../functions/adapters/kms-anchor-signer.js';
import { KmsMacSigner } from '../functions/adapters/kms-mac-signer.js';
import { S3AnchorStore } from '../functions/adapters/s3-anchor-store.js';
import { macAuditSigner } from '../functions/audit/audit-signer.js';
import type { AnchorSigner, AnchorStore, AuditSigner, LoanStore } from '../functions/ports.js';
import { anchorMessage, compareWithAnchor, type AuditHead, type AuditProblem, type SignedAnchor } from '../workflows/audit/audit-head.js';
import { verifyChain, type ChainedEvent, type ChainVerdict } from '../workflows/audit/hash-chain.js';
import { DirectoryAnchorStore, LocalAnchorSigner, localAuditKeys, localAuditSigner } from './adapters/local-audit.js';
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

export interface AuditVerifyPorts {
  store: Pick<LoanStore, 'listTimeline' | 'getLoan' | 'listLoans'>;
  /** Checks the heads' MACs (kms:VerifyMac on the audit key in AWS). */
  signer: Pick<AuditSigner, 'verify'>;
  anchors: Pick<AnchorStore, 'latest'>;
  anchorSigner: Pick<AnchorSigner, 'verify'>;
}

export interface LoanAudit {
  loanId: string;
  links: number;
  head: AuditHead | null;
  /** The anchor the head was compared with, if it holds the loan. */
  anchoredAt?: string;
  problems: AuditProblem[];
}

export interface TrustedAnchor {
  location: string;
  anchor: SignedAnchor;
}

export interface AuditReport {
  /** The newest anchor whose signature verifies (undefined: none yet). */
  anchor?: TrustedAnchor;
  /** Newer anchors whose signature does not verify: not written by the anchor job. */
  anchorProblems: string[];
  loans: LoanAudit[];
  ok: boolean;
}

/** Anchors tried, newest first, when the newest fail their signature. */
const ANCHORS_TRIED = 5;

/** The newest anchor whose signature verifies with the anchor key, and the newer ones that did not. */
export async function latestTrustedAnchor(ports: Pick<AuditVerifyPorts, 'anchors' | 'anchorSigner'>): Promise<{ anchor?: TrustedAnchor; problems: string[] }> {
  const problems: string[] = [];
  for (const candidate of await ports.anchors.latest(ANCHORS_TRIED)) {
    const { signature, ...body } = candidate.anchor;
    if (signature && (await ports.anchorSigner.verify(anchorMessage(body), signature))) return { anchor: candidate, problems };
    problems.push(`anchor ${candidate.location}: its signature does not verify with the anchor key: it was not written by the anchor job, or was altered`);
  }
  return { problems };
}

/** One loan: the whole chain, the tail against the head, the head's MAC, the head against the anchor. */
export async function verifyLoanAudit(ports: AuditVerifyPorts, loanId: string, anchor?: SignedAnchor): Promise<LoanAudit> {
  const [timeline, stored] = await Promise.all([ports.store.listTimeline(loanId), ports.store.getLoan(loanId)]);
  const anchored = anchor?.heads[loanId];
  if (!stored) {
    const reason = anchored
      ? `the loan is not in the table but the anchor of ${anchor!.at} holds it at record ${anchored.seq}: it was deleted`
      : 'no such loan in the table';
    return { loanId, links: timeline.length, head: null, problems: [{ check: anchored ? 'anchor' : 'chain', seq: null, reason }] };
  }
  const head: AuditHead | null = stored.state.auditHead ?? null;
  const problems: AuditProblem[] = [];
  const chain = verifyChain(timeline, head);
  if (!chain.ok) problems.push({ check: 'chain', seq: chain.brokenAt.seq, key: chain.brokenAt.key, reason: chain.brokenAt.reason });
  if (head && !head.mac) {
    problems.push({ check: 'head-mac', seq: head.seq, reason: "the loan's head carries no MAC: it was not written by a step, or its MAC was removed" });
  } else if (head?.mac && !(await ports.signer.verify(loanId, head, head.mac))) {
    problems.push({
      check: 'head-mac',
      seq: head.seq,
      reason:
        "the head's MAC does not match (loan, seq, hash): the head was written without the audit key (a chain recomputed, a head copied from another loan)",
    });
  }
  if (anchored) {
    const chained = timeline.filter((r): r is ChainedEvent => typeof (r as Partial<ChainedEvent>).seq === 'number');
    problems.push(...compareWithAnchor(head, chained, { at: anchor!.at, head: anchored }));
  }
  return { loanId, links: chain.links, head, ...(anchored ? { anchoredAt: anchor!.at } : {}), problems };
}

/** The loans asked for (`all`: every loan in the table and every loan in the anchor), against the newest trusted anchor. */
export async function verifyAudit(ports: AuditVerifyPorts, target: { loan: string } | 'all'): Promise<AuditReport> {
  const trusted = await latestTrustedAnchor(ports);
  const anchor = trusted.anchor?.anchor;
  const ids =
    target === 'all' ? [...new Set([...(await ports.store.listLoans()).map((l) => l.loanId), ...Object.keys(anchor?.heads ?? {})])].sort() : [target.loan];
  const loans: LoanAudit[] = [];
  for (const loanId of ids) loans.push(await verifyLoanAudit(ports, loanId, anchor));
  return { anchor: trusted.anchor, anchorProblems: trusted.problems, loans, ok: trusted.problems.length === 0 && loans.every((l) => l.problems.length === 0) };
}

/** What the command prints: the anchor used, then one line per loan and one per problem under it. */
export function describeAudit(report: AuditReport): string[] {
  const lines = [
    report.anchor
      ? `newest anchor: ${report.anchor.location} (${report.anchor.anchor.at}, signature valid)`
      : 'no anchor yet: heads checked against their MAC only',
  ];
  for (const problem of report.anchorProblems) lines.push(`BROKEN ${problem}`);
  for (const loan of report.loans) {
    if (loan.problems.length === 0) {
      const head = loan.head ? `head at record ${loan.head.seq} ${loan.head.hash.slice(0, 16)}…, MAC valid` : 'no head yet';
      lines.push(
        `loan ${loan.loanId}: audit trail intact, ${loan.links} records, ${head}${loan.anchoredAt ? `, consistent with the anchor of ${loan.anchoredAt}` : ''}`,
      );
      continue;
    }
    lines.push(`loan ${loan.loanId}: audit trail BROKEN (${loan.problems.length} ${loan.problems.length === 1 ? 'problem' : 'problems'})`);
    for (const p of loan.problems) lines.push(`  [${p.check}] ${p.seq === null ? '' : `record ${p.seq}${p.key ? ` (${p.key})` : ''}: `}${p.reason}`);
  }
  const broken = report.loans.filter((l) => l.problems.length > 0).length;
  lines.push(
    `${report.loans.length} ${report.loans.length === 1 ? 'loan' : 'loans'} checked, ${broken} broken${report.anchorProblems.length ? `, ${report.anchorProblems.length} anchors broken` : ''}`,
  );
  return lines;
}

const USAGE = `usage: npm run audit:verify -- (--loan ID | --all) [--data .local]
       npm run audit:verify -- (--loan ID | --all) --table NAME --region R --audit-key KEY --anchor-key KEY --anchor-bucket BUCKET
         (AWS: the stack's outputs; or env AUDIT_KEY_ID, ANCHOR_KEY_ID, ANCHOR_BUCKET; run as the AuditVerifier role)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      loan: { type: 'string' },
      all: { type: 'boolean', default: false },
      data: { type: 'string', default: '.local' },
      table: { type: 'string', default: 'loan-followup' },
      region: { type: 'string' },
      'audit-key': { type: 'string', default: process.env.AUDIT_KEY_ID },
      'anchor-key': { type: 'string', default: process.env.ANCHOR_KEY_ID },
      'anchor-bucket': { type: 'string', default: process.env.ANCHOR_BUCKET },
    },
  });
  if (!values.loan === !values.all) {
    console.error(USAGE);
    return 2;
  }
  const target = values.all ? 'all' : { loan: values.loan! };
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const print = (report: AuditReport) => {
    for (const line of describeAudit(report)) console.log(line);
    return report.ok ? 0 : 1;
  };
  if (values.region) {
    // AWS: the table, the audit key (kms:VerifyMac), the anchor key (kms:Verify) and the anchor bucket.
    const [auditKey, anchorKey, bucket] = [values['audit-key'], values['anchor-key'], values['anchor-bucket']];
    if (!auditKey || !anchorKey || !bucket) {
      console.error(USAGE);
      return 2;
    }
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: values.region }));
    const kms = new KMSClient({ region: values.region });
    return print(
      await verifyAudit(
        {
          store: new DynamoLoanStore(db, values.table!),
          signer: macAuditSigner(new KmsMacSigner(kms, auditKey)),
          anchors: new S3AnchorStore(new S3Client({ region: values.region }), bucket),
          anchorSigner: new KmsAnchorSigner(kms, anchorKey),
        },
        target,
      ),
    );
  }
  // Locally: the keys local-app keeps with DynamoDB Local's data, the anchors npm run audit:anchor wrote.
  const keys = localAuditKeys(join(values.data!, 'dynamodb'), { create: false });
  const dynamo = await startDynamoDbLocal({ dataDir: join(values.data!, 'dynamodb') });
  const db = createLocalDynamoClient(dynamo.endpoint);
  try {
    return print(
      await verifyAudit(
        {
          store: new DynamoLoanStore(db, values.table!),
          signer: localAuditSigner(keys),
          anchors: new DirectoryAnchorStore(join(values.data!, 'audit-anchors')),
          anchorSigner: new LocalAnchorSigner(keys.anchorKey),
        },
        target,
      ),
    );
  } finally {
    db.destroy();
    await dynamo.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main().catch((error: Error) => {
    console.error(`audit:verify: ${error.message}`);
    return 2;
  });
}
