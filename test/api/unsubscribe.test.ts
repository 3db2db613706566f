// The link under every email: a page that asks, a POST that unsubscribes (one click, RFC 8058), a forged or
// tampered link refused, an expired one answered with a page saying how else to opt out. Then the loan's emails
// stop and its SMS go on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoanClosedError } from '../../functions/errors.js';
import { buildOpenApiDocument } from '../../functions/http/openapi.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { startOperationsHarness, type OperationsHarness } from '../support/operations-harness.js';
import { loanRequest } from '../support/loans.js';

let api: OperationsHarness;

beforeAll(async () => {
  api = await startOperationsHarness({ start: '2026-01-05T03:00:00Z' });
  const { by: _by, ...request } = loanRequest({ loanId: 'UNSUB-1', termMonths: 6 });
  expect((await api.call('POST', '/api/loans', { as: 'admin', body: request })).status).toBe(201);
  await api.app.runtime.whenIdle();
});

afterAll(async () => {
  await api?.stop();
});

const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;
const DAY = 86_400_000;
const VALID_DAYS = 60;
/** A link for the loan as a step at the loan's current time would make it. */
const currentLink = async (loanId: string) => api.app.unsubscribe.linkFor(loanId, new Date(api.app.clock(loanId).getTime() + VALID_DAYS * DAY));
/** The link in the newest email of the loan with this purpose. */
const linkInEmail = (loanId: string, purpose: string) => {
  const email = api.outbox.filter((m) => m.channel === 'EMAIL' && m.purpose === purpose && m.loanId === loanId).at(-1)!;
  return /(http\S+\/api\/unsubscribe\?loan=[\w-]+&exp=\d+&sig=[\w-]+)/.exec(email.body)?.[1];
};

describe('the unsubscribe link under every email', () => {
  it('is in the welcome email, pointing at this server, for this loan only, expiring unsubscribe.linkValidDays after the step that sent it', async () => {
    expect(Object.values(loadAllPolicies()).map((p) => p.unsubscribe.linkValidDays)).toEqual([VALID_DAYS, VALID_DAYS, VALID_DAYS]);
    const link = linkInEmail('UNSUB-1', 'WELCOME');
    expect(link).toBeDefined();
    const sent = (await api.app.store.listTimeline('UNSUB-1')).find((e) => e.type === 'MESSAGE_SENT' && e.key === 'MESSAGE_SENT:WELCOME:EMAIL')!;
    const exp = Number(new URL(link!).searchParams.get('exp'));
    // Issued at the step's time (the loan's clock), not the wall clock.
    expect(exp * 1000).toBe(Date.parse(sent.at) + VALID_DAYS * DAY);
    expect(link).toBe(await api.app.unsubscribe.linkFor('UNSUB-1', new Date(exp * 1000)));
    expect(link!.startsWith(api.url.replace(/\/$/, ''))).toBe(true);
    expect(await api.app.unsubscribe.linkFor('UNSUB-2', new Date(exp * 1000))).not.toContain(new URL(link!).searchParams.get('sig')!);
  });

  it('noncompliant: a forged or tampered link is refused with a 403 naming sig, and nothing is recorded', async () => {
    const link = new URL(await currentLink('UNSUB-1'));
    const sig = link.searchParams.get('sig')!;
    const exp = link.searchParams.get('exp')!;
    const forged = `/api/unsubscribe?loan=UNSUB-1&exp=${exp}&sig=${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    // A longer life is a different message: the MAC no longer matches.
    const stretched = `/api/unsubscribe?loan=UNSUB-1&exp=${Number(exp) + 365 * 86_400}&sig=${sig}`;
    for (const method of ['GET', 'POST']) {
      for (const path of [forged, stretched]) {
        const answer = await api.call(method, path, { as: null });
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(answer.body.errors).toEqual([{ field: 'sig', reason: 'the unsubscribe link is not valid' }]);
      }
    }
    const otherLoan = await api.call('POST', `/api/unsubscribe?loan=UNSUB-2&exp=${exp}&sig=${sig}`, { as: null });
    expect(otherLoan.status).toBe(403);
    expect((await api.call('GET', `/api/unsubscribe?loan=UNSUB-1&exp=soon&sig=${sig}`, { as: null })).body.errors).toEqual([
      { field: 'exp', reason: expect.any(String) },
    ]);
    expect((await api.call('GET', '/api/unsubscribe?loan=UNSUB-1', { as: null })).body.errors).toEqual([{ field: 'sig', reason: expect.any(String) }]);
    expect((await api.app.store.listTimeline('UNSUB-1')).filter((e) => e.type === 'OPTED_OUT')).toEqual([]);
  });

  it('opening it asks first and changes nothing (mail scanners follow links)', async () => {
    const link = pathOf(await currentLink('UNSUB-1'));
    const page = await api.call('GET', link, { as: null });
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    // The button posts the very link (its expiry and MAC included).
    expect(page.body).toContain(`<form method="post" action="${link.slice('/api/unsubscribe'.length)}"`);
    expect(page.body).toContain('确认退订');
    await api.app.runtime.whenIdle();
    expect((await api.app.store.getSnapshot('UNSUB-1'))!.state.optedOut).toEqual([]);
  });

  it('one click unsubscribes from email only: reminders come by SMS alone, and a second click changes nothing', async () => {
    const link = pathOf(await currentLink('UNSUB-1'));
    const done = await api.call('POST', link, { as: null });
    expect(done.status).toBe(200);
    expect(done.body).toContain('您已退订');
    expect((await api.call('POST', link, { as: null })).status).toBe(200);
    await api.app.runtime.whenIdle();
    const optOuts = (await api.app.store.listTimeline('UNSUB-1')).filter((e) => e.type === 'OPTED_OUT');
    expect(optOuts).toMatchObject([{ channels: ['EMAIL'], by: 'borrower' }]);

    await api.demo.update({ advanceDays: 30 });
    await api.app.runtime.whenIdle();
    const reminders = api.outbox.filter((m) => m.loanId === 'UNSUB-1' && m.purpose === 'REMINDER');
    expect(reminders.map((m) => m.channel)).toEqual(['SMS']);
    const held = (await api.app.store.listTimeline('UNSUB-1')).filter((e) => e.type === 'CONTACT_SUPPRESSED' && e.reason === 'OPTED_OUT');
    expect(held.map((e) => e.channel)).toEqual(['EMAIL']);
  });

  it('a loan that closes between the page reading it and the opt-out reaching its inbox still gets the done page, and nothing is recorded', async () => {
    const { by: _by, ...request } = loanRequest({ loanId: 'UNSUB-3', termMonths: 6 });
    expect((await api.call('POST', '/api/loans', { as: 'admin', body: request })).status).toBe(201);
    await api.app.runtime.whenIdle();
    const store = api.app.store;
    const appendInbox = store.appendInbox;
    // The inbox refuses the event as it does for a closed loan.
    store.appendInbox = async (loanId) => {
      throw new LoanClosedError(loanId);
    };
    try {
      const done = await api.call('POST', pathOf(await currentLink('UNSUB-3')), { as: null });
      expect(done.status).toBe(200);
      expect(done.body).toContain('您已退订');
    } finally {
      store.appendInbox = appendInbox;
    }
    await api.app.runtime.whenIdle();
    expect((await store.listTimeline('UNSUB-3')).filter((e) => e.type === 'OPTED_OUT')).toEqual([]);
  });
});

describe('an unsubscribe link expires', () => {
  it('works on day 59 after its email; on day 61 GET and POST answer 410 with a page saying how else to opt out, and nothing is recorded; the newest email’s link still works', async () => {
    const { by: _by, ...request } = loanRequest({ loanId: 'UNSUB-4', termMonths: 12 });
    expect((await api.call('POST', '/api/loans', { as: 'admin', body: request })).status).toBe(201);
    await api.app.runtime.whenIdle();
    const welcome = pathOf(linkInEmail('UNSUB-4', 'WELCOME')!);

    await api.demo.update({ advanceDays: 59 });
    await api.app.runtime.whenIdle();
    expect((await api.call('GET', welcome, { as: null })).status).toBe(200);

    await api.demo.update({ advanceDays: 2 });
    await api.app.runtime.whenIdle();
    const { contact } = loadAllPolicies()[(await api.app.store.getLoan('UNSUB-4'))!.loan.product];
    for (const method of ['GET', 'POST']) {
      const answer = await api.call(method, welcome, { as: null });
      expect(answer.status, method).toBe(410);
      expect(answer.contentType).toContain('text/html');
      expect(answer.body).toContain('退订链接已过期');
      expect(answer.body).toContain(contact.supportPhone);
      expect(answer.body).toContain(contact.supportEmail);
      expect(answer.body).not.toContain('<form');
    }
    await api.app.runtime.whenIdle();
    expect((await api.app.store.listTimeline('UNSUB-4')).filter((e) => e.type === 'OPTED_OUT')).toEqual([]);
    expect((await api.app.store.getSnapshot('UNSUB-4'))!.state.optedOut).toEqual([]);

    // What the page advises works: a later email carries a link that is still valid.
    const newest = api.outbox.filter((m) => m.channel === 'EMAIL' && m.loanId === 'UNSUB-4').at(-1)!;
    expect(newest.purpose).not.toBe('WELCOME');
    const fresh = /(http\S+\/api\/unsubscribe\?loan=UNSUB-4&exp=\d+&sig=[\w-]+)/.exec(newest.body)![1]!;
    expect((await api.call('GET', pathOf(fresh), { as: null })).status).toBe(200);
  });

  it('is documented: exp in the query, 410 a page (not problem details) on both routes', () => {
    const doc = buildOpenApiDocument() as any;
    for (const method of ['get', 'post']) {
      const operation = doc.paths['/api/unsubscribe'][method];
      expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(['loan', 'exp', 'sig']);
      expect(Object.keys(operation.responses['410'].content)).toEqual(['text/html']);
    }
  });
});
