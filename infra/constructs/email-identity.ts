import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface EmailIdentityProps {
  /** Domain the borrower emails are sent from; its DNS records must be added for verification. */
  senderDomain: string;
  /** Defaults to no-reply@<senderDomain>. */
  senderAddress?: string;
}

/** The SES v2 sending identity for borrower email. */
export class SenderIdentity extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly senderAddress: string;

  constructor(scope: Construct, id: string, props: EmailIdentityProps) {
    super(scope, id);
    this.identity = new ses.EmailIdentity(this, 'Identity', { identity: ses.Identity.domain(props.senderDomain) });
    this.senderAddress = props.senderAddress ?? `no-reply@${props.senderDomain}`;
  }

  /**
   * Grants ses:SendEmail on the identity from the sender address only (ses:FromAddress), and sets env
   * SENDER_EMAIL. Not ses:SendRawEmail (CDK's grantSendEmail adds it): the sender builds no raw MIME.
   */
  bindSender(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: [this.identity.emailIdentityArn], conditions: fromAddress(this.senderAddress) }),
    );
    fn.addEnvironment('SENDER_EMAIL', this.senderAddress);
  }
}

/** The condition that holds an ses:SendEmail grant to one From address. */
export function fromAddress(address: string): Record<string, Record<string, string>> {
  return { StringEquals: { 'ses:FromAddress': address } };
}
