// The production adapters of SNS, SES and KMS run beside their local stand-ins, on SDK clients that answer
// every command with a canned success and send nothing: the local stand-in's answer is the one the handler
// gets, and what the production adapter would have sent is there to observe, command by command (the
// least-privilege test). Used only when a run observes calls.
import { KMSClient } from '@aws-sdk/client-kms';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { KmsMacSigner } from '../../functions/adapters/kms-mac-signer.js';
import { SesEmailSender } from '../../functions/adapters/ses-email-sender.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import { SnsTeamNotifier } from '../../functions/adapters/sns-team-notifier.js';
import type { EmailSender, SmsSender, TeamNotifier } from '../../functions/ports.js';
import type { MacSigner } from '../../functions/unsubscribe/unsubscribe-links.js';

const CANNED: Record<string, object> = {
  PublishCommand: { MessageId: 'shadow' },
  CheckIfPhoneNumberIsOptedOutCommand: { isOptedOut: false },
  SendEmailCommand: { MessageId: 'shadow' },
  GenerateMacCommand: { Mac: new Uint8Array(32) },
  VerifyMacCommand: { MacValid: true },
};

function answeringClient<C extends { middlewareStack: { add: (...args: any[]) => void } }>(client: C): C {
  client.middlewareStack.add(
    (_next: unknown, context: { commandName?: string }) => async () => {
      const output = CANNED[String(context.commandName)];
      if (!output) throw new Error(`${context.commandName} has no canned answer`);
      return { output: { ...output, $metadata: {} }, response: {} };
    },
    { step: 'initialize', name: 'cannedAnswer', priority: 'low' },
  );
  return client;
}

const LOCAL = { region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

export interface ShadowClients {
  sns: SNSClient;
  ses: SESv2Client;
  kms: KMSClient;
}

export function shadowClients(): ShadowClients {
  return { sns: answeringClient(new SNSClient(LOCAL)), ses: answeringClient(new SESv2Client(LOCAL)), kms: answeringClient(new KMSClient(LOCAL)) };
}

/** Each method calls the production adapter first (observed, its answer dropped), then answers with the local one's. */
function shadowed<T extends object>(local: T, production: T): T {
  return new Proxy(local, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      const shadow = Reflect.get(production, property);
      if (typeof value !== 'function' || typeof shadow !== 'function') return value;
      return async (...args: unknown[]) => {
        await shadow.apply(production, args);
        return value.apply(target, args);
      };
    },
  });
}

export const shadowSenders = (clients: ShadowClients, senders: { sms: SmsSender; email: EmailSender; teams: TeamNotifier }) => ({
  sms: shadowed(senders.sms, new SnsSmsSender(clients.sns)),
  email: shadowed(senders.email, new SesEmailSender(clients.ses, 'sender@example.com', 'shadow')),
  teams: shadowed(senders.teams, new SnsTeamNotifier(clients.sns, { supervisors: 'arn:aws:sns:local:0:supervisors', legal: 'arn:aws:sns:local:0:legal' })),
});

export const shadowMacSigner = (clients: ShadowClients, local: MacSigner, keyId: string): MacSigner => shadowed(local, new KmsMacSigner(clients.kms, keyId));
