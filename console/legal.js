// The legal team's case page: the case and its loan at a glance, what has happened on it, and a form that records
// the case's course or end through POST /api/referrals/{caseId}/events.
import { api, ProblemError } from './api.js';
import { LEGAL_EVENTS, LEGAL_EVENTS_WITH_AMOUNT } from './domain.js';
import { t } from './i18n.js';
import { badge, esc, fmt, money, newRequestId, showFieldErrors, toast } from './ui.js';

/** What a case records (the API's legal events; settled and recovered take the amount, nothing else does). */
const WITH_AMOUNT = LEGAL_EVENTS_WITH_AMOUNT;
/** The timeline records that tell a case's story. */
const CASE_RECORDS = ['LEGAL_REFERRAL', 'LEGAL_EVENT', 'LEGAL_CASE_CLOSED', 'LOAN_CLOSED', 'PAYMENT_RECEIVED', 'CLASSIFICATION_CHANGED', 'CALLBACK_CREATED'];

const stat = (k, v, id = '') => `<div class="stat"${id ? ` data-testid="${id}"` : ''}><div class="k">${k}</div><div class="v">${v}</div></div>`;

/**
 * `#/cases/CASE-<loanId>`. `page` gives the loan page's event wording, the error page, and whether this page is
 * still the one shown.
 */
export async function renderCase(app, caseId, page) {
  app.innerHTML = `<p class="muted">${t('loading')}</p>`;
  const loanId = caseId.replace(/^CASE-/, '');
  let view;
  try {
    view = (await api('GET', `loans/${encodeURIComponent(loanId)}`)).data;
  } catch (error) {
    return page.showError(error);
  }
  if (!page.isCurrent()) return;
  if (view.legalCaseId !== caseId) return page.showError(new ProblemError({ status: 404, detail: caseId, errors: [] }));
  const open = view.status === 'LEGAL';
  const history = view.timeline.filter((e) => CASE_RECORDS.includes(e.type) && (e.type !== 'CALLBACK_CREATED' || e.purpose === 'LEGAL_FOLLOW_UP')).reverse();
  app.innerHTML = `<h1 data-testid="case-title">${t('case.title', { id: esc(caseId) })} · <a href="#/loans/${encodeURIComponent(loanId)}">${esc(loanId)}</a></h1>
    <div class="panel grid">
      ${stat(t('loan.status'), `<span data-testid="case-status">${t(`status.${view.status}`)}</span>`)}
      ${stat(t('loan.phase'), view.phase ? t(`phase.${view.phase}`) : t('loan.none'))}
      ${stat(t('loan.class'), badge('c', view.classification, t(`class.${view.classification}`)))}
      ${stat(t('loan.dpd'), view.dpd)}
      ${stat(t('loan.outstanding'), money(view.outstandingPrincipal))}
      ${view.referral ? stat(t('ref.at'), esc(fmt(view.referral.referredAt))) : ''}
      ${view.closedReason ? stat(t('loan.closedReason'), t(`close.${view.closedReason}`), 'closed-reason') : ''}
    </div>
    <div class="cols">
      <form class="panel" id="legal-event" novalidate data-testid="legal-event-form">
        <h2>${t('case.record')}</h2>
        ${open ? '' : `<p class="notice" data-testid="case-closed">${t('case.closed')}</p>`}
        <p><label>${t('case.event')} <select name="event">${LEGAL_EVENTS.map((e) => `<option value="${e}">${t(`legal.${e}`)}</option>`).join('')}</select></label></p>
        <div class="field-error" data-error="event"></div>
        <p id="legal-amount" hidden><label>${t('case.amount')} <input type="number" name="amount" min="0.01" step="0.01"></label></p>
        <div class="field-error" data-error="amount"></div>
        <p><label>${t('case.date')} <input type="date" name="date"></label></p>
        <div class="field-error" data-error="date"></div>
        <button class="primary" type="submit" ${open ? '' : 'disabled'}>${t('case.submit')}</button>
        <div class="field-error" data-error="caseId"></div>
      </form>
      <div>
        <h2>${t('case.history')}</h2>
        <ul class="timeline" data-testid="case-history">${history.map((e) => `<li data-type="${esc(e.type)}"><time>${esc(fmt(e.at))}</time>${esc(page.eventText(e))}</li>`).join('')}</ul>
      </div>
    </div>`;
  const form = document.getElementById('legal-event');
  const amount = document.getElementById('legal-amount');
  form.elements.event.onchange = (e) => (amount.hidden = !WITH_AMOUNT.includes(e.target.value));
  // One id per event: a save sent again after a lost answer is recorded once.
  const eventId = newRequestId();
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const kind = String(data.get('event'));
    const body = { event: kind, eventId, date: data.get('date') || undefined };
    if (WITH_AMOUNT.includes(kind)) body.amount = data.get('amount') ? Number(data.get('amount')) : undefined;
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const accepted = (await api('POST', `referrals/${encodeURIComponent(caseId)}/events`, body)).data;
      toast(t('case.saved'));
      await recorded(loanId, accepted.eventId);
      if (page.isCurrent()) renderCase(app, caseId, page);
    } catch (error) {
      button.disabled = false;
      showFieldErrors(form, error);
    }
  };
}

/** The loan records the event at its next step, within moments of being woken: wait a little for it. */
async function recorded(loanId, eventId) {
  for (let i = 0; i < 20; i++) {
    try {
      const { timeline } = (await api('GET', `loans/${encodeURIComponent(loanId)}`)).data;
      if (timeline.some((e) => e.type === 'LEGAL_EVENT' && e.key === `LEGAL_EVENT:${eventId}`)) return;
    } catch {
      /* shown by the page drawn next */
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
