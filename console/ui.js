// Small helpers every page of the console uses: escaping, formatting, the toast, field errors of a problem.
import { ProblemError } from './api.js';
import { getLocale } from './i18n.js';

export const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
export const fmt = (iso) =>
  iso
    ? new Date(iso).toLocaleString(getLocale(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) +
      ' UTC'
    : '';
export const money = (n) => new Intl.NumberFormat(getLocale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
export const badge = (kind, value, label) => `<span class="badge ${kind}-${esc(value)}">${esc(label)}</span>`;

export function toast(text) {
  const box = document.getElementById('toast');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (box.hidden = true), 2500);
}

/** Puts each error of a problem under its field (`promise.date` under `promise`); a toast when none fits. */
export function showFieldErrors(form, error) {
  form.querySelectorAll('[data-error]').forEach((node) => (node.textContent = ''));
  const errors = error instanceof ProblemError ? (error.problem.errors ?? []) : [];
  let shown = false;
  for (const { field, reason } of errors) {
    const node = form.querySelector(`[data-error="${CSS.escape(field)}"]`) ?? form.querySelector(`[data-error="${CSS.escape(field.split('.')[0])}"]`);
    if (node) {
      node.textContent = reason;
      shown = true;
    }
  }
  if (!shown) toast(error.message);
}

/** 128 random bits as 32 hex digits (crypto.randomUUID needs a secure context; getRandomValues does not). */
export function newRequestId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
