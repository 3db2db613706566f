import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The KMS actions this project grants, always spelled out. CDK's grant helpers (`grantPublish`,
 * `grantSendMessages`, `grantWriteData`, ...) add `kms:GenerateDataKey*` and `kms:ReEncrypt*`, so key use is
 * granted here instead.
 */
export type KmsAction = 'kms:Decrypt' | 'kms:Encrypt' | 'kms:GenerateDataKey' | 'kms:DescribeKey';

/** Services that call KMS on a caller's behalf, as named in `kms:ViaService` (`<service>.<region>.amazonaws.com`). */
export type KeyUsingService = 'dynamodb' | 'sns' | 'sqs';

export interface EncryptionKeyProps {
  /** @default alias/<stack name> */
  aliasName?: string;
}

/**
 * The one customer-managed key of the service: table, topics, dead-letter queue, state machine and every log
 * group. Rotated yearly and retained: deleting it would make all of that data unreadable.
 *
 * The key policy keeps CDK's default statement (the account may use IAM policies to grant the key) and adds
 * one statement per AWS service that encrypts with the key itself; the constructs that need a service add
 * theirs with `allowService`.
 */
export class EncryptionKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: `${stack.stackName}: loan table, team topics, dead-letter queue, state machine and log groups`,
      enableKeyRotation: true,
      alias: props.aliasName ?? `alias/${stack.stackName}`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // CloudWatch Logs encrypts the log groups itself, and only for log groups of this account and region.
    this.allowService(
      'CloudWatchLogsLogGroups',
      `logs.${stack.region}.amazonaws.com`,
      ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey'],
      {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    );
  }

  /** Key policy: lets an AWS service principal use the key (for the service's own encryption or delivery). */
  allowService(sid: string, servicePrincipal: string, actions: string[], conditions?: Record<string, unknown>): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({ sid, principals: [new iam.ServicePrincipal(servicePrincipal)], actions, resources: ['*'], conditions }),
    );
  }

  /** Identity policy: lets the principal use the key only through `service` acting on its behalf. */
  grantVia(grantee: iam.IGrantable, service: KeyUsingService, actions: KmsAction[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions,
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }

  /** Identity policy: lets the principal use the key for data bound to one encryption context (e.g. one state machine). */
  grantForContext(grantee: iam.IGrantable, actions: KmsAction[], context: Record<string, string>): void {
    const conditions = Object.fromEntries(Object.entries(context).map(([k, v]) => [`kms:EncryptionContext:${k}`, v]));
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources: [this.key.keyArn], conditions: { StringEquals: conditions } }));
  }
}
