import type { ContactAttempt, ContactStanding } from '../../workflows/compliance/contact-gate-types.js';

export const attempt = (overrides: Partial<ContactAttempt> = {}): ContactAttempt => ({
  loanId: 'L-1',
  channel: 'SMS',
  purpose: 'REMINDER',
  at: '2026-03-02T02:00:00.000Z', // 10:00 in Shanghai
  timezone: 'Asia/Shanghai',
  ...overrides,
});

export const standing = (overrides: Partial<ContactStanding> = {}): ContactStanding => ({
  status: 'ACTIVE',
  optedOut: [],
  doNotContact: false,
  recent: [],
  ...overrides,
});
