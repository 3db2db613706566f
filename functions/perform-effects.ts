import type { AdvanceDecision, Effect, TimelineEvent } from '../workflows/domain/follow-up-state.js';
import { deferPacedSend } from '../workflows/domain/paced-send.js';
import type { Contact, Loan } from '../workflows/domain/types.js';
import { formatMoney } from '../workflows/templates/render.js';
import { renderMessage } from '../workflows/templates/render.js';
import type { DeliveryReceipts, EmailSender, LoanStore, PolicySource, SmsSender, TeamNotifier } from './ports.js';
import { unsubscribeLinkExpiry, type UnsubscribeLinks } from './unsubscribe/unsubscribe-links.js';
import { PACING_TOLERANCE_MS, type SendPacer } from './pacing/send-pacer.js';
import { sendOnce, teamSendKey, type SendCounts, type SendStore } from './send-once.js';

export interface EffectPorts {
  /** The send markers, the contact to send to, and what a legal referral's case package holds. */
  store: SendStore & Pick<LoanStore, 'getContact' | 'listTasks' | 'listTimeline' | 'putLegalCase'>;
  sms: SmsSender;
  email: EmailSender;
  teams: TeamNotifier;
  receipts: DeliveryReceipts;
  /** The one-click unsubscribe link under every email. */
  unsubscribe: UnsubscribeLinks;
  /** The loan's policy: how long its unsubscribe links work (unsubscribe.linkValidDays). */
  policies: PolicySource;
  /** The paced path: a slot of the channel's origination identity for every SMS and email. */
  pacer: SendPacer;
}

export interface EffectOptions {
  /**
   * The step is a retry of one that got as far as its sends (pinned): it may have sent already, so it does not
   * queue again but sends (or finds sent) what it decided, as sendOnce allows.
   */
  retried: boolean;
}

export type EffectStats = SendCounts;

/**
 * Carries out a step's sends, team notifications and legal referral. Each send goes exactly once by its key
 * (see sendOnce), so a retried or redriven step never sends the same message twice. Records MESSAGE_SENT on
 * the decision's timeline.
 */
export async function performEffects(ports: EffectPorts, loan: Loan, decision: AdvanceDecision, now: string, options: EffectOptions): Promise<EffectStats> {
  const stats: EffectStats = { sent: 0, duplicatesPrevented: 0 };
  let contact: Contact | undefined | null = null;
  const contactOf = async () => (contact === null ? (contact = await ports.store.getContact(loan.loanId)) : contact);
  const record = (event: Omit<TimelineEvent, 'loanId'>) => decision.timeline.push({ ...event, loanId: loan.loanId } as TimelineEvent);

  for (const effect of decision.effects) {
    if (effect.kind === 'SEND_MESSAGE') {
      const to = effect.channel === 'SMS' ? (await contactOf())?.phone : (await contactOf())?.email;
      if (!to) {
        record({
          type: 'CONTACT_SUPPRESSED',
          at: now,
          key: `CONTACT_SUPPRESSED:${effect.key}`,
          channel: effect.channel,
          purpose: effect.purpose,
          reason: 'NO_CONTACT_DETAILS',
        });
        continue;
      }
      if (effect.channel === 'SMS' && (await ports.sms.isOptedOut?.(to))) {
        // The provider's list knew before we did: honour it, and remember it so later SMS are not even tried.
        if (!decision.state.optedOut.includes('SMS')) decision.state.optedOut = [...decision.state.optedOut, 'SMS'];
        record({
          type: 'CONTACT_SUPPRESSED',
          at: now,
          key: `CONTACT_SUPPRESSED:${effect.key}`,
          channel: 'SMS',
          purpose: effect.purpose,
          reason: 'SMS_OPT_OUT_LIST',
        });
        continue;
      }
      if (mustQueue(effect, decision, now, options)) {
        const slot = await ports.pacer.reserve(effect.channel, now);
        if (Date.parse(slot) - Date.parse(now) > PACING_TOLERANCE_MS) {
          deferPacedSend(decision, effect, slot, now, loan.loanId);
          continue;
        }
      }
      const deliver = async () => {
        if (effect.channel === 'SMS') {
          const message = renderMessage(effect.template, loan.locale, 'SMS', templateParams(effect, loan));
          return ports.sms.sendSms({ phone: to, body: message.body, loanId: loan.loanId, purpose: effect.purpose, key: effect.key });
        }
        // Issued at the step's time (pinned on a retry), so a retried send carries the very same link.
        const expiresAt = unsubscribeLinkExpiry(now, ports.policies(loan.product).unsubscribe.linkValidDays);
        const unsubscribeUrl = await ports.unsubscribe.linkFor(loan.loanId, expiresAt);
        const message = renderMessage(effect.template, loan.locale, 'EMAIL', { ...templateParams(effect, loan), unsubscribeUrl });
        return ports.email.sendEmail({
          to,
          subject: message.subject ?? '',
          body: message.body,
          loanId: loan.loanId,
          purpose: effect.purpose,
          key: effect.key,
          unsubscribeUrl,
        });
      };
      const messageId = await sendOnce(
        ports,
        { loanId: loan.loanId, key: effect.key, channel: effect.channel === 'SMS' ? 'SMS' : 'EMAIL', to, deliver },
        now,
        stats,
      );
      record({
        type: 'MESSAGE_SENT',
        at: now,
        key: `MESSAGE_SENT:${effect.key}`,
        channel: effect.channel,
        purpose: effect.purpose,
        template: effect.template,
        compliance: effect.compliance,
        messageId,
      });
    } else if (effect.kind === 'NOTIFY_TEAM') {
      const deliver = () => ports.teams.notify({ team: effect.team, subject: effect.subject, message: effect.message, loanId: loan.loanId, key: effect.key });
      const messageId = await sendOnce(
        ports,
        { loanId: loan.loanId, key: teamSendKey(effect.key), channel: 'TEAM', to: `topic:${effect.team}`, deliver },
        now,
        stats,
      );
      record({
        type: 'TEAM_NOTIFIED',
        at: now,
        key: `TEAM_NOTIFIED:${effect.key}`,
        team: effect.team,
        reason: effect.reason,
        subject: effect.subject,
        messageId,
      });
    } else if (effect.kind === 'LEGAL_REFERRAL') {
      const tasks = await ports.store.listTasks(loan.loanId);
      const timeline = [...(await ports.store.listTimeline(loan.loanId)), ...decision.timeline];
      await ports.store.putLegalCase({
        caseId: effect.caseId,
        loanId: loan.loanId,
        referredAt: now,
        reason: effect.reason,
        loan,
        instalments: decision.instalments,
        tasks,
        timeline,
        warningLevel: decision.state.warningLevel,
        classification: decision.state.classification,
      });
    }
  }
  return stats;
}

/**
 * Whether a message takes a slot of the paced path: not when released at the slot it already holds, not on a
 * retried step (it may have gone out already), and not in the step that closes the loan (nothing would wake it).
 */
function mustQueue(effect: Extract<Effect, { kind: 'SEND_MESSAGE' }>, decision: AdvanceDecision, now: string, options: EffectOptions): boolean {
  if (options.retried || decision.action === 'CLOSE') return false;
  return effect.pacedFor === undefined || effect.pacedFor > now;
}

function templateParams(effect: Extract<Effect, { kind: 'SEND_MESSAGE' }>, loan: Loan): Record<string, string | number> {
  const { amountMinor, ...rest } = effect.params;
  return { ...rest, amount: formatMoney(Number(amountMinor ?? 0), loan.locale) };
}
