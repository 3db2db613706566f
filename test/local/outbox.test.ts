import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOutboxLine, maskEmail, maskPhone, Outbox, type OutboxEntry } from '../../infra/local/outbox.js';

const root = mkdtempSync(join(tmpdir(), 'outbox-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sms: OutboxEntry = {
  at: '2026-01-05T10:00:00.000Z',
  channel: 'SMS',
  to: '+8613812345678',
  purpose: 'REMINDER',
  loanId: 'L-001',
  body: 'Your instalment of 3,131.67 is due on 2026-02-05.',
  messageId: 'sms-00000001',
};
const email: OutboxEntry = { ...sms, channel: 'EMAIL', to: 'borrower@example.com', subject: 'Reminder', messageId: 'email-00000001' };

describe('Outbox', () => {
  it('creates the folder and appends one full JSON object per line', () => {
    const file = join(root, 'nested', 'dir', 'outbox.jsonl');
    const outbox = new Outbox({ file, print: () => undefined });
    outbox.append(sms);
    outbox.append(email);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([sms, email]);
    expect(outbox.readAll()).toEqual([sms, email]);
    expect(outbox.entries).toEqual([sms, email]);
  });

  it('keeps earlier runs in the file but only this run in memory', () => {
    const file = join(root, 'runs.jsonl');
    new Outbox({ file, print: () => undefined }).append(sms);
    const second = new Outbox({ file, print: () => undefined });
    second.append(email);
    expect(second.readAll()).toEqual([sms, email]);
    expect(second.entries).toEqual([email]);
  });

  it('reads an absent file as empty', () => {
    expect(new Outbox({ file: join(root, 'none', 'outbox.jsonl') }).readAll()).toEqual([]);
  });

  it('prints one readable line per message with the contact masked', () => {
    const printed: string[] = [];
    const outbox = new Outbox({ file: join(root, 'print.jsonl'), print: (line) => printed.push(line) });
    outbox.append(sms);
    outbox.append(email);
    outbox.append({ ...sms, channel: 'TEAM', to: 'topic:supervisors', purpose: 'FIRST_CONTACT', body: 'Call\nthe borrower' });
    expect(printed[0]).toBe('2026-01-05 10:00 SMS   → +86 138****5678  REMINDER  loan L-001  "Your instalment of 3,131.67 is due on 2026-02-05."');
    expect(printed[1]).toContain('EMAIL → b*******@example.com  REMINDER  loan L-001  "Reminder: Your instalment');
    expect(printed[2]).toContain('TEAM  → topic:supervisors  FIRST_CONTACT  loan L-001  "Call the borrower"');
    expect(printed.join('\n')).not.toMatch(/13812345678|borrower@/);
  });

  it('shortens long bodies on the console only', () => {
    const long = { ...sms, body: 'x'.repeat(500) };
    expect(formatOutboxLine(long).length).toBeLessThan(200);
  });
});

describe('masking', () => {
  it('masks the middle of phone numbers', () => {
    expect(maskPhone('+8613812345678')).toBe('+86 138****5678');
    expect(maskPhone('+14155550123')).toBe('+141****0123');
  });

  it('masks the local part of email addresses', () => {
    expect(maskEmail('borrower@example.com')).toBe('b*******@example.com');
    expect(maskEmail('a@example.com')).toBe('a*@example.com');
  });
});
