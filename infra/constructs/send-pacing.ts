import type * as lambda from 'aws-cdk-lib/aws-lambda';

export interface SendPacingProps {
  /** Message parts a second the SMS origination identity may send (a long code 10, a US toll-free number 3). @default 10 */
  smsPerSecond?: number;
  /** The SMS origination identity the rate belongs to (its counters are its own). @default 'default' */
  smsIdentity?: string;
  /** Emails a second of the account's SES sending rate. @default 14 */
  emailPerSecond?: number;
}

/**
 * The paced path's rates for a sending function (functions/pacing/pacing-rates.ts reads them): every SMS and
 * email takes a slot of its identity, so a burst waits its turn instead of meeting SNS's and SES's throttles.
 * The counters are items of the loan table (PACE#...), written with the UpdateItem the function already has.
 */
export function bindSendPacing(fn: lambda.Function, emailIdentity: string, props: SendPacingProps = {}): void {
  for (const [name, value] of [
    ['smsPerSecond', props.smsPerSecond],
    ['emailPerSecond', props.emailPerSecond],
  ] as const) {
    if (value !== undefined && !(value > 0)) throw new Error(`pacing.${name}: must be a number above 0, got ${value}`);
  }
  fn.addEnvironment('PACING_SMS_PER_SECOND', String(props.smsPerSecond ?? 10));
  fn.addEnvironment('PACING_SMS_IDENTITY', props.smsIdentity ?? 'default');
  fn.addEnvironment('PACING_EMAIL_PER_SECOND', String(props.emailPerSecond ?? 14));
  fn.addEnvironment('PACING_EMAIL_IDENTITY', emailIdentity);
}
