import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EncryptionKey } from './encryption-key.js';
import type { WorkflowAction } from './follow-up-workflow.js';
import type { TableAction, TableCondition } from './loan-table.js';
import { RECEIPT_WRITER } from './table-conditions.js';
import { LAMBDA_ESBUILD } from './lambda-bundling.js';
import { ProtectedLogGroup } from './protected-log-group.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Handler files in functions/lambda/, by the property that exposes their function: the state machine's three
 * and the receipt recorder (its event sources). People reach the service through the operations API's own
 * functions (api-*.ts), which take the actor from the verified token; no function takes it from a payload.
 */
export const HANDLER_FILES = {
  advanceLoan: 'advance-loan',
  awaitEvent: 'await-event',
  flagForOperations: 'flag-for-operations',
  recordDeliveryReceipt: 'record-delivery-receipt',
} as const;

export type HandlerName = keyof typeof HANDLER_FILES;

/**
 * The table actions of each workflow function's code path, as IAM authorizes them (a transaction per item:
 * PutItem, UpdateItem, DeleteItem, ConditionCheckItem). test/local/dynamodb-observed-access.test.ts runs the
 * functions on DynamoDB Local and fails unless each grant is exactly what the function was seen to send.
 */
export const TABLE_ACCESS: Record<HandlerName, TableAction[]> = {
  advanceLoan: ['Query', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'ConditionCheckItem'],
  awaitEvent: ['Query', 'UpdateItem'],
  flagForOperations: ['GetItem', 'UpdateItem', 'PutItem'],
  recordDeliveryReceipt: ['PutItem', 'UpdateItem'],
};

/** Conditions on a handler's table actions (infra/constructs/table-conditions.ts). */
export const TABLE_CONDITIONS: Partial<Record<HandlerName, Partial<Record<TableAction, TableCondition>>>> = {
  recordDeliveryReceipt: RECEIPT_WRITER,
};

/** Step Functions calls each workflow function makes (observed likewise, through SfnWorkflowControl). */
export const WORKFLOW_ACCESS: Partial<Record<HandlerName, WorkflowAction[]>> = {
  awaitEvent: ['states:SendTaskSuccess'],
};

export interface FollowUpFunctionsProps {
  /** Encrypts each function's log group. */
  encryptionKey: EncryptionKey;
  /** Receives asynchronous invocations that still fail after Lambda's two retries. */
  deadLetterQueue: sqs.IQueue;
}

/** Every Lambda of the service, with the defaults baked in once. */
export class FollowUpFunctions extends Construct {
  readonly advanceLoan: NodejsFunction;
  readonly awaitEvent: NodejsFunction;
  readonly flagForOperations: NodejsFunction;
  readonly recordDeliveryReceipt: NodejsFunction;

  private readonly props: FollowUpFunctionsProps;

  constructor(scope: Construct, id: string, props: FollowUpFunctionsProps) {
    super(scope, id);
    this.props = props;
    this.advanceLoan = this.createFunction('AdvanceLoan', HANDLER_FILES.advanceLoan);
    this.awaitEvent = this.createFunction('AwaitEvent', HANDLER_FILES.awaitEvent);
    this.flagForOperations = this.createFunction('FlagForOperations', HANDLER_FILES.flagForOperations);
    this.recordDeliveryReceipt = this.createFunction('RecordDeliveryReceipt', HANDLER_FILES.recordDeliveryReceipt);
  }

  all(): NodejsFunction[] {
    return [this.advanceLoan, this.awaitEvent, this.flagForOperations, this.recordDeliveryReceipt];
  }

  /** A Lambda with the service's defaults for functions/lambda/<file>.ts (the operations API builds its routes' with it). */
  createFunction(id: string, file: string, size: { memorySize?: number; timeout?: Duration } = {}): NodejsFunction {
    const logGroup = new ProtectedLogGroup(this, `${id}Logs`, { encryptionKey: this.props.encryptionKey.key });
    // An explicit role writing only to its own log group, instead of the AWSLambdaBasicExecutionRole
    // managed policy (logs:* on every group).
    const role = new iam.Role(this, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support only Resource "*".',
    });
    const fn = new NodejsFunction(this, id, {
      entry: join(REPO_ROOT, 'functions', 'lambda', `${file}.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: size.memorySize ?? 256,
      timeout: size.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      deadLetterQueue: this.props.deadLetterQueue,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'loan-followup',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: LAMBDA_ESBUILD.minify,
        keepNames: LAMBDA_ESBUILD.keepNames,
        sourceMap: LAMBDA_ESBUILD.sourcemap,
        target: LAMBDA_ESBUILD.target,
        format: OutputFormat.CJS,
        mainFields: [...LAMBDA_ESBUILD.mainFields],
        externalModules: [...LAMBDA_ESBUILD.external],
      },
    });
    // The dead-letter queue is encrypted: Lambda sends to it with this role, through SQS.
    this.props.encryptionKey.grantVia(role, 'sqs', ['kms:GenerateDataKey', 'kms:Decrypt']);
    const pinnedRuntime =
      'Pinned to Node.js 22 (supported until 2027), the version the handlers are built and tested for; moving to 24 is a deliberate upgrade.';
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: pinnedRuntime });
    Validations.of(fn).acknowledge({ id: 'Serverless-LambdaLatestVersion', reason: pinnedRuntime });
    return fn;
  }
}
