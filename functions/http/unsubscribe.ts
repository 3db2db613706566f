// The link under every email: GET shows a confirmation (mail scanners follow links, so a GET never
// unsubscribes); POST unsubscribes, from that page's button or from a mail client's one-click
// (RFC 8058 List-Unsubscribe-Post). No login: the link's MAC is the authorization.
import type { InboundEvent } from '../../workflows/domain/follow-up-state.js';
import type { Locale } from '../../workflows/domain/types.js';
import { deliverEvent } from '../deliver-event.js';
import { LoanClosedError, LoanNotFoundError } from '../errors.js';
import type { StoredLoan } from '../ports.js';
import type { ApiPorts } from './api-ports.js';
import { ForbiddenError } from './http-errors.js';
import type { RouteHandler } from './http-handler.js';

type Query = { loan: string; sig: string };

const TEXT: Record<Locale, { title: string; confirm: string; button: string; done: string }> = {
  'zh-CN': { title: '退订邮件', confirm: '退订后，您将不再收到我们关于此笔贷款的邮件（短信和电话不受影响）。', button: '确认退订', done: '您已退订此笔贷款的邮件。' },
  en: { title: 'Unsubscribe from emails', confirm: 'You will no longer receive emails from us about this loan (text messages and calls are not affected).', button: 'Unsubscribe', done: 'You are unsubscribed from emails about this loan.' },
};

export function getUnsubscribe(ports: Pick<ApiPorts, 'store' | 'unsubscribe'>): RouteHandler {
  return async ({ query }) => {
    const { loan, sig } = query as Query;
    const { locale } = (await checkedLoan(ports, loan, sig)).loan;
    const text = TEXT[locale];
    const action = `?loan=${encodeURIComponent(loan)}&sig=${encodeURIComponent(sig)}`;
    return html(locale, text.title, `<p>${text.confirm}</p><form method="post" action="${action}"><button type="submit">${text.button}</button></form>`);
  };
}

export function postUnsubscribe(ports: Pick<ApiPorts, 'store' | 'workflow' | 'clock' | 'unsubscribe'>): RouteHandler {
  return async ({ query }) => {
    const { loan, sig } = query as Query;
    const { loan: { locale }, state } = await checkedLoan(ports, loan, sig);
    // Unsubscribing twice, or from a closed loan's old email, is not an error: the answer is the same page.
    if (state.status !== 'CLOSED' && !state.optedOut.includes('EMAIL')) {
      const at = ports.clock(loan).toISOString();
      const event: InboundEvent = { type: 'OPTED_OUT', eventId: `OPTED_OUT-EMAIL-LINK-${at}`, at, channels: ['EMAIL'], by: 'borrower' };
      // The loan may close between the read and the event: still the same page.
      await deliverEvent(ports, loan, event).catch((error: unknown) => {
        if (!(error instanceof LoanClosedError)) throw error;
      });
    }
    return html(locale, TEXT[locale].title, `<p>${TEXT[locale].done}</p>`);
  };
}

/** The loan's record (its language, whether it is closed or opted out of email), once the link's MAC checks out. */
async function checkedLoan(ports: Pick<ApiPorts, 'store' | 'unsubscribe'>, loanId: string, sig: string): Promise<StoredLoan> {
  if (!ports.unsubscribe || !(await ports.unsubscribe.verify(loanId, sig))) throw new ForbiddenError('sig: the unsubscribe link is not valid', 'sig');
  const stored = await ports.store.getLoan(loanId);
  if (!stored) throw new LoanNotFoundError(loanId);
  return stored;
}

function html(locale: Locale, title: string, content: string) {
  const page = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1.25rem}</style></head>
<body><h1>${title}</h1>${content}</body></html>`;
  return { status: 200, body: page, headers: { 'content-type': 'text/html; charset=utf-8' } };
}
