// The operations console: work queue, loan page with its timeline chart, call-outcome form, legal referrals and
// their case pages (legal.js). Plain ES modules, no build step; every text through t() (zh-CN and en).
import { api, cognitoLogin, completeCognitoLogin, devLogin, loadConfig, logout, ProblemError, session } from './api.js';
import { chartLegend, timelineChart } from './chart.js';
import {
  CALL_OUTCOMES,
  COLLATERAL_CONDITIONS,
  DECISION_REVIEWS,
  FINDINGS,
  QUEUE_GROUPS,
  QUEUE_PURPOSES,
  REVIEW_DECISIONS,
  TASK_PURPOSES,
  WARNING_LEVELS,
} from './domain.js';
import { getLocale, scriptFor, setLocale, t } from './i18n.js';
import { renderCase } from './legal.js';
import { mountRestructure } from './restructure.js';
import { mountSteering } from './steering.js';
import { badge, esc, fmt, money, newRequestId, showFieldErrors, toast } from './ui.js';

const app = document.getElementById('app');
// The domain's and the API's lists, generated into domain.js (npm run console:enums); the queues a user may
// filter on come from GET /api/tasks itself.
const PURPOSES = TASK_PURPOSES;
const QUEUES = QUEUE_GROUPS;
const QUEUE_WORKERS = [...new Set(Object.values(QUEUES).flat())];
const OUTCOMES = CALL_OUTCOMES;
const DECISIONS = REVIEW_DECISIONS;
const WARNINGS = WARNING_LEVELS;
const CONDITIONS = COLLATERAL_CONDITIONS;
const state = { queue: { queue: '', purpose: '', sort: { key: 'priority', asc: false } }, clock: null, view: null, timer: null };

const can = (...groups) => (session()?.groups ?? []).some((g) => groups.includes(g));
const localFmt = (offsetIso) => (offsetIso ? `${offsetIso.slice(0, 10)} ${offsetIso.slice(11, 16)} (UTC${offsetIso.slice(-6)})` : '');
const pct = (n) => new Intl.NumberFormat(getLocale(), { style: 'percent', maximumFractionDigits: 1 }).format(n);
const days = (ms) => `${Math.max(0, Math.round(Math.abs(ms) / 86_400_000))}${getLocale() === 'zh-CN' ? '天' : 'd'}`;

function showError(error) {
  if (error instanceof ProblemError && error.status === 401) return navigate('#/login');
  const text =
    error instanceof ProblemError && error.status === 403
      ? t('err.forbidden')
      : error instanceof ProblemError && error.status === 404
        ? t('err.notFound')
        : t('err.generic', { detail: error.message });
  app.innerHTML = `<div class="notice error" data-testid="error" data-status="${esc(error.status ?? '')}">${esc(text)}</div>`;
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

// ---- header: navigation, demo clock, language, user ----

function renderHeader() {
  const s = session();
  const nav = document.getElementById('nav');
  const current = location.hash.split('/')[1] || '';
  nav.innerHTML = s
    ? [
        can(...QUEUE_WORKERS) ? `<a href="#/queue" class="${current === 'queue' ? 'active' : ''}">${t('nav.queue')}</a>` : '',
        can('legal', 'admin')
          ? `<a href="#/referrals" class="${current === 'referrals' || current === 'cases' ? 'active' : ''}">${t('nav.referrals')}</a>`
          : '',
      ].join('')
    : '';
  document.getElementById('user').innerHTML = s
    ? `<span data-testid="user">${esc(s.username)} · ${esc(s.groups.map((g) => t(`group.${g}`)).join(', '))}</span> <button class="link" id="logout" type="button">${t('logout')}</button>`
    : '';
  document.getElementById('logout')?.addEventListener('click', () => {
    logout();
    navigate('#/login');
  });
  document.getElementById('lang').textContent = getLocale() === 'zh-CN' ? 'EN' : '中文';
  document.querySelector('[data-i18n="app.title"]').textContent = t('app.title');
  document.title = t('app.title');
  renderClock();
}

function renderClock() {
  const box = document.getElementById('clock');
  const c = state.clock;
  if (!session() || !c || c.mode !== 'virtual') {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const speeds = [...new Set([1, 3, 10, 30, c.secondsPerDay])].sort((a, b) => a - b);
  box.innerHTML = `<span class="muted">${t('clock.virtual')}</span><span class="now" data-testid="clock-now">${esc(c.now.slice(0, 16).replace('T', ' '))}${c.paused ? ` · ${t('clock.paused')}` : ''}</span>
    <button type="button" data-clock="toggle">${c.paused ? t('clock.resume') : t('clock.pause')}</button>
    <button type="button" data-clock="day">${t('clock.day')}</button><button type="button" data-clock="week">${t('clock.week')}</button>
    <select data-clock="speed" aria-label="${t('clock.speed')}">${speeds.map((s) => `<option value="${s}" ${s === c.secondsPerDay ? 'selected' : ''}>${t('clock.perDay', { s })}</option>`).join('')}</select>`;
  box.querySelector('[data-clock=toggle]').onclick = () => changeClock({ paused: !c.paused });
  box.querySelector('[data-clock=day]').onclick = () => changeClock({ advanceDays: 1 });
  box.querySelector('[data-clock=week]').onclick = () => changeClock({ advanceDays: 7 });
  box.querySelector('[data-clock=speed]').onchange = (e) => changeClock({ secondsPerDay: Number(e.target.value) });
}

async function changeClock(change) {
  try {
    state.clock = (await api('POST', 'dev/clock', change)).data;
    renderClock();
    refresh();
  } catch (error) {
    toast(error.message);
  }
}

/** In demo mode: follow the virtual clock and redraw the queue or loan page when a day has passed. */
async function pollClock() {
  const config = await loadConfig();
  if (config.clock !== 'demo' || !session()) return;
  try {
    const next = (await api('GET', 'dev/clock')).data;
    const moved = state.clock && next.now !== state.clock.now;
    const changed = !state.clock || moved || next.paused !== state.clock.paused || next.secondsPerDay !== state.clock.secondsPerDay;
    state.clock = next;
    if (changed) renderClock();
    if (moved) refresh();
  } catch {
    /* the next poll tries again */
  }
}

function refresh() {
  if (state.view === 'queue') renderQueue(false);
  // Not while a form on the loan page is being filled in (the demo clock would redraw it away).
  else if (state.view === 'loan' && !app.querySelector('#steering form[data-dirty]')) renderLoan(location.hash.split('/')[2], false);
}

// ---- login ----

async function renderLogin() {
  const config = await loadConfig();
  state.view = 'login';
  if (config.auth === 'cognito') {
    app.innerHTML = `<div class="panel login"><h1>${t('login.title')}</h1><button class="primary" id="cognito" type="button">${t('login.cognito')}</button></div>`;
    document.getElementById('cognito').onclick = () => cognitoLogin();
    return;
  }
  const groups = config.groups ?? ['agent', 'senior', 'risk', 'legal', 'admin'];
  app.innerHTML = `<form class="panel login" id="login" novalidate>
    <h1>${t('login.title')}</h1><p class="muted">${t('login.dev')}</p>
    <label for="username">${t('login.username')}</label><input id="username" name="username" type="text" autocomplete="username" value="${esc(sessionStorage.getItem('lastUser') || '')}" required>
    <div class="field-error" data-error="username"></div>
    <label for="group">${t('login.group')}</label><select id="group" name="group">${groups.map((g) => `<option value="${g}">${t(`group.${g}`)}</option>`).join('')}</select>
    <p><button class="primary" type="submit">${t('login.submit')}</button></p></form>`;
  document.getElementById('login').onsubmit = async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
      const s = await devLogin(String(form.get('username')).trim(), String(form.get('group')));
      sessionStorage.setItem('lastUser', s.username);
      navigate(s.groups.some((g) => ['agent', 'senior', 'risk', 'admin'].includes(g)) ? '#/queue' : '#/referrals');
    } catch (error) {
      showFieldErrors(event.target, error);
    }
  };
}

// ---- work queue ----

function dueText(task, now) {
  const diff = Date.parse(task.dueBy) - Date.parse(now);
  return diff < 0 ? `<span class="bad">${t('due.overdue', { d: days(diff) })}</span>` : t('due.in', { d: days(diff) });
}

function contactCell(task) {
  if (!task.contactNow) return `<span class="muted">${t('contact.staff')}</span>`;
  if (task.contactNow.allowed) return `<span class="ok" data-contact="allowed">✓ ${t('contact.yes')}</span>`;
  const title = [...task.contactNow.reasons, task.contactNow.retryAt ? t('contact.retry', { at: fmt(task.contactNow.retryAt) }) : '']
    .filter(Boolean)
    .join('; ');
  return `<span class="bad" data-contact="blocked" title="${esc(title)}">✗ ${t('contact.no')}</span>`;
}

const SORTS = {
  priority: (a, b) => WARNINGS.indexOf(a.warningLevel) - WARNINGS.indexOf(b.warningLevel) || a.dpd - b.dpd || b.dueBy.localeCompare(a.dueBy),
  loan: (a, b) => a.loanId.localeCompare(b.loanId),
  purpose: (a, b) => a.purpose.localeCompare(b.purpose),
  queue: (a, b) => Object.keys(QUEUES).indexOf(a.queue) - Object.keys(QUEUES).indexOf(b.queue),
  dpd: (a, b) => a.dpd - b.dpd,
  due: (a, b) => a.dueBy.localeCompare(b.dueBy),
  local: (a, b) => a.borrowerLocalTime.slice(11, 16).localeCompare(b.borrowerLocalTime.slice(11, 16)),
  contact: (a, b) => Number(a.contactNow?.allowed ?? 2) - Number(b.contactNow?.allowed ?? 2),
  attempts: (a, b) => a.attempts - b.attempts,
};

async function renderQueue(loading = true) {
  state.view = 'queue';
  const q = state.queue;
  if (loading) app.innerHTML = `<p class="muted">${t('loading')}</p>`;
  const params = new URLSearchParams();
  if (q.queue) params.set('queue', q.queue);
  if (q.purpose) params.set('purpose', q.purpose);
  let data;
  try {
    data = (await api('GET', `tasks?${params}`)).data;
  } catch (error) {
    return showError(error);
  }
  if (state.view !== 'queue') return;
  // The queues this user works, as the API says.
  const allowedQueues = data.queues;
  const purposes = PURPOSES.filter((p) => (q.queue ? purposesOf(q.queue) : allowedQueues.flatMap(purposesOf)).includes(p));
  const tasks = [...data.tasks].sort((a, b) => (q.sort.asc ? 1 : -1) * SORTS[q.sort.key](a, b) || a.taskId.localeCompare(b.taskId));
  const head = (key, label, cls = '') =>
    `<th class="sortable ${cls} ${q.sort.key === key ? `sorted ${q.sort.asc ? 'asc' : ''}` : ''}" data-sort="${key}">${label}</th>`;
  app.innerHTML = `<h1>${t('queue.title')}</h1>
    <div class="toolbar">
      <label>${t('queue.queue')} <select id="f-queue" data-testid="queue-filter"><option value="">${t('queue.all')}</option>${allowedQueues.map((name) => `<option value="${name}" ${q.queue === name ? 'selected' : ''}>${t(`queue.${name}`)}</option>`).join('')}</select></label>
      <label>${t('queue.purpose')} <select id="f-purpose" data-testid="purpose-filter"><option value="">${t('queue.all')}</option>${purposes.map((p) => `<option value="${p}" ${q.purpose === p ? 'selected' : ''}>${t(`purpose.${p}`)}</option>`).join('')}</select></label>
      <span class="muted" data-testid="task-count">${t('queue.count', { n: tasks.length })}</span>
    </div>
    ${
      tasks.length === 0
        ? `<div class="panel empty">${t('queue.empty')}</div>`
        : `<table data-testid="queue"><thead><tr>
      ${head('priority', t('col.priority'))}${head('loan', t('col.loan'))}${head('purpose', t('col.purpose'))}${head('queue', t('col.queue'))}${head('dpd', t('col.dpd'), 'num')}${head('due', t('col.due'))}${head('local', t('col.local'))}${head('contact', t('col.contact'))}${head('attempts', t('col.attempts'), 'num')}<th></th>
    </tr></thead><tbody>${tasks
      .map(
        (task) => `<tr data-task="${esc(task.taskId)}" data-queue="${esc(task.queue)}">
        <td>${badge('w', task.warningLevel, t(`warning.${task.warningLevel}`))}</td>
        <td><a href="#/loans/${encodeURIComponent(task.loanId)}">${esc(task.loanId)}</a> <span class="muted">${t(`product.${task.product}`)}</span></td>
        <td>${t(`purpose.${task.purpose}`)}${task.requeues ? ` <span class="warn">↻${task.requeues}</span>` : ''}</td>
        <td><span class="queue q-${esc(task.queue)}">${t(`queue.${task.queue}`)}</span></td>
        <td class="num">${task.dpd}</td><td>${dueText(task, data.now)}</td><td>${esc(localFmt(task.borrowerLocalTime))}</td><td>${contactCell(task)}</td><td class="num">${task.attempts}</td>
        <td><a class="button" href="#/tasks/${encodeURIComponent(task.taskId)}" data-testid="record">${t('action.record')}</a></td></tr>`,
      )
      .join('')}</tbody></table>`
    }`;
  document.getElementById('f-queue').onchange = (e) => {
    q.queue = e.target.value;
    q.purpose = '';
    renderQueue();
  };
  document.getElementById('f-purpose').onchange = (e) => {
    q.purpose = e.target.value;
    renderQueue();
  };
  app.querySelectorAll('th[data-sort]').forEach((th) => {
    th.onclick = () => {
      const key = th.dataset.sort;
      q.sort = { key, asc: q.sort.key === key ? !q.sort.asc : key !== 'priority' && key !== 'dpd' };
      renderQueue(false);
    };
  });
}

/** The purposes a queue can hold (collection calls are in the queue of their tier). */
function purposesOf(queue) {
  return QUEUE_PURPOSES[queue] ?? [];
}

// ---- loan page ----

/** Labels of the values some records carry, by record type (others: purposes, outcomes, classifications). */
const EVENT_LABELS = {
  PHASE_CHANGED: (e) => ({ from: e.from ? t(`phase.${e.from}`) : t('loan.none'), to: t(`phase.${e.to}`) }),
  REVIEW_DECIDED: (e) => ({ outcome: t(`decision.${e.outcome}`) }),
  LEGAL_EVENT: (e) => ({
    event: t(`legal.${e.event}`),
    date: e.date ? ` · ${e.date}` : '',
    amount: typeof e.amount === 'number' ? ` · ${money(e.amount / 100)}` : '',
  }),
  LEGAL_CASE_CLOSED: (e) => ({ outcome: t(`legal.${e.outcome}`) }),
  LOAN_CLOSED: (e) => ({ reason: e.reason ? ` (${t(`close.${e.reason}`)})` : '' }),
  COLLECTION_ENDED: (e) => ({ cured: e.cured ? t('ev.cured') : '' }),
  PROMISE_BROKEN: (e) => ({ paid: typeof e.paid === 'number' ? money(e.paid / 100) : '' }),
  TEAM_NOTIFIED: (e) => ({ team: t(`team.${e.team}`) }),
  RESTRUCTURED: (e) => ({ regularAmount: typeof e.regularAmount === 'number' ? money(e.regularAmount / 100) : '' }),
  RESTRUCTURE_REFUSED: (e) => ({
    reason: [e.problems ?? []]
      .flat()
      .map((p) => p.reason)
      .join('; '),
  }),
  RISK_RATING_CHANGED: (e) => ({ from: t(`rating.${e.from}`), to: t(`rating.${e.to}`), reason: t(`rating.reason.${e.reason}`) }),
  RISK_RATING_SUGGESTED: (e) => ({ to: t(`rating.${e.to}`), finding: e.finding ? t(`finding.${e.finding}`) : '' }),
  WARNING_RAISED: (e) => {
    const label = t(`warnreason.${e.reason}`);
    return { reason: e.reason ? ` (${label === `warnreason.${e.reason}` ? e.reason : label})` : '' };
  },
  COLLATERAL_REVALUED: (e) => ({
    value: money(e.value / 100),
    previous: typeof e.previousValue === 'number' ? `${money(e.previousValue / 100)} → ` : '',
    condition: t(`coll.condition.${e.condition}`),
    ltv: typeof e.ltv === 'number' ? pct(e.ltv) : t('coll.worthless'),
    max: pct(e.maxLtv),
    shortfall: e.shortfall ? t('ev.shortfall') : '',
  }),
};

function eventText(e) {
  const params = {
    ...e,
    purpose: e.purpose ? t(`purpose.${e.purpose}`) : '',
    outcome: e.outcome ? t(`outcome.${e.outcome}`) : '',
    level: e.level ? t(`warning.${e.level}`) : '',
    from: e.from ? t(`class.${e.from}`) : '',
    to: e.to ? t(`class.${e.to}`) : '',
    amount: typeof e.amount === 'number' ? money(e.amount / 100) : '',
    channels: [e.channels].flat().join(', '),
    ...(EVENT_LABELS[e.type]?.(e) ?? {}),
  };
  const text = t(`ev.${e.type}`, params);
  return (text === `ev.${e.type}` ? e.type : text) + (e.by ? t('ev.by', { by: e.by }) : '');
}

function nextActionText(action) {
  return t(`next.${action.kind}`, {
    channel: action.channel ?? '',
    purpose: action.purpose ? t(`purpose.${action.purpose}`) : '',
    detail: action.kind === 'WARNING' ? t(`warning.${action.detail}`) : action.kind === 'CLASSIFICATION' ? t(`class.${action.detail}`) : (action.detail ?? ''),
  });
}

async function renderLoan(loanId, loading = true) {
  state.view = 'loan';
  if (loading) app.innerHTML = `<p class="muted">${t('loading')}</p>`;
  let view;
  try {
    view = (await api('GET', `loans/${encodeURIComponent(loanId)}`)).data;
  } catch (error) {
    return showError(error);
  }
  if (state.view !== 'loan') return;
  const next = view.nextAction;
  const stat = (k, v) => `<div class="stat"><div class="k">${k}</div><div class="v">${v}</div></div>`;
  app.innerHTML = `<h1 data-testid="loan-title">${t('loan.title', { id: esc(view.loan.loanId) })} <span class="muted">${t(`product.${view.loan.product}`)}</span></h1>
    ${view.referral ? `<p class="notice">${t('loan.referral', { case: can('legal', 'admin') ? `<a href="#/cases/${encodeURIComponent(view.referral.caseId)}">${esc(view.referral.caseId)}</a>` : esc(view.referral.caseId) })}</p>` : ''}
    ${view.flagged ? `<p class="notice error">${t('loan.flagged', { reason: esc(view.flagged.reason) })}</p>` : ''}
    <div class="panel grid">
      ${stat(t('loan.status'), `${t(`status.${view.status}`)}${view.closedReason ? ` <span class="muted" data-testid="closed-reason">${t(`close.${view.closedReason}`)}</span>` : ''}`)}
      ${stat(t('loan.phase'), `<span data-testid="phase">${view.phase ? t(`phase.${view.phase}`) : t('loan.none')}</span>`)}
      ${stat(t('loan.episode'), `<span data-testid="episode">${view.episode ? t('loan.episodeText', { n: view.episode.number, at: view.episode.startedAt.slice(0, 10), broken: view.episode.brokenPromises }) : t('loan.none')}</span>`)}
      ${stat(t('loan.promise'), `<span data-testid="promise">${view.promise ? t('loan.promiseText', { date: esc(view.promise.date), amount: money(view.promise.amount) }) : t('loan.none')}</span>`)}
      ${stat(t('loan.warning'), `<span data-testid="warning">${badge('w', view.warningLevel, t(`warning.${view.warningLevel}`))}</span>`)}
      ${stat(t('loan.class'), badge('c', view.classification, t(`class.${view.classification}`)))}
      ${stat(t('loan.riskRating'), `<span data-testid="risk-rating">${t(`rating.${view.riskRating}`)}</span>`)}
      ${stat(t('loan.dpd'), view.dpd)}
      ${stat(t('loan.outstanding'), money(view.outstandingPrincipal))}
      ${stat(t('loan.local'), esc(localFmt(view.borrowerLocalTime)))}
      ${stat(t('loan.contact'), view.contact ? `${esc(view.contact.phone)}<br><span class="muted">${esc(view.contact.email)}</span>` : '')}
      ${stat(t('loan.contactNow'), view.contactNow.allowed ? `<span class="ok">✓ ${t('contact.yes')}</span>` : `<span class="bad" title="${esc(view.contactNow.reasons.join('; '))}">✗ ${t('contact.no')}</span>`)}
    </div>
    ${view.collateral ? collateralSection(view.collateral) : ''}
    <h2>${t('loan.next')}</h2>
    <div class="panel" data-testid="next-action">${next ? `<strong>${esc(fmt(next.at))}</strong> ${next.due ? `<span class="muted">${t('loan.nextDue')}</span>` : ''}<ul>${next.actions.map((a) => `<li>${esc(nextActionText(a))}</li>`).join('')}</ul>` : t('loan.none')}</div>
    ${view.status !== 'CLOSED' && can(...QUEUES.callback) ? '<section id="steering"></section>' : ''}
    <h2>${t('loan.chart')}</h2><div id="chart"></div>
    <div class="cols">
      <div>
        <h2>${t('loan.tasks')}</h2>
        <table data-testid="tasks"><thead><tr><th>${t('col.purpose')}</th><th>${t('col.queue')}</th><th>${t('task.status')}</th><th>${t('col.due')}</th><th>${t('task.outcome')}</th><th>${t('task.by')}</th><th></th></tr></thead><tbody>
        ${[...view.tasks]
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
          .map(
            (
              task,
            ) => `<tr data-task="${esc(task.taskId)}" data-status="${task.status}"><td>${t(`purpose.${task.purpose}`)}</td><td>${t(`queue.${task.queue}`)}</td><td>${t(`task.${task.status}`)}</td><td>${esc(fmt(task.dueBy))}</td>
          <td>${task.outcome ? t(`outcome.${task.outcome}`) : ''}${task.decision ? ` · ${t(`decision.${task.decision}`)}` : ''}${task.promise ? `<br><span class="muted">${t('loan.promiseText', { date: esc(task.promise.date), amount: money(task.promise.amount) })}</span>` : ''}${task.findings.length ? `<br><span class="muted">${task.findings.map((f) => t(`finding.${f}`)).join(', ')}</span>` : ''}${task.notes ? `<br><span class="muted">${esc(task.notes)}</span>` : ''}${task.adHoc ? `<br><span class="muted" data-testid="task-note">${t('task.requestedBy', { by: esc(task.requestedBy ?? '') })}${task.note ? `: ${esc(task.note)}` : ''}</span>` : ''}</td>
          <td>${esc(task.completedBy ?? '')}</td><td>${task.status === 'OPEN' && can(...(QUEUES[task.queue] ?? [])) ? `<a href="#/tasks/${encodeURIComponent(task.taskId)}">${t('action.record')}</a>` : ''}</td></tr>`,
          )
          .join('')}
        </tbody></table>
        <h2>${t('loan.schedule')}</h2>
        <table><thead><tr><th>${t('sched.seq')}</th><th>${t('sched.due')}</th><th class="num">${t('sched.amount')}</th><th class="num">${t('sched.paid')}</th><th>${t('sched.status')}</th></tr></thead><tbody>
        ${view.schedule.map((i) => `<tr><td>${i.seq}</td><td>${i.dueDate}</td><td class="num">${money(i.amount)}</td><td class="num">${money(i.paidAmount)}</td><td class="${i.status === 'OVERDUE' ? 'bad' : i.status === 'PAID_LATE' ? 'warn' : ''}">${t(`sched.${i.status}`)}</td></tr>`).join('')}
        </tbody></table>
      </div>
      <div>
        <h2>${t('loan.payments')}</h2>
        ${view.payments.length ? `<table><thead><tr><th>${t('pay.at')}</th><th class="num">${t('pay.amount')}</th><th>${t('pay.by')}</th></tr></thead><tbody>${view.payments.map((p) => `<tr><td>${esc(fmt(p.at))}</td><td class="num">${money(p.amount)}${p.payoff ? ` <span class="muted">${t('pay.payoff')}</span>` : ''}</td><td>${esc(p.by ?? '')}</td></tr>`).join('')}</tbody></table>` : `<p class="muted">${t('loan.none')}</p>`}
        <h2>${t('loan.timeline')}</h2>
        <ul class="timeline" data-testid="timeline">${[...view.timeline]
          .reverse()
          .map((e) => `<li data-type="${esc(e.type)}"><time>${esc(fmt(e.at))}</time>${esc(eventText(e))}</li>`)
          .join('')}</ul>
      </div>
    </div>`;
  const chart = document.getElementById('chart');
  chart.append(timelineChart(view, t, fmt), chartLegend(t));
  const steering = document.getElementById('steering');
  if (steering)
    mountSteering(
      steering,
      view,
      { reviews: can('risk', 'admin'), rate: can('risk', 'admin') },
      () => state.view === 'loan' && decodeURIComponent(location.hash.split('/')[2] ?? '') === view.loan.loanId && renderLoan(loanId, false),
    );
}

/** What secures the loan: its identity, the value now against the onboarding value, and the loan-to-value against the policy's threshold. */
function collateralSection(c) {
  const stat = (k, v, id) => `<div class="stat"><div class="k">${k}</div><div class="v" data-testid="${id}">${v}</div></div>`;
  // No loan-to-value when the collateral is worth nothing: a shortfall all the same.
  const above = c.ltv === null || c.ltv > c.maxLtv;
  const vehicle = [c.make, c.model].filter(Boolean).join(' ');
  return `<h2>${t('coll.title')}</h2>
    <div class="panel grid" data-testid="collateral">
      ${stat(t('coll.type'), t(`coll.type.${c.type}`), 'collateral-type')}
      ${c.type === 'vehicle' ? stat(t('coll.vehicle'), esc(vehicle || t('loan.none')), 'collateral-vehicle') : ''}
      ${c.plate ? stat(t('coll.plate'), esc(c.plate), 'collateral-plate') : ''}
      ${c.vin ? stat(t('coll.vin'), `<span class="mono">${esc(c.vin)}</span>`, 'collateral-vin') : ''}
      ${c.description ? stat(t('coll.description'), esc(c.description), 'collateral-description') : ''}
      ${stat(t('coll.value'), `${money(c.value)}<br><span class="muted" data-testid="collateral-valued-at">${t('coll.valuedAt', { date: esc(c.valuedAt) })}</span>`, 'collateral-value')}
      ${stat(t('coll.condition'), c.condition ? t(`coll.condition.${c.condition}`) : `<span class="muted">${t('coll.notInspected')}</span>`, 'collateral-condition')}
      ${stat(t('coll.ltv'), `<span class="${above ? 'bad' : 'ok'}" data-above="${above}">${c.ltv === null ? t('coll.worthless') : pct(c.ltv)}${above ? ` ⚠ ${t('coll.above')}` : ''}</span><br><span class="muted">${t('coll.threshold', { max: pct(c.maxLtv) })}</span>`, 'collateral-ltv')}
      ${stat(t('coll.onboardingValue'), money(c.onboardingValue), 'collateral-onboarding')}
      ${stat(t('coll.nextReview'), c.nextReviewAt ? esc(fmt(c.nextReviewAt)) : t('loan.none'), 'collateral-next-review')}
    </div>`;
}

// ---- call-outcome form ----

async function renderOutcomeForm(taskId) {
  state.view = 'task';
  app.innerHTML = `<p class="muted">${t('loading')}</p>`;
  const loanId = taskId.split('.')[0];
  let view;
  try {
    view = (await api('GET', `loans/${encodeURIComponent(loanId)}`)).data;
  } catch (error) {
    return showError(error);
  }
  const task = view.tasks.find((x) => x.taskId === taskId);
  if (!task) return showError(new ProblemError({ status: 404, detail: taskId }));
  const script = scriptFor(task.purpose);
  const takesDecision = DECISION_REVIEWS.includes(task.purpose);
  // A collateral review of a secured loan is answered with what the collateral is worth now and its condition.
  const takesValuation = task.purpose === 'COLLATERAL_REVIEW' && view.collateral !== null;
  const restructures = task.purpose === 'RESTRUCTURE_REVIEW' && task.status === 'OPEN' && view.status === 'ACTIVE' && can('risk', 'admin');
  app.innerHTML = `<h1>${t('form.title')}: ${t(`purpose.${task.purpose}`)} · <a href="#/loans/${encodeURIComponent(loanId)}">${esc(loanId)}</a></h1>
    ${restructures ? '<section id="restructure"></section>' : ''}
    <div class="cols">
      <form class="panel" id="outcome" novalidate data-testid="outcome-form">
        ${task.status !== 'OPEN' ? `<p class="notice">${t('form.taskClosed')}</p>` : ''}
        <fieldset><legend>${t('form.outcome')}</legend><div class="choices">${OUTCOMES.map((o, i) => `<label><input type="radio" name="outcome" value="${o}" ${i === 0 ? 'checked' : ''}> ${t(`outcome.${o}`)}</label>`).join('')}</div><div class="field-error" data-error="outcome"></div></fieldset>
        <fieldset><legend>${t('form.findings')}</legend><div class="choices">${FINDINGS.map((f) => `<label><input type="checkbox" name="findings" value="${f}"> ${t(`finding.${f}`)}</label>`).join('')}</div><div class="field-error" data-error="findings"></div></fieldset>
        ${
          takesDecision
            ? `<fieldset><legend>${t('form.decision')}</legend><label>${t('form.decision')} <select name="decision" data-testid="decision"><option value="">${t('form.decisionPick')}</option>${DECISIONS.map((d) => `<option value="${d}">${t(`decision.${d}`)}</option>`).join('')}</select></label><div class="field-error" data-error="decision"></div>
          <p id="recall-date" hidden><label>${t('form.recallDueDate')} <input type="date" name="recallDueDate" min="${esc(view.recallEarliestDate)}" max="${esc(view.recallLatestDate)}"></label></p>
          <p class="muted" id="recall-bound" hidden data-testid="recall-bound">${t('form.recallBound', { min: esc(view.recallEarliestDate), max: esc(view.recallLatestDate) })}</p>
          <div class="field-error" data-error="recallDueDate"></div></fieldset>`
            : ''
        }
        ${
          takesValuation
            ? `<fieldset data-testid="valuation"><legend>${t('form.valuation')}</legend>
          <p class="muted" data-testid="valuation-now">${t('form.valuationNow', { value: money(view.collateral.value), date: esc(view.collateral.valuedAt), outstanding: money(view.outstandingPrincipal), max: pct(view.collateral.maxLtv) })}</p>
          <p><label>${t('form.valuationValue')} <input type="number" name="valuationValue" min="0" step="0.01"></label></p><div class="field-error" data-error="valuation.value"></div>
          <p><label>${t('form.valuationCondition')} <select name="valuationCondition"><option value="">${t('form.decisionPick')}</option>${CONDITIONS.map((c) => `<option value="${c}">${t(`coll.condition.${c}`)}</option>`).join('')}</select></label></p><div class="field-error" data-error="valuation.condition"></div>
          <div class="field-error" data-error="valuation"></div></fieldset>`
            : ''
        }
        <fieldset id="promise" hidden><legend>${t('form.promise')}</legend>
          <label>${t('form.promiseDate')} <input type="date" name="promiseDate" min="${esc(view.promiseEarliestDate)}" max="${esc(view.promiseLatestDate)}"></label>
          <label>${t('form.promiseAmount')} <input type="number" name="promiseAmount" min="0.01" step="0.01"></label>
          <p class="muted" data-testid="promise-bound">${t('form.promiseBound', { min: esc(view.promiseEarliestDate), max: esc(view.promiseLatestDate), n: view.promiseMaxDaysAhead })}</p>
          <div class="field-error" data-error="promise.date"></div><div class="field-error" data-error="promise.amount"></div><div class="field-error" data-error="promise"></div></fieldset>
        <fieldset><legend>${t('form.notes')}</legend><textarea name="notes" maxlength="2000"></textarea><div class="field-error" data-error="notes"></div></fieldset>
        <button class="primary" type="submit" ${task.status !== 'OPEN' ? 'disabled' : ''}>${t('form.submit')}</button>
        <a href="#/loans/${encodeURIComponent(loanId)}">${t('form.cancel')}</a>
        <div class="field-error" data-error="taskId"></div>
      </form>
      <div>
        <div class="script" data-testid="script"><strong>${t('form.script')}</strong><ol>${script.map((line) => `<li>${esc(line)}</li>`).join('')}</ol></div>
        <h2>${t('loan.contact')}</h2>
        <div class="panel">${view.contact ? `<a href="tel:${esc(view.contact.phone)}">${t('form.dial')} ${esc(view.contact.phone)}</a>` : ''}<br><span class="muted">${t('loan.local')}: ${esc(localFmt(view.borrowerLocalTime))}</span>
          <br>${view.contactNow.allowed ? `<span class="ok">✓ ${t('contact.yes')}</span>` : `<span class="bad">✗ ${t('contact.no')}: ${esc(view.contactNow.reasons.join('; '))}</span>`}
          <br>${badge('w', view.warningLevel, t(`warning.${view.warningLevel}`))} ${badge('c', view.classification, t(`class.${view.classification}`))} · ${t('loan.dpd')} ${view.dpd}</div>
      </div>
    </div>`;
  const form = document.getElementById('outcome');
  const promise = document.getElementById('promise');
  // One id for this call, sent with every submit of the form: a submit sent again after a failure is recognised
  // by the API and not recorded twice.
  const requestId = newRequestId();
  form.querySelector('input[value=promise_to_pay]').onchange = (e) => (promise.hidden = !e.target.checked);
  if (restructures) mountRestructure(document.getElementById('restructure'), view, (id) => navigate(`#/loans/${encodeURIComponent(id)}`));
  // A recall takes the date the balance falls due, within the policy's bounds (recall.noticeDays ahead when left empty).
  const decision = form.elements.decision;
  if (decision) decision.onchange = () => ['recall-date', 'recall-bound'].forEach((id) => (document.getElementById(id).hidden = decision.value !== 'recall'));
  form.onsubmit = async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const findings = data.getAll('findings');
    const body = {
      outcome: data.get('outcome'),
      findings,
      notes: String(data.get('notes') || '') || undefined,
      requestId,
      decision: data.get('decision') || undefined,
    };
    if (findings.includes('promise_to_pay')) {
      // The picker's bounds are the policy's: a date typed outside them is refused here, before any request.
      const picker = form.elements.promiseDate;
      if (picker.validity.rangeOverflow || picker.validity.rangeUnderflow) {
        form.querySelectorAll('[data-error]').forEach((node) => (node.textContent = ''));
        form.querySelector('[data-error="promise.date"]').textContent = t('form.promiseOutOfBounds', { min: picker.min, max: picker.max });
        return;
      }
      body.promise = { date: data.get('promiseDate') || undefined, amount: data.get('promiseAmount') ? Number(data.get('promiseAmount')) : undefined };
    }
    if (takesValuation) {
      // Sent as typed: what is missing or wrong is the API's to name (valuation, valuation.value, valuation.condition).
      const value = String(data.get('valuationValue') ?? '').trim();
      const condition = data.get('valuationCondition');
      if (value !== '' || condition) body.valuation = { value: value === '' ? undefined : Number(value), condition: condition || undefined };
    }
    if (body.decision === 'recall' && data.get('recallDueDate')) {
      const picker = form.elements.recallDueDate;
      if (picker.validity.rangeOverflow || picker.validity.rangeUnderflow) {
        form.querySelectorAll('[data-error]').forEach((node) => (node.textContent = ''));
        form.querySelector('[data-error="recallDueDate"]').textContent = t('form.recallOutOfBounds', { min: picker.min, max: picker.max });
        return;
      }
      body.recallDueDate = data.get('recallDueDate');
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      await api('POST', `tasks/${encodeURIComponent(taskId)}/outcome`, body);
      toast(t('form.saved'));
      navigate(`#/loans/${encodeURIComponent(loanId)}`);
    } catch (error) {
      button.disabled = false;
      showFieldErrors(form, error);
    }
  };
}

// ---- legal referrals ----

async function renderReferrals() {
  state.view = 'referrals';
  app.innerHTML = `<p class="muted">${t('loading')}</p>`;
  let data;
  try {
    data = (await api('GET', 'referrals')).data;
  } catch (error) {
    return showError(error);
  }
  app.innerHTML = `<h1>${t('ref.title')}</h1>${
    data.referrals.length === 0
      ? `<div class="panel empty">${t('ref.empty')}</div>`
      : `<table data-testid="referrals"><thead><tr><th>${t('ref.case')}</th><th>${t('ref.loan')}</th><th>${t('ref.at')}</th><th>${t('ref.reason')}</th><th>${t('loan.warning')}</th><th>${t('loan.class')}</th><th class="num">${t('loan.principal')}</th><th></th></tr></thead><tbody>
      ${data.referrals
        .map(
          (
            r,
          ) => `<tr data-case="${esc(r.caseId)}"><td><a href="#/cases/${encodeURIComponent(r.caseId)}" data-testid="open-case">${esc(r.caseId)}</a></td><td><a href="#/loans/${encodeURIComponent(r.loanId)}">${esc(r.loanId)}</a> <span class="muted">${t(`product.${r.product}`)}</span></td><td>${esc(fmt(r.referredAt))}</td><td>${esc(r.reason)}</td>
        <td>${badge('w', r.warningLevel, t(`warning.${r.warningLevel}`))}</td><td>${badge('c', r.classification, t(`class.${r.classification}`))}</td><td class="num">${money(r.principal)}</td>
        <td><button type="button" data-download="${esc(r.caseId)}">${t('ref.download')}</button></td></tr>`,
        )
        .join('')}</tbody></table>`
  }`;
  app.querySelectorAll('[data-download]').forEach((button) => {
    button.onclick = async () => {
      try {
        const { data: pkg } = await api('GET', `referrals/${encodeURIComponent(button.dataset.download)}/package`);
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([JSON.stringify(pkg, null, 2)], { type: 'application/json' }));
        link.download = `${button.dataset.download}.json`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 1000);
      } catch (error) {
        toast(error.message);
      }
    };
  });
}

function showCase(caseId) {
  state.view = 'case';
  const isCurrent = () => state.view === 'case' && decodeURIComponent(location.hash.split('/')[2] ?? '') === caseId;
  return renderCase(app, caseId, { eventText, showError, isCurrent });
}

// ---- routing ----

async function route() {
  if (session() && !state.clock) await pollClock();
  renderHeader();
  const [, page, id] = location.hash.split('/');
  if (!session() && page !== 'login') return navigate('#/login');
  if (page === 'login') return renderLogin();
  if (page === 'queue') return renderQueue();
  if (page === 'loans' && id) return renderLoan(decodeURIComponent(id));
  if (page === 'tasks' && id) return renderOutcomeForm(decodeURIComponent(id));
  if (page === 'referrals') return renderReferrals();
  if (page === 'cases' && id) return showCase(decodeURIComponent(id));
  return navigate(can('agent', 'senior', 'risk', 'admin') ? '#/queue' : '#/referrals');
}

async function start() {
  setLocale(getLocale());
  const config = await loadConfig();
  try {
    await completeCognitoLogin();
  } catch (error) {
    app.innerHTML = `<div class="notice error">${esc(error.message)}</div>`;
  }
  document.getElementById('lang').onclick = () => {
    setLocale(getLocale() === 'zh-CN' ? 'en' : 'zh-CN');
    route();
  };
  window.addEventListener('hashchange', route);
  if (config.clock === 'demo') {
    await pollClock();
    setInterval(pollClock, 1500);
  }
  route();
}

start();
