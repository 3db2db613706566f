import { CfnOutput, Duration, Lazy, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import type { EncryptionKey } from './encryption-key.js';
import type { LoanTable } from './loan-table.js';
import { readsOnly } from './table-conditions.js';

/** Anchors are kept this long by default (compliance mode: nobody can shorten it), 7 years with leap days. */
export const DEFAULT_ANCHOR_RETENTION_DAYS = 2557;

/** The anchor job reads the loans' `state` (its audit head) and nothing else: Scan with Select SPECIFIC_ATTRIBUTES. */
export const AUDIT_HEAD_READER = readsOnly(['state']);

/** Objects the anchor job writes and the verifier reads (functions/adapters/s3-anchor-store.ts). */
export const ANCHOR_PREFIX = 'anchors/';

/** Parallel scan segments of the anchor job (env ANCHOR_SCAN_SEGMENTS). */
export const ANCHOR_SCAN_SEGMENTS = 4;

export interface AuditTrailProps {
  /** The functions that commit a loan's audit head: the only ones that may make its MAC (more: bindCommitter). */
  committers: lambda.Function[];
  /** Builds the anchor job's Lambda with the service's defaults. */
  createFunction: (id: string, file: string, size: { memorySize?: number; timeout?: Duration }) => NodejsFunction;
  table: LoanTable;
  /** The table's key: the verifier reads the table through DynamoDB. */
  encryptionKey: EncryptionKey;
  /** Where the anchor bucket's server access logs go. */
  accessLogs: s3.IBucket;
  /** Object Lock retention of each anchor. @default DEFAULT_ANCHOR_RETENTION_DAYS */
  retentionDays?: number;
}

/**
 * The audit trail's keys and anchors (docs/audit-and-bad-input.md):
 * - the audit key, a KMS HMAC key of its own (not the unsubscribe links'): each loan's head carries its MAC over
 *   (loan, seq, hash). Only the committing functions may make one: granted to them alone, and denied to every
 *   other principal in the key policy, so a writer of the table (or an administrator by IAM policy) can rewrite
 *   records and recompute hashes but not the MAC;
 * - a daily anchor (EventBridge Scheduler): every loan's head, signed with an asymmetric KMS key only the anchor
 *   job may sign with, written to a versioned bucket with Object Lock in compliance mode (no one, the root user
 *   included, can delete or overwrite an anchor before its retention ends);
 * - the AuditVerifier role `npm run audit:verify -- --region` runs as: it reads the table, verifies MACs and
 *   signatures, reads the anchors, and can write nothing.
 */
export class AuditTrail extends Construct {
  readonly headKey: kms.Key;
  readonly anchorKey: kms.Key;
  readonly bucket: s3.Bucket;
  readonly anchorFunction: NodejsFunction;
  readonly schedule: scheduler.Schedule;
  /** The role the schedule invokes the anchor job with. */
  readonly scheduleRole: iam.Role;
  readonly verifierRole: iam.Role;
  private readonly committerRoles: iam.IRole[] = [];

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? DEFAULT_ANCHOR_RETENTION_DAYS;

    // HMAC keys cannot rotate automatically; rotating by hand would leave older heads unverifiable.
    this.headKey = new kms.Key(this, 'HeadKey', {
      description: 'loan-followup: MAC of each loan audit head (only the functions that commit heads)',
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The key policy names the committers' roles as bound, also those bound after construction (bindCommitter).
    const committerArns = Lazy.list({ produce: () => this.committerRoles.map((role) => role.roleArn) });
    denyAllBut(this.headKey, 'GenerateMacOnlyByCommitters', 'kms:GenerateMac', committerArns);
    for (const fn of props.committers) this.bindCommitter(fn);

    // Asymmetric: only the anchor job signs; anyone with the public key can check an anchor, inside AWS or not.
    this.anchorKey = new kms.Key(this, 'AnchorKey', {
      description: 'loan-followup: signs the daily anchor of every loan audit head (the anchor job only)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, 'Anchors', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Loan ids and hashes, nothing personal: S3's own key, so reading an anchor needs no key grant.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(Duration.days(retentionDays)),
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'audit-anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const anchorObjects = this.bucket.arnForObjects(`${ANCHOR_PREFIX}*`);

    // A full scan of the table in parallel segments: Lambda's longest run (docs/audit-and-bad-input.md, what it costs).
    this.anchorFunction = props.createFunction('AnchorAuditHeads', 'anchor-audit-heads', { memorySize: 2048, timeout: Duration.minutes(15) });
    props.table.bindTable(this.anchorFunction, ['Scan'], { conditions: { Scan: AUDIT_HEAD_READER } });
    this.anchorFunction.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:Sign'], resources: [this.anchorKey.keyArn] }));
    // PutObject only: no delete, no retention or legal-hold changes (Object Lock's default retention applies).
    this.anchorFunction.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [anchorObjects] }));
    this.anchorFunction.addEnvironment('ANCHOR_KEY_ID', this.anchorKey.keyArn);
    this.anchorFunction.addEnvironment('ANCHOR_BUCKET', this.bucket.bucketName);
    this.anchorFunction.addEnvironment('ANCHOR_SCAN_SEGMENTS', String(ANCHOR_SCAN_SEGMENTS));
    denyAllBut(this.anchorKey, 'SignOnlyByAnchorJob', 'kms:Sign', [this.anchorFunction.role!.roleArn]);
    Validations.of(this.anchorFunction.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${ANCHOR_PREFIX}*]`,
      reason: 'The anchor job puts one new object a day under anchors/, named by its time: the names are not known in advance.',
    });

    // Daily at 02:15 UTC. Scheduler invokes asynchronously: Lambda retries twice, then the dead-letter queue.
    const scheduleRole = (this.scheduleRole = new iam.Role(this, 'ScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } } }),
    }));
    this.schedule = new scheduler.Schedule(this, 'Daily', {
      description: 'Anchors every loan audit head in the Object Lock bucket',
      schedule: scheduler.ScheduleExpression.cron({ minute: '15', hour: '2', timeZone: TimeZone.ETC_UTC }),
      target: new targets.LambdaInvoke(this.anchorFunction, { role: scheduleRole, retryAttempts: 3, maxEventAge: Duration.hours(6) }),
    });
    Validations.of(scheduleRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.anchorFunction.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
      reason: "CDK's Lambda invoke grant also names the function's versions (ARN:*); the schedule invokes this one function only.",
    });

    this.verifierRole = new iam.Role(this, 'VerifierRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'npm run audit:verify -- --region: reads the table and the anchors, verifies MACs and signatures, writes nothing',
    });
    this.verifierRole.addToPolicy(new iam.PolicyStatement({ actions: ['kms:VerifyMac'], resources: [this.headKey.keyArn] }));
    this.verifierRole.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Verify', 'kms:GetPublicKey'], resources: [this.anchorKey.keyArn] }));
    this.verifierRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': `${ANCHOR_PREFIX}*` } },
      }),
    );
    this.verifierRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [anchorObjects] }));
    // getLoan (GetItem), listTimeline (Query), listLoans for --all (Scan).
    this.verifierRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'], resources: [props.table.table.tableArn] }),
    );
    props.encryptionKey.grantVia(this.verifierRole, 'dynamodb', ['kms:Decrypt', 'kms:DescribeKey']);
    Validations.of(this.verifierRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/${ANCHOR_PREFIX}*]`,
      reason: 'The verifier reads the anchors, one object a day under anchors/ named by its time: read-only, and only that prefix.',
    });

    new CfnOutput(this, 'AuditKeyArn', { value: this.headKey.keyArn, description: 'audit:verify --audit-key' });
    new CfnOutput(this, 'AnchorKeyArn', { value: this.anchorKey.keyArn, description: 'audit:verify --anchor-key' });
    new CfnOutput(this, 'AnchorBucketName', { value: this.bucket.bucketName, description: 'audit:verify --anchor-bucket' });
    new CfnOutput(this, 'AuditVerifierRoleArn', { value: this.verifierRole.roleArn, description: 'the role audit:verify runs as in AWS' });
  }

  /**
   * A function that commits a loan's audit head (AdvanceLoan, FlagForOperations, and any job that appends to the
   * chain): GenerateMac to sign the new head, VerifyMac to check the one it extends (so it never signs on top of a
   * forgery), env AUDIT_KEY_ID; and the key policy lets its role make MACs.
   */
  bindCommitter(fn: lambda.Function): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['kms:GenerateMac', 'kms:VerifyMac'], resources: [this.headKey.keyArn] }));
    fn.addEnvironment('AUDIT_KEY_ID', this.headKey.keyArn);
    this.committerRoles.push(fn.role!);
  }
}

/**
 * Key policy: denies `action` to every principal but `roles`, whatever IAM policies say (an administrator's
 * `kms:*` included). Changing this needs kms:PutKeyPolicy, which CloudTrail records.
 */
function denyAllBut(key: kms.Key, sid: string, action: string, roleArns: string[]): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid,
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [action],
      resources: ['*'],
      conditions: { ArnNotEquals: { 'aws:PrincipalArn': roleArns } },
    }),
  );
}
