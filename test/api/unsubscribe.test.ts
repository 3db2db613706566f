// The link under every email: a page that asks, a POST that unsubscribes (one click, RFC 8058), and a forged
// or tampered link refused. Then the loan's emails stop and its SMS go on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoanClosedError } from '../../functions/errors.js';
import { startOperationsHarness, type OperationsHarness } from '../support/operations-harness.js';
import { loanRequest } from '../support/story-harness.js';

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

describe('the unsubscribe link under every email', () => {
  it('is in the welcome email, pointing at this server, for this loan only', async () => {
    const welcome = api.outbox.find((m) => m.channel === 'EMAIL' && m.purpose === 'WELCOME' && m.loanId === 'UNSUB-1')!;
    const link = /(http\S+\/api\/unsubscribe\?loan=UNSUB-1&sig=[\w-]+)/.exec(welcome.body)?.[1];
    expect(link, welcome.body).toBeDefined();
    expect(link).toBe(await api.app.unsubscribe.linkFor('UNSUB-1'));
    expect(link!.startsWith(api.url.replace(/\/$/, ''))).toBe(true);
    expect(await api.app.unsubscribe.linkFor('UNSUB-2')).not.toContain(new URL(link!).searchParams.get('sig')!);
  });

  it('noncompliant: a forged or tampered link is refused with a 403 naming sig, and nothing is recorded', async () => {
    const link = new URL(await api.app.unsubscribe.linkFor('UNSUB-1'));
    const sig = link.searchParams.get('sig')!;
    const forged = `/api/unsubscribe?loan=UNSUB-1&sig=${sig.slice(0, -2)}${sig.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const method of ['GET', 'POST']) {
      const answer = await api.call(method, forged, { as: null });
      expect(answer.status).toBe(403);
      expect(answer.body.errors).toEqual([{ field: 'sig', reason: 'the unsubscribe link is not valid' }]);
    }
    const otherLoan = await api.call('POST', `/api/unsubscribe?loan=UNSUB-2&sig=${sig}`, { as: null });
    expect(otherLoan.status).toBe(403);
    expect((await api.call('GET', '/api/unsubscribe?loan=UNSUB-1', { as: null })).body.errors).toEqual([{ field: 'sig', reason: expect.any(String) }]);
    expect((await api.app.store.listTimeline('UNSUB-1')).filter((e) => e.type === 'OPTED_OUT')).toEqual([]);
  });

  it('opening it asks first and changes nothing (mail scanners follow links)', async () => {
    const page = await api.call('GET', pathOf(await api.app.unsubscribe.linkFor('UNSUB-1')), { as: null });
    expect(page.status).toBe(200);
    expect(page.contentType).toContain('text/html');
    expect(page.body).toContain('<form method="post"');
    expect(page.body).toContain('确认退订');
    await api.app.runtime.whenIdle();
    expect((await api.app.store.getSnapshot('UNSUB-1'))!.state.optedOut).toEqual([]);
  });

  it('one click unsubscribes from email only: reminders come by SMS alone, and a second click changes nothing', async () => {
    const link = pathOf(await api.app.unsubscribe.linkFor('UNSUB-1'));
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
      const done = await api.call('POST', pathOf(await api.app.unsubscribe.linkFor('UNSUB-3')), { as: null });
      expect(done.status).toBe(200);
      expect(done.body).toContain('您已退订');
    } finally {
      store.appendInbox = appendInbox;
    }
    await api.app.runtime.whenIdle();
    expect((await store.listTimeline('UNSUB-3')).filter((e) => e.type === 'OPTED_OUT')).toEqual([]);
  });
});
