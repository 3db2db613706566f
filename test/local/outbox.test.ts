import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOutboxLine, maskEmail, maskPhone, Outbox, type OutboxEntry } from '../../local/outbox.js';
import { outboxMessageId, outboxSenders } from '../../local/outbox-senders.js';

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

describe('the outbox as the local provider of in-doubt sends', () => {
  const clock = () => new Date('2026-01-05T02:00:00.000Z');
  const lookup = (senders: ReturnType<typeof outboxSenders>, channel: 'SMS' | 'EMAIL' | 'TEAM', key: string) =>
    senders.receipts.lookup({ loanId: 'L-001', key, channel, to: 'x', claimedAt: clock().toISOString(), now: clock().toISOString() });

  it('answers ACCEPTED for a message it took, with the id the sender gave, and NOT_ACCEPTED otherwise (never UNKNOWN)', async () => {
    const senders = outboxSenders({ append: () => undefined }, clock);
    const id = await senders.sms.sendSms({ phone: '+8613812345678', body: 'b', loanId: 'L-001', purpose: 'WELCOME', key: 'WELCOME:SMS' });
    await senders.teams.notify({ team: 'supervisors', subject: 's', message: 'm', loanId: 'L-001', key: 'OVERDUE:L-001.FIRST_CONTACT#0' });
    expect(await lookup(senders, 'SMS', 'WELCOME:SMS')).toEqual({ status: 'ACCEPTED', messageId: id });
    expect(await lookup(senders, 'TEAM', 'TEAM:OVERDUE:L-001.FIRST_CONTACT#0')).toEqual({
      status: 'ACCEPTED',
      messageId: 'team-L-001-OVERDUE:L-001.FIRST_CONTACT#0',
    });
    expect(await lookup(senders, 'EMAIL', 'WELCOME:EMAIL')).toEqual({ status: 'NOT_ACCEPTED' });
  });

  it('a message whose append failed was not taken', async () => {
    const senders = outboxSenders({ append: () => Promise.reject(new Error('disk full')) }, clock);
    await expect(
      senders.email.sendEmail({ to: 'a@example.com', subject: 's', body: 'b', loanId: 'L-001', purpose: 'WELCOME', key: 'WELCOME:EMAIL' }),
    ).rejects.toThrow('disk full');
    expect(await lookup(senders, 'EMAIL', 'WELCOME:EMAIL')).toEqual({ status: 'NOT_ACCEPTED' });
  });

  it('after a restart, finds the messages an earlier process put in the file outbox', async () => {
    const file = join(root, 'restart', 'outbox.jsonl');
    const before = outboxSenders(new Outbox({ file, print: () => undefined }), clock);
    await before.sms.sendSms({ phone: '+8613812345678', body: 'b', loanId: 'L-001', purpose: 'WELCOME', key: 'WELCOME:SMS' });
    const after = outboxSenders(new Outbox({ file, print: () => undefined }), clock);
    expect(await lookup(after, 'SMS', 'WELCOME:SMS')).toEqual({ status: 'ACCEPTED', messageId: outboxMessageId('SMS', 'L-001', 'WELCOME:SMS') });
    expect(await lookup(after, 'EMAIL', 'WELCOME:EMAIL')).toEqual({ status: 'NOT_ACCEPTED' });
    // Messages appended after the file was first read are found too.
    await after.email.sendEmail({ to: 'a@example.com', subject: 's', body: 'b', loanId: 'L-001', purpose: 'WELCOME', key: 'WELCOME:EMAIL' });
    const third = new Outbox({ file, print: () => undefined });
    expect(third.find(outboxMessageId('EMAIL', 'L-001', 'WELCOME:EMAIL'))).toMatchObject({ channel: 'EMAIL', purpose: 'WELCOME' });
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
