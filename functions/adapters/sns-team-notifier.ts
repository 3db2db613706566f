import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { TeamNotifier } from '../ports.js';
import { teamSendKey } from '../send-once.js';
import { asTransient } from './transient-errors.js';

/** Supervisors and the legal team: topics with their email and SMS subscriptions. */
export class SnsTeamNotifier implements TeamNotifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly topics: { supervisors: string; legal: string },
  ) {}

  async notify(input: Parameters<TeamNotifier['notify']>[0]): Promise<string> {
    try {
      const result = await this.sns.send(
        // SNS subjects are limited to 100 printable ASCII characters.
        new PublishCommand({
          TopicArn: this.topics[input.team],
          Subject: input.subject.replace(/[^\x20-\x7e]/g, '').slice(0, 100),
          Message: input.message,
          // Read by the topic's receipt subscriber (record-delivery-receipt), not by people.
          MessageAttributes: {
            loanId: { DataType: 'String', StringValue: input.loanId },
            sendKey: { DataType: 'String', StringValue: teamSendKey(input.key) },
          },
        }),
      );
      return result.MessageId ?? 'unknown';
    } catch (error) {
      throw asTransient(error);
    }
  }
}
