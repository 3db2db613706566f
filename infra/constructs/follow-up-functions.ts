import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Handler files in functions/lambda/, by the property that exposes their function. */
export const HANDLER_FILES = {
  advanceLoan: 'advance-loan',
  awaitEvent: 'await-event',
  flagForOperations: 'flag-for-operations',
  onboardLoan: 'onboard-loan',
  recordPayment: 'record-payment',
  recordCallbackOutcome: 'record-callback-outcome',
  reportLoanEvent: 'report-loan-event',
} as const;

export type HandlerName = keyof typeof HANDLER_FILES;

// ESM bundles have no `require`; some dependencies still call it for Node built-ins.
const CREATE_REQUIRE_BANNER = "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

/** Every Lambda of the service, with the defaults baked in once. */
export class FollowUpFunctions extends Construct {
  readonly advanceLoan: NodejsFunction;
  readonly awaitEvent: NodejsFunction;
  readonly flagForOperations: NodejsFunction;
  readonly onboardLoan: NodejsFunction;
  readonly recordPayment: NodejsFunction;
  readonly recordCallbackOutcome: NodejsFunction;
  readonly reportLoanEvent: NodejsFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.advanceLoan = this.createFunction('AdvanceLoan', HANDLER_FILES.advanceLoan);
    this.awaitEvent = this.createFunction('AwaitEvent', HANDLER_FILES.awaitEvent);
    this.flagForOperations = this.createFunction('FlagForOperations', HANDLER_FILES.flagForOperations);
    this.onboardLoan = this.createFunction('OnboardLoan', HANDLER_FILES.onboardLoan);
    this.recordPayment = this.createFunction('RecordPayment', HANDLER_FILES.recordPayment);
    this.recordCallbackOutcome = this.createFunction('RecordCallbackOutcome', HANDLER_FILES.recordCallbackOutcome);
    this.reportLoanEvent = this.createFunction('ReportLoanEvent', HANDLER_FILES.reportLoanEvent);
  }

  all(): NodejsFunction[] {
    return [this.advanceLoan, this.awaitEvent, this.flagForOperations, this.onboardLoan, this.recordPayment, this.recordCallbackOutcome, this.reportLoanEvent];
  }

  private createFunction(id: string, file: string): NodejsFunction {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
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
      memorySize: 256,
      timeout: Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'loan-followup',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: CREATE_REQUIRE_BANNER,
        // The Node.js 22 runtime ships SDK v3: leaving it out keeps every bundle well under 500 KB and cold
        // imports fast. Everything else (zod, luxon, Powertools, libphonenumber) is bundled and pinned.
        externalModules: ['@aws-sdk/*'],
      },
    });
    Validations.of(fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to Node.js 22 (supported until 2027), the version the handlers are built and tested for; moving to 24 is a deliberate upgrade.',
    });
    return fn;
  }
}
