import { describe, expect, it } from 'vitest';
import { LOCALES, TEMPLATE_KEYS } from '../../workflows/domain/types.js';
import { formatDueDate, formatMoney, renderMessage, TemplateParameterError } from '../../workflows/templates/render.js';

const params = {
  loanRef: 'L-100',
  amount: '¥3,131.58',
  dueDate: '2026-12-31',
  lastDueDate: '2027-12-31',
  dpd: 7,
  supportPhone: '400-820-8820',
  supportEmail: 'care@example.com',
  unsubscribeUrl: 'https://loans.example.com/api/unsubscribe?loan=L-100&sig=abc',
};

describe('formatMoney', () => {
  it('formats minor units with thousands separators and two decimals per locale', () => {
    expect(formatMoney(1_234_567, 'zh-CN')).toBe('¥12,345.67');
    expect(formatMoney(1_234_567, 'en')).toBe('CNY 12,345.67');
    expect(formatMoney(5, 'en')).toBe('CNY 0.05');
    expect(formatMoney(100_000_000, 'zh-CN')).toBe('¥1,000,000.00');
    expect(formatMoney(99_999, 'zh-CN')).toBe('¥999.99');
    expect(formatMoney(-1_050, 'en')).toBe('-CNY 10.50');
  });

  it('refuses fractions of a minor unit', () => {
    expect(() => formatMoney(10.5, 'en')).toThrow(RangeError);
  });
});

describe('formatDueDate', () => {
  it('writes the month and day as borrowers read them', () => {
    expect(formatDueDate('2026-12-31', 'zh-CN')).toBe('12月31日');
    expect(formatDueDate('2026-02-05', 'zh-CN')).toBe('2月5日');
    expect(formatDueDate('2026-12-31', 'en')).toBe('31 Dec');
    expect(formatDueDate('2026-09-05', 'en')).toBe('5 Sep');
  });
});

describe('renderMessage', () => {
  it('fills an SMS, formatting the due date for the locale', () => {
    const zh = renderMessage('reminder_before_due', 'zh-CN', 'SMS', params);
    expect(zh).toEqual({ body: '您的贷款L-100本期应还¥3,131.58，12月31日到期，请按时还款。回T退订' });
    const en = renderMessage('reminder_before_due', 'en', 'SMS', { ...params, amount: 'CNY 3,131.58' });
    expect(en.body).toBe('Loan L-100: your instalment of CNY 3,131.58 is due on 31 Dec. Please pay on time. Reply STOP to opt out');
  });

  it('gives an email a subject and a body that mention the support phone and email', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const email = renderMessage('overdue_notice', locale, 'EMAIL', params);
      expect(email.subject).toContain('L-100');
      expect(email.subject).toContain('7');
      expect(email.body).toContain('400-820-8820');
      expect(email.body).toContain('care@example.com');
      expect(email.body).toContain('¥3,131.58');
    }
  });

  it('ends every email of every locale with an opt-out line and its one-click unsubscribe link', () => {
    for (const locale of LOCALES) {
      for (const key of TEMPLATE_KEYS) {
        const { body } = renderMessage(key, locale, 'EMAIL', params);
        expect(body.trimEnd().endsWith(params.unsubscribeUrl), `${key} ${locale}`).toBe(true);
        expect(body).toMatch(locale === 'en' ? /unsubscribe/ : /退订/);
      }
    }
  });

  it('refuses to render an email without its unsubscribe link', () => {
    const { unsubscribeUrl: _none, ...withoutLink } = params;
    expect(() => renderMessage('overdue_notice', 'en', 'EMAIL', withoutLink)).toThrow(TemplateParameterError);
  });

  it('welcomes with the amount, the first due date and how to reach us', () => {
    const { body } = renderMessage('welcome', 'en', 'SMS', { ...params, amount: 'CNY 3,131.58', dueDate: '2026-02-05' });
    expect(body).toContain('CNY 3,131.58');
    expect(body).toContain('5 Feb');
    expect(body).toContain('400-820-8820');
  });

  it('thanks the borrower on closing without needing an amount or date', () => {
    const { body } = renderMessage('closing', 'zh-CN', 'SMS', { loanRef: 'L-100', dpd: 0, dueDate: '' });
    expect(body).toContain('L-100');
    expect(body).toContain('感谢');
  });

  it('renders a dpd of 0 rather than calling it missing', () => {
    expect(renderMessage('overdue_followup', 'en', 'SMS', { ...params, dpd: 0 }).body).toContain('is 0 day(s) overdue');
  });

  it('names the missing placeholder', () => {
    const { amount: _omitted, ...withoutAmount } = params;
    expect(() => renderMessage('overdue_notice', 'en', 'SMS', withoutAmount)).toThrow(TemplateParameterError);
    expect(() => renderMessage('overdue_notice', 'en', 'SMS', withoutAmount)).toThrow('{amount}');
    expect(() => renderMessage('welcome', 'zh-CN', 'EMAIL', { ...params, dueDate: '' })).toThrow('{dueDate}');
    try {
      renderMessage('overdue_followup', 'en', 'SMS', { ...params, supportPhone: undefined as never });
    } catch (error) {
      expect(error).toMatchObject({ name: 'TemplateParameterError', placeholder: 'supportPhone', template: 'overdue_followup', locale: 'en' });
      return;
    }
    throw new Error('rendered without a support phone');
  });
});
