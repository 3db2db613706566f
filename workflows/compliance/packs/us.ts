import { pack } from '../contact-pack.js';
import { callFrequency } from '../rules/call-frequency.js';
import { contactWindow } from '../rules/contact-window.js';
import { noContactAfterReferral } from '../rules/no-contact-after-referral.js';
import { optOut } from '../rules/opt-out.js';
import { smsDailyCap } from '../rules/sms-daily-cap.js';

/** United States (FDCPA and Regulation F): 8 a.m. to 9 p.m. local, 7 calls in 7 days, 7 quiet days after a conversation. */
export const usPack = pack('us', '2026-11-01', [
  { rule: noContactAfterReferral, config: {} },
  { rule: optOut, config: {} },
  { rule: contactWindow, config: { from: '08:00', to: '21:00' } },
  { rule: callFrequency, config: { maxCalls: 7, perDays: 7, quietDaysAfterConversation: 7 } },
  { rule: smsDailyCap, config: { perPurposePerDay: 1 } },
]);
