import type { Channel, Locale, Minor, TemplateKey } from '../domain/types.js';
import { enTemplates } from './en.js';
import type { TemplateSet } from './message-template.js';
import { zhCnTemplates } from './zh-CN.js';

const TEMPLATES: Record<Locale, TemplateSet> = { 'zh-CN': zhCnTemplates, en: enTemplates };

/** Under every email: how to stop them, with the one-click link (the opt-out line SMS carry in their text). */
const EMAIL_FOOTERS: Record<Locale, string> = {
  'zh-CN': '\n\n——\n如不想再收到此类邮件，请点击退订：{unsubscribeUrl}',
  en: '\n\n--\nTo stop receiving these emails, unsubscribe here: {unsubscribeUrl}',
};

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class TemplateParameterError extends Error {
  override readonly name = 'TemplateParameterError';

  constructor(
    readonly template: TemplateKey,
    readonly locale: Locale,
    readonly placeholder: string,
  ) {
    super(`template ${template} (${locale}) needs {${placeholder}} but it was not given`);
  }
}

/** Integer minor units as money: ¥12,345.67 (zh-CN) or CNY 12,345.67 (en). */
export function formatMoney(minor: Minor, locale: Locale): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`amount must be an integer of minor units: ${minor}`);
  const abs = Math.abs(minor);
  const units = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${units}.${String(abs % 100).padStart(2, '0')}`;
  const sign = minor < 0 ? '-' : '';
  return locale === 'zh-CN' ? `${sign}¥${text}` : `${sign}CNY ${text}`;
}

/** A local YYYY-MM-DD date as borrowers read it: 12月31日 (zh-CN) or 31 Dec (en). */
export function formatDueDate(localDate: string, locale: Locale): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(localDate);
  if (!match) throw new RangeError(`not a YYYY-MM-DD date: ${localDate}`);
  const month = Number(match[1]);
  const day = Number(match[2]);
  return locale === 'zh-CN' ? `${month}月${day}日` : `${day} ${EN_MONTHS[month - 1]}`;
}

export function formatDateWithYear(localDate: string, locale: Locale): string {
  const year = localDate.slice(0, 4);
  return locale === 'zh-CN' ? `${year}年${formatDueDate(localDate, locale)}` : `${formatDueDate(localDate, locale)} ${year}`;
}

function fill(text: string, key: TemplateKey, locale: Locale, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') throw new TemplateParameterError(key, locale, name);
    if (name === 'dueDate') return formatDueDate(String(value), locale);
    // The end of a schedule is often in another year: it carries its year.
    if (name === 'lastDueDate') return formatDateWithYear(String(value), locale);
    return String(value);
  });
}

/**
 * The text of one message. `amount` must already be formatted (formatMoney); `dueDate` is a local
 * YYYY-MM-DD date and is formatted here for the locale.
 */
export function renderMessage(key: TemplateKey, locale: Locale, channel: Channel, params: Record<string, string | number>): { subject?: string; body: string } {
  const template = TEMPLATES[locale][key];
  if (channel === 'SMS') return { body: fill(template.sms, key, locale, params) };
  return { subject: fill(template.emailSubject, key, locale, params), body: fill(template.emailBody + EMAIL_FOOTERS[locale], key, locale, params) };
}
