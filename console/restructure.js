// The restructure form on a RESTRUCTURE_REVIEW: risk sets a plan (extension, new rate, grace months, what happens to
// arrears) within the policy's bounds, previews the schedule it gives (POST /api/loans/{id}/restructure/preview)
// and agrees it (POST /api/loans/{id}/restructure); the API's refusals show next to the field they name.
import { api } from './api.js';
import { ARREARS_TREATMENTS } from './domain.js';
import { t } from './i18n.js';
import { esc, money, newRequestId, showFieldErrors, toast } from './ui.js';

const ARREARS = ARREARS_TREATMENTS;

/** Renders the form into `container` for the loan `view`; `done(loanId)` runs once the loan shows the new schedule. */
export function mountRestructure(container, view, done) {
  const bounds = view.restructuring;
  const loanId = view.loan.loanId;
  container.innerHTML = `<form class="panel" id="restructure-form" novalidate data-testid="restructure-form">
      <h2>${t('rs.title')}</h2>
      <p class="muted" data-testid="restructure-bounds">${t('rs.bounds', { ext: bounds.maxExtendMonths, rate: bounds.minAnnualRate, current: bounds.annualRate, grace: bounds.maxGraceMonths, done: bounds.count, max: bounds.maxRestructures })}</p>
      <p><label>${t('rs.extendMonths')} <input type="number" name="extendMonths" min="0" max="${bounds.maxExtendMonths}" step="1" value="0"></label></p>
      <div class="field-error" data-error="extendMonths"></div>
      <p><label>${t('rs.annualRate')} <input type="number" name="annualRate" min="${bounds.minAnnualRate}" max="${bounds.annualRate}" step="0.0001" placeholder="${esc(bounds.annualRate)}"></label></p>
      <div class="field-error" data-error="annualRate"></div>
      <p><label>${t('rs.graceMonths')} <input type="number" name="graceMonths" min="0" max="${bounds.maxGraceMonths}" step="1" value="0"></label></p>
      <div class="field-error" data-error="graceMonths"></div>
      <fieldset><legend>${t('rs.arrears')}</legend><div class="choices">${ARREARS.map((a, i) => `<label><input type="radio" name="arrears" value="${a}" ${i === 0 ? 'checked' : ''}> ${t(`rs.arrears.${a}`)}</label>`).join('')}</div><div class="field-error" data-error="arrears"></div></fieldset>
      <div class="field-error" data-error="plan"></div><div class="field-error" data-error="loanId"></div><div class="field-error" data-error="requestId"></div>
      <button type="button" data-testid="restructure-preview">${t('rs.preview')}</button>
      <button class="primary" type="button" data-testid="restructure-agree" disabled>${t('rs.agree')}</button>
      <div id="restructure-schedule" data-testid="restructure-schedule"></div>
    </form>`;
  const form = container.querySelector('form');
  const previewButton = form.querySelector('[data-testid=restructure-preview]');
  const agreeButton = form.querySelector('[data-testid=restructure-agree]');
  const schedule = form.querySelector('#restructure-schedule');
  // One id per plan: the same plan agreed again after a lost answer is recognised by the API and agreed once; a
  // changed plan is a new request (and needs a new preview).
  let requestId = newRequestId();
  form.oninput = () => {
    requestId = newRequestId();
    agreeButton.disabled = true;
    schedule.innerHTML = '';
  };
  const plan = () => {
    const data = new FormData(form);
    const number = (name) => (String(data.get(name) ?? '').trim() === '' ? undefined : Number(data.get(name)));
    return {
      extendMonths: number('extendMonths') ?? 0,
      annualRate: number('annualRate') ?? null,
      graceMonths: number('graceMonths') ?? 0,
      arrears: data.get('arrears'),
    };
  };
  previewButton.onclick = async () => {
    previewButton.disabled = true;
    try {
      const { data } = await api('POST', `loans/${encodeURIComponent(loanId)}/restructure/preview`, plan());
      form.querySelectorAll('[data-error]').forEach((node) => (node.textContent = ''));
      schedule.innerHTML = scheduleHtml(data);
      agreeButton.disabled = false;
    } catch (error) {
      schedule.innerHTML = '';
      showFieldErrors(form, error);
    } finally {
      previewButton.disabled = false;
    }
  };
  agreeButton.onclick = async () => {
    agreeButton.disabled = true;
    try {
      const { data } = await api('POST', `loans/${encodeURIComponent(loanId)}/restructure`, { ...plan(), requestId });
      toast(t('rs.agreed'));
      await untilRestructured(loanId, data.scheduleVersion);
      done(loanId);
    } catch (error) {
      agreeButton.disabled = false;
      showFieldErrors(form, error);
    }
  };
}

function scheduleHtml(preview) {
  const rows = preview.schedule.filter((i) => i.new);
  return `<p data-testid="restructure-summary">${t('rs.summary', { n: preview.instalments, amount: money(preview.regularAmount), first: esc(preview.firstDueDate), last: esc(preview.lastDueDate), rate: preview.annualRate, principal: money(preview.principal) })}</p>
    <dl class="grid"><div class="stat"><div class="k">${t('rs.regularAmount')}</div><div class="v" data-testid="restructure-regular">${money(preview.regularAmount)}</div></div>
      <div class="stat"><div class="k">${t('rs.firstDueDate')}</div><div class="v" data-testid="restructure-first">${esc(preview.firstDueDate)}</div></div>
      <div class="stat"><div class="k">${t('rs.lastDueDate')}</div><div class="v" data-testid="restructure-last">${esc(preview.lastDueDate)}</div></div></dl>
    <table><thead><tr><th>${t('sched.seq')}</th><th>${t('sched.due')}</th><th class="num">${t('sched.amount')}</th><th class="num">${t('rs.principal')}</th><th class="num">${t('rs.interest')}</th></tr></thead><tbody>
    ${rows.map((i, n) => `<tr><td>${n + 1}</td><td>${esc(i.dueDate)}</td><td class="num">${money(i.amount)}</td><td class="num">${money(i.principal)}</td><td class="num">${money(i.interest)}</td></tr>`).join('')}
    </tbody></table>`;
}

/** The loan's next step applies the plan within moments: wait (briefly) for the loan page to show it. */
async function untilRestructured(loanId, version) {
  for (let tries = 0; tries < 20; tries++) {
    const { data } = await api('GET', `loans/${encodeURIComponent(loanId)}`);
    if ((data.restructuring?.version ?? 1) >= version) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
