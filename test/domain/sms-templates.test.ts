import { describe, expect, it } from 'vitest';
import { LOCALES, TEMPLATE_KEYS, type Locale } from '../../workflows/domain/types.js';
import { enTemplates } from '../../workflows/templates/en.js';
import { formatDueDate, formatMoney, renderMessage } from '../../workflows/templates/render.js';
import { smsEncoding, smsSegments } from '../../workflows/templates/sms-segments.js';
import { zhCnTemplates } from '../../workflows/templates/zh-CN.js';

/** The local date whose text is longest in the locale, over every day of a leap year. */
function longestDueDate(locale: Locale): string {
  let longest = '2028-01-01';
  for (let day = new Date(Date.UTC(2028, 0, 1)); day.getUTCFullYear() === 2028; day.setUTCDate(day.getUTCDate() + 1)) {
    const iso = day.toISOString().slice(0, 10);
    if (formatDueDate(iso, locale).length > formatDueDate(longest, locale).length) longest = iso;
  }
  return longest;
}

const longestParams = (locale: Locale) => ({
  loanRef: 'CAR-2026-11-000123456789',
  amount: formatMoney(999_999_999, locale),
  dueDate: longestDueDate(locale),
  lastDueDate: longestDueDate(locale),
  dpd: 999,
  supportPhone: '400-820-8820',
  supportEmail: 'customer.care@example.com',
});

const OPT_OUT: Record<Locale, string> = { 'zh-CN': '回T退订', en: 'Reply STOP to opt out' };

describe('SMS templates with the longest realistic values', () => {
  it('uses a 24-character loan ref and the longest amount', () => {
    expect(longestParams('en').loanRef).toHaveLength(24);
    expect(longestParams('zh-CN').amount).toBe('¥9,999,999.99');
    expect(longestParams('en').amount).toBe('CNY 9,999,999.99');
  });

  for (const locale of LOCALES) {
    for (const key of TEMPLATE_KEYS) {
      it(`${locale} ${key} is one segment and carries the opt-out hint`, () => {
        const { body } = renderMessage(key, locale, 'SMS', longestParams(locale));
        expect(smsSegments(body), body).toBe(1);
        expect(body).toContain(OPT_OUT[locale]);
        expect(body).not.toMatch(/[{}]/);
      });
    }
  }

  it('English SMS stay in GSM-7 (a single non-GSM character would cut the room to 70)', () => {
    for (const key of TEMPLATE_KEYS) {
      expect(smsEncoding(renderMessage(key, 'en', 'SMS', longestParams('en')).body), key).toBe('GSM-7');
    }
  });

  it('every template has an SMS, a subject and a body in both locales', () => {
    for (const set of [zhCnTemplates, enTemplates]) {
      expect(Object.keys(set).sort()).toEqual([...TEMPLATE_KEYS].sort());
      for (const key of TEMPLATE_KEYS) expect(set[key].sms && set[key].emailSubject && set[key].emailBody).toBeTruthy();
    }
  });
});

describe('smsEncoding', () => {
  it('keeps the GSM 03.38 basic set, including its accented letters and symbols, in GSM-7', () => {
    expect(smsEncoding('Hello @ £5 ¥3 _ ÄÖÑÜ§¿ äöñüà èéùìò Ç Ø å ΔΦΓΛΩΠΨΣΘΞ ÆæßÉ ¡!"#¤%&\'()*+,-./:;<=>?\n\r')).toBe('GSM-7');
  });

  it('keeps the extension table in GSM-7', () => {
    expect(smsEncoding('€ [ ] { } \\ ~ ^ | \f')).toBe('GSM-7');
  });

  it('switches to UCS-2 for any Chinese character or other non-GSM character', () => {
    expect(smsEncoding('Pay now 请')).toBe('UCS-2');
    expect(smsEncoding('naïve')).toBe('UCS-2');
    expect(smsEncoding('curly ’ quote')).toBe('UCS-2');
    expect(smsEncoding('`')).toBe('UCS-2');
    expect(smsEncoding('ç')).toBe('UCS-2');
  });
});

describe('smsSegments', () => {
  it('fits 160 GSM-7 septets in one segment and 153 per part beyond that', () => {
    expect(smsSegments('a'.repeat(160))).toBe(1);
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
  });

  it('counts a euro sign (extension table) as 2 septets', () => {
    expect(smsSegments(`${'a'.repeat(158)}€`)).toBe(1);
    expect(smsSegments(`${'a'.repeat(159)}€`)).toBe(2);
  });

  it('never splits an escape pair across parts', () => {
    // 152 septets then € (2): the pair moves to the second part, then 153 + 1 more opens a third.
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(151)}`)).toBe(2);
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toBe(3);
  });

  it('fits 70 UCS-2 code units in one segment and 67 per part', () => {
    expect(smsSegments('贷'.repeat(70))).toBe(1);
    expect(smsSegments('贷'.repeat(71))).toBe(2);
    expect(smsSegments('贷'.repeat(134))).toBe(2);
    expect(smsSegments('贷'.repeat(135))).toBe(3);
  });

  it('counts characters outside the BMP as two UTF-16 code units', () => {
    expect(smsSegments('😀'.repeat(35))).toBe(1);
    expect(smsSegments(`${'😀'.repeat(35)}贷`)).toBe(2);
  });

  it('one Chinese character turns a 100-character English text into two segments', () => {
    expect(smsSegments('a'.repeat(100))).toBe(1);
    expect(smsSegments(`${'a'.repeat(99)}贷`)).toBe(2);
  });
});
