import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender } from '../ports.js';
import { sendKeyTag } from './send-key-tag.js';
import { asTransient } from './transient-errors.js';

/**
 * Borrower email through SES v2: SNS email only reaches confirmed topic subscribers. Each message is tagged
 * with its loan and send key and goes through the configuration set whose SEND events become receipts.
 */
export class SesEmailSender implements EmailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet: string,
  ) {}

  async sendEmail(input: Parameters<EmailSender['sendEmail']>[0]): Promise<string> {
    const tags = [
      { Name: 'loanId', Value: input.loanId },
      { Name: 'sendKey', Value: sendKeyTag(input.key) },
    ];
    try {
      const result = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [input.to] },
          ConfigurationSetName: this.configurationSet,
          EmailTags: tags,
          Content: {
            Simple: {
              Subject: { Data: input.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: input.body, Charset: 'UTF-8' } },
              // One-click unsubscribe in the mail client (RFC 2369, RFC 8058), beside the link in the body.
              ...(input.unsubscribeUrl
                ? {
                    Headers: [
                      { Name: 'List-Unsubscribe', Value: `<${input.unsubscribeUrl}>` },
                      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
                    ],
                  }
                : {}),
            },
          },
        }),
      );
      return result.MessageId ?? 'unknown';
    } catch (error) {
      throw asTransient(error);
    }
  }
}
