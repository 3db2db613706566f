// Steering a loan from its page: a task added by hand (POST /api/loans/{id}/tasks: a callback or a field visit for
// agents, also the reviews for risk) and, for risk, a new risk rating with a reason code
// (POST /api/loans/{id}/risk-rating). Both go to the loan's inbox and show once its next step has run; the API's
// refusals show next to the field they name.
import { api } from './api.js';
import { AD_HOC_CALL_PURPOSES, AD_HOC_REVIEW_PURPOSES, RISK_RATING_REASONS, RISK_RATINGS } from './domain.js';
import { t } from './i18n.js';
import { esc, fmt, newRequestId, showFieldErrors, toast } from './ui.js';

const TASK_PURPOSES = AD_HOC_CALL_PURPOSES;
const REVIEW_PURPOSES = AD_HOC_REVIEW_PURPOSES;
const RATINGS = RISK_RATINGS;
const REASONS = RISK_RATING_REASONS;

/**
 * Renders the forms into `container` for the loan `view`. `allowed.reviews`: the review purposes are offered;
 * `allowed.rate`: the re-rating form is shown. `done()` runs once the loan shows the change (or after a short wait).
 */
export function mountSteering(container, view, allowed, done) {
  const loanId = view.loan.loanId;
  const purposes = [...TASK_PURPOSES, ...(allowed.reviews ? REVIEW_PURPOSES : [])];
  const suggestions = suggestedRatings(view);
  container.innerHTML = `<div class="cols">
    <form class="panel" id="task-form" novalidate data-testid="task-form">
      <h2>${t('st.taskTitle')}</h2>
      <p><label>${t('st.purpose')} <select name="purpose">${purposes.map((p) => `<option value="${p}">${t(`purpose.${p}`)}</option>`).join('')}</select></label></p>
      <div class="field-error" data-error="purpose"></div>
      <p><label>${t('st.dueBy')} <input type="date" name="dueBy" min="${esc(view.promiseEarliestDate)}"></label> <span class="muted">${t('st.dueHint')}</span></p>
      <div class="field-error" data-error="dueBy"></div>
      <p><label>${t('st.note')} <textarea name="note" maxlength="500"></textarea></label></p>
      <div class="field-error" data-error="note"></div>
      <div class="field-error" data-error="loanId"></div><div class="field-error" data-error="requestId"></div>
      <button class="primary" type="submit">${t('st.addTask')}</button>
    </form>
    ${
      allowed.rate
        ? `<form class="panel" id="rating-form" novalidate data-testid="rating-form">
      <h2>${t('st.ratingTitle')}</h2>
      <p>${t('st.currentRating', { rating: `<strong data-testid="rating-now">${t(`rating.${view.riskRating}`)}</strong>` })}</p>
      ${suggestions.length ? `<ul class="muted" data-testid="rating-suggestions">${suggestions.map((s) => `<li>${esc(t('st.suggested', { rating: t(`rating.${s.to}`), finding: t(`finding.${s.finding}`), at: fmt(s.at) }))}</li>`).join('')}</ul>` : ''}
      <p><label>${t('st.newRating')} <select name="riskRating">${RATINGS.map((r) => `<option value="${r}" ${r === (suggestions[0]?.to ?? view.riskRating) ? 'selected' : ''}>${t(`rating.${r}`)}</option>`).join('')}</select></label></p>
      <div class="field-error" data-error="riskRating"></div>
      <p><label>${t('st.reason')} <select name="reason"><option value="">${t('form.decisionPick')}</option>${REASONS.map((r) => `<option value="${r}">${t(`rating.reason.${r}`)}</option>`).join('')}</select></label></p>
      <div class="field-error" data-error="reason"></div>
      <div class="field-error" data-error="loanId"></div><div class="field-error" data-error="requestId"></div>
      <button class="primary" type="submit">${t('st.changeRating')}</button>
    </form>`
        : ''
    }
  </div>`;

  const taskForm = container.querySelector('#task-form');
  // One id per request: sent again after a lost answer, the API makes one task; a changed form is a new request.
  let taskRequest = newRequestId();
  taskForm.oninput = () => {
    taskRequest = newRequestId();
    taskForm.dataset.dirty = '';
  };
  taskForm.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(taskForm);
    const note = String(data.get('note') ?? '').trim();
    const body = { purpose: data.get('purpose'), dueBy: String(data.get('dueBy') ?? ''), ...(note ? { note } : {}), requestId: taskRequest };
    await send(
      taskForm,
      `loans/${encodeURIComponent(loanId)}/tasks`,
      body,
      t('st.taskAdded'),
      (accepted, now) => now.tasks.some((x) => x.taskId === accepted.taskId) || now.timeline.some((e) => String(e.key ?? '').includes(accepted.eventId)),
    );
  };

  const ratingForm = container.querySelector('#rating-form');
  if (!ratingForm) return;
  let ratingRequest = newRequestId();
  ratingForm.oninput = () => {
    ratingRequest = newRequestId();
    ratingForm.dataset.dirty = '';
  };
  ratingForm.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(ratingForm);
    const body = { riskRating: data.get('riskRating'), reason: data.get('reason') || undefined, requestId: ratingRequest };
    await send(
      ratingForm,
      `loans/${encodeURIComponent(loanId)}/risk-rating`,
      body,
      t('st.ratingChanged'),
      (accepted, now) => now.timeline.some((e) => e.key === `RISK_RATING_CHANGED:${accepted.eventId}`) || now.riskRating === accepted.to,
    );
  };

  /** Posts, then waits (briefly) for the loan's next step to show the change, then `done()`. */
  async function send(form, path, body, saved, shows) {
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const { data: accepted } = await api('POST', path, body);
      form.querySelectorAll('[data-error]').forEach((node) => (node.textContent = ''));
      toast(saved);
      await until(loanId, (now) => shows(accepted, now));
      done();
    } catch (error) {
      button.disabled = false;
      showFieldErrors(form, error);
    }
  }
}

/** Ratings the loan's findings suggested (RISK_RATING_SUGGESTED) above its rating now, since risk last re-rated it; the latest first. */
function suggestedRatings(view) {
  const order = (r) => RATINGS.indexOf(r);
  const lastChange = view.timeline.findLastIndex((e) => e.type === 'RISK_RATING_CHANGED');
  const seen = new Set();
  return view.timeline
    .slice(lastChange + 1)
    .filter((e) => e.type === 'RISK_RATING_SUGGESTED' && order(e.to) > order(view.riskRating))
    .reverse()
    .filter((e) => !seen.has(e.to) && seen.add(e.to));
}

/** Locally the loan has moved on when the POST answers; in AWS its execution wakes within moments: poll a little. */
async function until(loanId, shows) {
  for (let tries = 0; tries < 20; tries++) {
    try {
      const { data } = await api('GET', `loans/${encodeURIComponent(loanId)}`);
      if (shows(data)) return;
    } catch {
      return; // the page drawn next shows it
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
