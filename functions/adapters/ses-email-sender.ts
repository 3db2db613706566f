import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender } from '../ports.js';
import { asTransient } from './transient-errors.js';

/** Borrower email through SES v2: SNS email only reaches confirmed topic subscribers. */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
  ) {}

  async sendEmail(input: Parameters<EmailSender['sendEmail']>[0]): Promise<string> {
    try {
      const result = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [input.to] },
          Content: { Simple: { Subject: { Data: input.subject, Charset: 'UTF-8' }, Body: { Text: { Data: input.body, Charset: 'UTF-8' } } } },
        }),
      );
      return result.MessageId ?? 'unknown';
    } catch (error) {
      throw asTransient(error);
    }
  }
}
