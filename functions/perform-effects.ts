import type { AdvanceDecision, Effect, TimelineEvent } from '../workflows/domain/follow-up-state.js';
import type { Contact, Loan } from '../workflows/domain/types.js';
import { formatMoney } from '../workflows/templates/render.js';
import { renderMessage } from '../workflows/templates/render.js';
import type { EmailSender, LoanStore, SmsSender, TeamNotifier } from './ports.js';

export interface EffectPorts {
  store: LoanStore;
  sms: SmsSender;
  email: EmailSender;
  teams: TeamNotifier;
}

export interface EffectStats {
  sent: number;
  duplicatesPrevented: number;
}

/**
 * Carries out a step's sends, team notifications and legal referral. Each send is claimed by its key first,
 * so a retried step never sends the same message twice. Records MESSAGE_SENT on the decision's timeline.
 */
export async function performEffects(ports: EffectPorts, loan: Loan, decision: AdvanceDecision, now: string): Promise<EffectStats> {
  const stats: EffectStats = { sent: 0, duplicatesPrevented: 0 };
  let contact: Contact | undefined | null = null;
  const contactOf = async () => (contact === null ? (contact = await ports.store.getContact(loan.loanId)) : contact);
  const record = (event: Omit<TimelineEvent, 'loanId'>) => decision.timeline.push({ ...event, loanId: loan.loanId } as TimelineEvent);

  for (const effect of decision.effects) {
    if (effect.kind === 'SEND_MESSAGE') {
      const to = effect.channel === 'SMS' ? (await contactOf())?.phone : (await contactOf())?.email;
      if (!to) {
        record({ type: 'CONTACT_SUPPRESSED', at: now, key: `CONTACT_SUPPRESSED:${effect.key}`, channel: effect.channel, purpose: effect.purpose, reason: 'NO_CONTACT_DETAILS' });
        continue;
      }
      const messageId = await once(ports.store, loan.loanId, effect.key, now, stats, async () => {
        const message = renderMessage(effect.template, loan.locale, effect.channel, templateParams(effect, loan));
        return effect.channel === 'SMS'
          ? ports.sms.sendSms({ phone: to, body: message.body, loanId: loan.loanId, purpose: effect.purpose, key: effect.key })
          : ports.email.sendEmail({ to, subject: message.subject ?? '', body: message.body, loanId: loan.loanId, purpose: effect.purpose, key: effect.key });
      });
      record({ type: 'MESSAGE_SENT', at: now, key: `MESSAGE_SENT:${effect.key}`, channel: effect.channel, purpose: effect.purpose, template: effect.template, compliance: effect.compliance, messageId });
    } else if (effect.kind === 'NOTIFY_TEAM') {
      const messageId = await once(ports.store, loan.loanId, `TEAM:${effect.key}`, now, stats, () =>
        ports.teams.notify({ team: effect.team, subject: effect.subject, message: effect.message, loanId: loan.loanId, key: effect.key }),
      );
      record({ type: 'TEAM_NOTIFIED', at: now, key: `TEAM_NOTIFIED:${effect.key}`, team: effect.team, subject: effect.subject, messageId });
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

async function once(store: LoanStore, loanId: string, key: string, now: string, stats: EffectStats, send: () => Promise<string>): Promise<string> {
  const existing = await store.claimSend(loanId, key, now);
  if (existing?.status === 'SENT') {
    stats.duplicatesPrevented += 1;
    return existing.messageId ?? 'unknown';
  }
  const messageId = await send();
  await store.markSent(loanId, key, messageId);
  stats.sent += 1;
  return messageId;
}

function templateParams(effect: Extract<Effect, { kind: 'SEND_MESSAGE' }>, loan: Loan): Record<string, string | number> {
  const { amountMinor, ...rest } = effect.params;
  return { ...rest, amount: formatMoney(Number(amountMinor ?? 0), loan.locale) };
}
