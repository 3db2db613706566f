// SNS and SES as they misbehave: throttling and server errors on the way in, and a Lambda that dies right
// after the provider took a message, before the send is recorded.
import { asTransient } from '../../functions/adapters/transient-errors.js';
import type { EmailSender, SmsSender, TeamNotifier } from '../../functions/ports.js';
import { teamSendKey } from '../../functions/send-once.js';
import type { FaultDice, FaultPlan, StepFaultBudget } from './fault-plan.js';
import type { FaultKind, FaultLedger } from './fault-ledger.js';
import { lambdaCrash, sesError, snsError, type ServiceFault } from './sdk-shaped-errors.js';
import type { SendObserver } from './send-observer.js';

export interface SenderPorts {
  sms: SmsSender;
  email: EmailSender;
  teams: TeamNotifier;
}

export interface SenderFaultContext {
  plan: FaultPlan;
  dice: FaultDice;
  ledger: FaultLedger;
  budget: StepFaultBudget;
  observer: SendObserver;
  /** False once the run collects its results. */
  active: () => boolean;
}

type Channel = 'sms' | 'email' | 'team';

/**
 * The same senders, failing as the plan says. Errors are the SDKs' own exceptions passed through `asTransient`,
 * exactly as SnsSmsSender, SesEmailSender and SnsTeamNotifier pass what the SDK throws once its retries are
 * spent, so the state machine sees the error name production would give it. Every other member of the ports
 * (e.g. the delivery receipts) is passed through untouched.
 */
export function faultySenders<P extends SenderPorts>(ports: P, context: SenderFaultContext): P {
  const attempts = new Map<string, number>();
  const before = (channel: Channel, loanId: string, key: string): void => {
    const claimKey = channel === 'team' ? teamSendKey(key) : key;
    context.observer.providerCalled(loanId, claimKey);
    if (!context.active()) return;
    const identity = `${channel}|${loanId}|${key}`;
    const attempt = (attempts.get(identity) ?? 0) + 1;
    attempts.set(identity, attempt);
    if (!context.budget.allows(loanId) || context.dice.roll('sender', `${identity}|${attempt}`) >= context.plan.senderErrorRate) return;
    const fault: ServiceFault = context.dice.roll('sender-fault', `${identity}|${attempt}`) < 0.5 ? 'throttled' : 'server-error';
    context.budget.spend(loanId);
    context.ledger.inject(`${channel}-${fault}` as FaultKind);
    throw asTransient(channel === 'email' ? sesError(fault) : snsError(fault, attempt));
  };
  /** After the provider took the message: the first attempt of a send may die before anything is recorded. */
  const after = (channel: Channel, loanId: string, key: string): void => {
    if (!context.active()) return;
    const identity = `${channel}|${loanId}|${key}`;
    if (attempts.get(identity) !== 1 || !context.budget.allows(loanId)) return;
    const roll = context.dice.roll('crash-after-send', identity);
    if (roll >= context.plan.crashAfterSendRate) return;
    context.budget.spend(loanId);
    context.ledger.inject('crash-after-send');
    throw lambdaCrash(Math.floor(roll * 1e6));
  };

  /** The provider's call between the two moments a fault can strike. */
  const guarded = async <T extends { loanId: string; key: string }>(channel: Channel, input: T, send: (input: T) => Promise<string>): Promise<string> => {
    before(channel, input.loanId, input.key);
    const messageId = await send(input);
    after(channel, input.loanId, input.key);
    return messageId;
  };
  const sms: SmsSender = { sendSms: (input) => guarded('sms', input, (i) => ports.sms.sendSms(i)) };
  const email: EmailSender = { sendEmail: (input) => guarded('email', input, (i) => ports.email.sendEmail(i)) };
  const teams: TeamNotifier = { notify: (input) => guarded('team', input, (i) => ports.teams.notify(i)) };
  return { ...ports, sms: withRest(ports.sms, sms), email: withRest(ports.email, email), teams: withRest(ports.teams, teams) };
}

/** The faulty methods over whatever else the original sender offers. */
function withRest<T extends object>(original: T, faulty: Partial<T>): T {
  return new Proxy(original, {
    get: (target, property, receiver) => {
      if (property in faulty) return faulty[property as keyof T];
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
