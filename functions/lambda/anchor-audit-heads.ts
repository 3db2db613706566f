import { createAnchorAuditHeadsHandler } from '../anchor-audit-heads.js';
import { awsAnchors } from '../adapters/aws-anchors.js';
import { awsLogger, awsStore } from '../adapters/aws-ports.js';

/** Parallel scan segments over the table (env ANCHOR_SCAN_SEGMENTS, default 4): see docs/audit-and-bad-input.md. */
const segments = Number(process.env.ANCHOR_SCAN_SEGMENTS ?? '4');
const store = awsStore();

export const handler = createAnchorAuditHeadsHandler({
  heads: { listAuditHeads: () => store.listAuditHeads(segments) },
  ...awsAnchors(),
  clock: () => new Date(),
  logger: awsLogger(),
});
