import { CheckIfPhoneNumberIsOptedOutCommand, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { SmsSender } from '../ports.js';
import { asTransient } from './transient-errors.js';

/** Borrower SMS: direct publish to the phone number, transactional so it is delivered promptly. */
export class SnsSmsSender implements SmsSender {
  constructor(private readonly sns: SNSClient) {}

  /** SNS keeps the opt-out list of numbers that replied STOP; a publish to one of them would be dropped. */
  async isOptedOut(phone: string): Promise<boolean> {
    try {
      const { isOptedOut } = await this.sns.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: phone }));
      return isOptedOut === true;
    } catch (error) {
      throw asTransient(error);
    }
  }

  async sendSms(input: Parameters<SmsSender['sendSms']>[0]): Promise<string> {
    try {
      const result = await this.sns.send(
        new PublishCommand({
          PhoneNumber: input.phone,
          Message: input.body,
          MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
        }),
      );
      return result.MessageId ?? 'unknown';
    } catch (error) {
      throw asTransient(error);
    }
  }
}
