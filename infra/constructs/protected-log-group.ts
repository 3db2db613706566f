import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * Phone numbers and email addresses, masked at ingestion. CloudWatch Logs has managed phone identifiers for
 * BR/DE/ES/FR/GB/IT/US only (none for China), so two custom identifiers cover the forms this service handles:
 * E.164 (the only form the schemas accept, e.g. +8613812345678) and a bare mainland mobile number. The
 * mobile one needs a non-digit on each side, so 12-digit account ids and longer numbers are left alone.
 * Custom regexes may not use parentheses (CloudWatch Logs' character set for custom identifiers).
 */
export const PERSONAL_DATA_IDENTIFIERS: logs.DataIdentifier[] = [
  logs.DataIdentifier.EMAILADDRESS,
  logs.DataIdentifier.PHONENUMBER_US,
  new logs.CustomDataIdentifier('PhoneE164', '\\+[1-9][0-9]{7,14}'),
  new logs.CustomDataIdentifier('MobileCN', '[^0-9]1[3-9][0-9]{9}[^0-9]'),
];

export interface ProtectedLogGroupProps {
  encryptionKey: kms.IKey;
  /** @default one year */
  retention?: logs.RetentionDays;
}

/** A log group encrypted with the service key, kept for a year, with phone numbers and emails masked. */
export class ProtectedLogGroup extends logs.LogGroup {
  constructor(scope: Construct, id: string, props: ProtectedLogGroupProps) {
    super(scope, id, {
      encryptionKey: props.encryptionKey,
      retention: props.retention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
      dataProtectionPolicy: new logs.DataProtectionPolicy({
        name: 'mask-phone-numbers-and-emails',
        description: 'Masks phone numbers and email addresses in every log event',
        identifiers: PERSONAL_DATA_IDENTIFIERS,
      }),
    });
  }
}
