import { SNSClient } from '@aws-sdk/client-sns';
import { env } from './aws-ports.js';
import { SnsTeamNotifier } from './sns-team-notifier.js';

// The teams' topics alone (SNS without SES), for the handlers that only notify people (see aws-ports.ts).

export function awsTeams() {
  return { teams: new SnsTeamNotifier(new SNSClient({}), { supervisors: env('SUPERVISORS_TOPIC_ARN'), legal: env('LEGAL_TOPIC_ARN') }) };
}
