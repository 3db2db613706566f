// Stand-in for the SMS/email provider: every outgoing message is kept in full in a JSON-lines file, and
// shown on the console with contact details masked.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OutboxEntry, OutboxSink } from './outbox-senders.js';

export type { OutboxEntry };

export interface OutboxOptions {
  file: string;
  /** Receives one readable line per message; defaults to console.log. */
  print?: (line: string) => void;
}

export class Outbox implements OutboxSink {
  /** Messages appended by this process (the file also holds earlier runs). */
  readonly entries: OutboxEntry[] = [];
  readonly file: string;
  private readonly print: (line: string) => void;
  /** Every message in the file by id, read on the first find (a restart's in-doubt sends), then kept current. */
  private byId: Map<string, OutboxEntry> | undefined;

  constructor(options: OutboxOptions) {
    this.file = options.file;
    this.print = options.print ?? ((line) => console.log(line));
    mkdirSync(dirname(this.file), { recursive: true });
  }

  append(entry: OutboxEntry): void {
    // Synchronous so the file order is the send order and nothing is lost if the process dies.
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    this.entries.push(entry);
    this.byId?.set(entry.messageId, entry);
    this.print(formatOutboxLine(entry));
  }

  find(messageId: string): OutboxEntry | undefined {
    this.byId ??= new Map(this.readAll().map((entry) => [entry.messageId, entry]));
    return this.byId.get(messageId);
  }

  readAll(): OutboxEntry[] {
    if (!existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as OutboxEntry);
  }
}

/** e.g. `2026-01-05 10:00 SMS   → +86 138****5678  REMINDER  loan L-001  "Your instalment…"` */
export function formatOutboxLine(entry: OutboxEntry): string {
  const when = entry.at.slice(0, 16).replace('T', ' ');
  const text = entry.subject ? `${entry.subject}: ${entry.body}` : entry.body;
  return `${when} ${entry.channel.padEnd(5)} → ${maskRecipient(entry.to)}  ${entry.purpose}  loan ${entry.loanId}  "${preview(text)}"`;
}

export function maskRecipient(to: string): string {
  if (to.includes('@')) return maskEmail(to);
  if (/^\+?[\d\s()-]{7,}$/.test(to)) return maskPhone(to);
  return to;
}

/** `+8613812345678` → `+86 138****5678`; other numbers keep their first 3 and last 4 digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const china = phone.startsWith('+86') && digits.length === 13;
  const [prefix, national] = china ? ['+86 ', digits.slice(2)] : [phone.startsWith('+') ? '+' : '', digits];
  if (national.length <= 7) return prefix + national.slice(0, 2) + '*'.repeat(Math.max(national.length - 2, 0));
  return prefix + national.slice(0, 3) + '*'.repeat(national.length - 7) + national.slice(-4);
}

/** `borrower@example.com` → `b*******@example.com` */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  return local.slice(0, 1) + '*'.repeat(Math.max(local.length - 1, 1)) + email.slice(at);
}

function preview(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
