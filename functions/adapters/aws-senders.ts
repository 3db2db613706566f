import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { env } from './aws-ports.js';
import { SesEmailSender } from './ses-email-sender.js';
import { SnsSmsSender } from './sns-sms-sender.js';
import { SnsTeamNotifier } from './sns-team-notifier.js';

// The SNS and SES clients on their own, so only the handlers that send load them (see aws-ports.ts).

export function awsSenders() {
  const sns = new SNSClient({});
  return {
    sms: new SnsSmsSender(sns),
    email: new SesEmailSender(new SESv2Client({}), env('SENDER_EMAIL'), env('SES_CONFIGURATION_SET')),
    teams: new SnsTeamNotifier(sns, { supervisors: env('SUPERVISORS_TOPIC_ARN'), legal: env('LEGAL_TOPIC_ARN') }),
  };
}
