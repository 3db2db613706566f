// Retention: the contact record of a loan closed longer ago than policy retention.contactYearsAfterClosure is
// blanked by the daily job, CONTACT_ANONYMISED joins the audit chain, and the whole trail still verifies.
import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymiseClosedLoans, contactExpiresAt, createAnonymiseClosedLoansHandler } from '../../functions/anonymise-closed-loans.js';
import { verifyLoanAudit } from '../../local/audit-verify.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { startOperationsHarness, type OperationsHarness } from '../support/operations-harness.js';
import { loanRequest } from '../support/loans.js';

const policies = loadAllPolicies();
let api: OperationsHarness;
let closedAt: string;

beforeAll(async () => {
  api = await startOperationsHarness({ start: '2026-01-05T03:00:00Z' });
  for (const loanId of ['RET-CLOSED', 'RET-OPEN']) {
    const { by: _by, ...request } = loanRequest({ loanId, termMonths: 6 });
    expect((await api.call('POST', '/api/loans', { as: 'admin', body: request })).status).toBe(201);
  }
  await api.app.runtime.whenIdle();
  expect((await api.call('POST', '/api/loans/RET-CLOSED/events', { as: 'risk', body: { type: 'PAYOFF' } })).status).toBe(202);
  await api.app.runtime.whenIdle();
  const stored = await api.app.store.getLoan('RET-CLOSED');
  expect(stored!.state.status).toBe('CLOSED');
  closedAt = stored!.state.closedAt!;
});

afterAll(async () => {
  await api?.stop();
});

const yearsAfterClosure = (years: number) => () => contactExpiresAt(closedAt, years);
const ports = (clock: () => Date) => ({ store: api.app.store, policies: (p: keyof typeof policies) => policies[p], auditSigner: api.app.audit.signer, clock });
const verify = (loanId: string) =>
  verifyLoanAudit({ store: api.app.store, signer: api.app.audit.signer, anchors: api.app.audit.anchors, anchorSigner: api.app.audit.anchorSigner }, loanId);

describe('retention of contact details after closure', () => {
  it('the policies keep contacts 5 years after closure and say on what legal basis', () => {
    for (const policy of Object.values(policies)) {
      expect(policy.retention.contactYearsAfterClosure).toBe(5);
      expect(policy.retention.legalBasis).toMatch(/PIPL/);
    }
    expect(contactExpiresAt('2026-03-01T00:00:00.000Z', 5).toISOString()).toBe('2031-03-01T00:00:00.000Z');
  });

  it('a loan closed 4 years ago keeps its contact; an open loan is never touched', async () => {
    const before = await api.app.store.getContact('RET-CLOSED');
    const run = await anonymiseClosedLoans(ports(yearsAfterClosure(4)));
    expect(run.anonymised).toEqual([]);
    expect(run.kept).toBe(1);
    expect(await api.app.store.getContact('RET-CLOSED')).toEqual(before);
    expect((await api.app.store.listTimeline('RET-CLOSED')).some((e) => e.type === 'CONTACT_ANONYMISED')).toBe(false);
  });

  it('a loan closed 6 years ago: phone, email, plate, VIN and description blanked, recorded on the chain, the loan and timeline kept, the trail verifying', async () => {
    const timelineBefore = await api.app.store.listTimeline('RET-CLOSED');
    const openContact = await api.app.store.getContact('RET-OPEN');
    const handler = createAnonymiseClosedLoansHandler({ ...ports(yearsAfterClosure(6)), logger: new Logger({ logLevel: 'SILENT' }) });
    const run = await handler({}, { functionName: 'anonymise-closed-loans', awsRequestId: 'r1', getRemainingTimeInMillis: () => 1000 } as never);
    expect(run).toMatchObject({ anonymised: ['RET-CLOSED'], headRejected: [] });

    expect(await api.app.store.getContact('RET-CLOSED')).toEqual({ phone: '', email: '' });
    expect(await api.app.store.getContact('RET-OPEN')).toEqual(openContact);
    const stored = await api.app.store.getLoan('RET-CLOSED');
    expect(stored!.state.status).toBe('CLOSED');
    const timeline = await api.app.store.listTimeline('RET-CLOSED');
    expect(timeline.length).toBe(timelineBefore.length + 1);
    const record = timeline.find((e) => e.type === 'CONTACT_ANONYMISED')!;
    expect(record).toMatchObject({ yearsAfterClosure: 5, by: 'system', seq: stored!.state.auditHead!.seq });
    // The chain never held the contact: every link, the tail against the head and the head's MAC still check out.
    expect(await verify('RET-CLOSED')).toMatchObject({ problems: [] });
    expect(await verify('RET-OPEN')).toMatchObject({ problems: [] });

    // The next day's run finds nothing more to do.
    const again = await anonymiseClosedLoans(ports(() => new Date(contactExpiresAt(closedAt, 6).getTime() + 86_400_000)));
    expect(again).toMatchObject({ anonymised: [], kept: 1 });
    expect((await api.app.store.listTimeline('RET-CLOSED')).filter((e) => e.type === 'CONTACT_ANONYMISED')).toHaveLength(1);
  });
});
