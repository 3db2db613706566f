import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

export interface UnsubscribeLinksProps {
  /** Where the links point: the console's address, which sends /api/* to the operations API. */
  publicUrl: () => string;
}

/**
 * The KMS HMAC key behind the unsubscribe link under every email (functions/unsubscribe/): AdvanceLoan signs
 * each loan's link, the public unsubscribe routes verify it. The key never leaves KMS.
 */
export class UnsubscribeLinks extends Construct {
  readonly key: kms.Key;
  private readonly publicUrl: () => string;

  constructor(scope: Construct, id: string, props: UnsubscribeLinksProps) {
    super(scope, id);
    this.publicUrl = props.publicUrl;
    // HMAC keys cannot rotate automatically; rotating by hand would break the links in emails already sent.
    this.key = new kms.Key(this, 'MacKey', {
      description: 'loan-followup: signs the unsubscribe link in borrower emails',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** kms:GenerateMac, and env UNSUBSCRIBE_KEY_ID and UNSUBSCRIBE_BASE_URL. */
  bindSigner(fn: lambda.Function): void {
    this.key.grant(fn, 'kms:GenerateMac');
    this.setEnvironment(fn);
  }

  /** kms:VerifyMac, and the same environment. */
  bindVerifier(fn: lambda.Function): void {
    this.key.grant(fn, 'kms:VerifyMac');
    this.setEnvironment(fn);
  }

  private setEnvironment(fn: lambda.Function): void {
    fn.addEnvironment('UNSUBSCRIBE_KEY_ID', this.key.keyArn);
    fn.addEnvironment('UNSUBSCRIBE_BASE_URL', this.publicUrl());
  }
}
