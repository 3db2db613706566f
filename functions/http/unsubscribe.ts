// The link under every email: GET shows a confirmation (mail scanners follow links, so a GET never
// unsubscribes); POST unsubscribes, from that page's button or from a mail client's one-click
// (RFC 8058 List-Unsubscribe-Post). No login: the link's MAC is the authorization. A link works for the
// policy's unsubscribe.linkValidDays from the email's step; after that both answer 410 with a page saying how
// else to opt out, and change nothing.
import type { InboundEvent } from '../../workflows/domain/follow-up-state.js';
import type { Locale } from '../../workflows/domain/types.js';
import { deliverEvent } from '../deliver-event.js';
import { LoanClosedError, LoanNotFoundError } from '../errors.js';
import type { StoredLoan } from '../ports.js';
import type { ApiPorts } from './api-ports.js';
import { ForbiddenError } from './http-errors.js';
import type { RouteHandler } from './http-handler.js';

type Query = { loan: string; sig: string; exp?: string };

const TEXT: Record<
  Locale,
  { title: string; confirm: string; button: string; done: string; expiredTitle: string; expired: (phone: string, email: string) => string }
> = {
  'zh-CN': {
    title: '退订邮件',
    confirm: '退订后，您将不再收到我们关于此笔贷款的邮件（短信和电话不受影响）。',
    button: '确认退订',
    done: '您已退订此笔贷款的邮件。',
    expiredTitle: '退订链接已过期',
    expired: (phone, email) =>
      `此链接已过期，未作任何更改。如需停止接收此笔贷款的邮件，请使用我们最近一封邮件中的退订链接，或联系我们：电话 ${phone}，邮箱 ${email}。`,
  },
  en: {
    title: 'Unsubscribe from emails',
    confirm: 'You will no longer receive emails from us about this loan (text messages and calls are not affected).',
    button: 'Unsubscribe',
    done: 'You are unsubscribed from emails about this loan.',
    expiredTitle: 'This unsubscribe link has expired',
    expired: (phone, email) =>
      `This link has expired and nothing was changed. To stop emails about this loan, use the unsubscribe link in our most recent email, or contact us: ${phone}, ${email}.`,
  },
};

type UnsubscribePorts = Pick<ApiPorts, 'store' | 'clock' | 'policies' | 'unsubscribe'>;

export function getUnsubscribe(ports: UnsubscribePorts): RouteHandler {
  return async ({ query }) => {
    const link = query as Query;
    const checked = await checkedLoan(ports, link);
    if (checked.expired) return expiredPage(ports, checked.stored);
    const { locale } = checked.stored.loan;
    const text = TEXT[locale];
    const action = `?loan=${encodeURIComponent(link.loan)}${link.exp === undefined ? '' : `&exp=${encodeURIComponent(link.exp)}`}&sig=${encodeURIComponent(link.sig)}`;
    return html(locale, text.title, `<p>${text.confirm}</p><form method="post" action="${action}"><button type="submit">${text.button}</button></form>`);
  };
}

export function postUnsubscribe(ports: UnsubscribePorts & Pick<ApiPorts, 'workflow'>): RouteHandler {
  return async ({ query }) => {
    const link = query as Query;
    const loan = link.loan;
    const checked = await checkedLoan(ports, link);
    if (checked.expired) return expiredPage(ports, checked.stored);
    const {
      loan: { locale },
      state,
    } = checked.stored;
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

/**
 * The loan's record (its language, whether it is closed or opted out of email), once the link's MAC checks out,
 * and whether the link has expired (by the loan's clock). A forged link is refused before anything is read.
 */
async function checkedLoan(ports: UnsubscribePorts, link: Query): Promise<{ stored: StoredLoan; expired: boolean }> {
  const result = ports.unsubscribe ? await ports.unsubscribe.check(link, ports.clock(link.loan)) : 'forged';
  if (result === 'forged') throw new ForbiddenError('sig: the unsubscribe link is not valid', 'sig');
  const stored = await ports.store.getLoan(link.loan);
  if (!stored) throw new LoanNotFoundError(link.loan);
  return { stored, expired: result === 'expired' };
}

/** 410: the link was ours but has expired; nothing is recorded, and the page says how else to opt out. */
function expiredPage(ports: Pick<ApiPorts, 'policies'>, { loan }: StoredLoan) {
  const { supportPhone, supportEmail } = ports.policies(loan.product).contact;
  const text = TEXT[loan.locale];
  return html(loan.locale, text.expiredTitle, `<p>${escapeHtml(text.expired(supportPhone, supportEmail))}</p>`, 410);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(locale: Locale, title: string, content: string, status = 200) {
  const page = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1.25rem}</style></head>
<body><h1>${title}</h1>${content}</body></html>`;
  return { status, body: page, headers: { 'content-type': 'text/html; charset=utf-8' } };
}
