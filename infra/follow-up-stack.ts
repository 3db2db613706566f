import { Aws, Lazy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ConsoleSite } from './constructs/console-site.js';
import { OperationsApi, ORIGIN_VERIFY_HEADER, ROUTE_ACCESS } from './constructs/operations-api.js';
import { exposureParameters } from './constructs/exposure-parameters.js';
import { OperationsUserPool } from './constructs/user-pool.js';
import { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { DeliveryReceipts } from './constructs/delivery-receipts.js';
import { SenderIdentity } from './constructs/email-identity.js';
import { EncryptionKey } from './constructs/encryption-key.js';
import { bindSendPacing, type SendPacingProps } from './constructs/send-pacing.js';
import { FollowUpFunctions, HANDLER_FILES, TABLE_ACCESS, TABLE_CONDITIONS, WORKFLOW_ACCESS, type HandlerName } from './constructs/follow-up-functions.js';
import { FollowUpWorkflow } from './constructs/follow-up-workflow.js';
import { LoanTable } from './constructs/loan-table.js';
import { OperationsAlarms } from './constructs/operations-alarms.js';
import { TeamTopics, type TeamTopicsProps } from './constructs/team-topics.js';
import { UnsubscribeLinks } from './constructs/unsubscribe-links.js';
import { INBOX_WRITER } from './constructs/table-conditions.js';
import { AuditTrail } from './constructs/audit-trail.js';
import { ContactRetention } from './constructs/contact-retention.js';

export interface FollowUpStackProps extends StackProps, TeamTopicsProps {
  senderDomain: string;
  stateMachineName: string;
  /** Prefix of the staff sign-in domain (<prefix>.auth.<region>.amazoncognito.com); globally unique. @default loanfollowup-<account> */
  authDomainPrefix?: string;
  /** The SMS spend alarm fires at 80% of this (set it to the account's SNS MonthlySpendLimit). @default 500 */
  smsMonthlyBudgetUsd?: number;
  /** Object Lock (compliance mode) retention of each audit anchor, in days. @default 2557 (7 years) */
  auditAnchorRetentionDays?: number;
  /** The paced path's rates per origination identity (SMS parts and emails a second). */
  pacing?: SendPacingProps;
}

/** Wires the constructs together; the behaviour lives in each construct. */
export class FollowUpStack extends Stack {
  readonly encryptionKey: EncryptionKey;
  readonly deadLetters: DeadLetterQueue;
  readonly table: LoanTable;
  readonly topics: TeamTopics;
  readonly sender: SenderIdentity;
  readonly receipts: DeliveryReceipts;
  /** SES bounces and complaints: a permanent bounce or a complaint becomes an email opt-out (EventBridge only). */
  readonly emailFeedback: NodejsFunction;
  readonly functions: FollowUpFunctions;
  readonly workflow: FollowUpWorkflow;
  readonly alarms: OperationsAlarms;
  readonly operationsApi: OperationsApi;
  readonly consoleSite: ConsoleSite;
  readonly staff: OperationsUserPool;
  readonly unsubscribeLinks: UnsubscribeLinks;
  readonly auditTrail: AuditTrail;
  readonly retention: ContactRetention;

  constructor(scope: Construct, id: string, props: FollowUpStackProps) {
    super(scope, id, props);
    this.encryptionKey = new EncryptionKey(this, 'EncryptionKey');
    const encryptionKey = this.encryptionKey;
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', { encryptionKey });
    const deadLetterQueue = this.deadLetters.queue;
    this.table = new LoanTable(this, 'Loans', { encryptionKey });
    this.topics = new TeamTopics(this, 'Teams', { ...props, encryptionKey, deadLetterQueue });
    this.sender = new SenderIdentity(this, 'Sender', { senderDomain: props.senderDomain });
    this.functions = new FollowUpFunctions(this, 'Functions', { encryptionKey, deadLetterQueue });
    this.workflow = new FollowUpWorkflow(this, 'Workflow', { stateMachineName: props.stateMachineName, functions: this.functions, encryptionKey });

    const fns = this.functions;
    // Least privilege: each function gets the table and state machine calls its own code path makes.
    for (const name of Object.keys(HANDLER_FILES) as HandlerName[]) {
      this.table.bindTable(fns[name], TABLE_ACCESS[name], { conditions: TABLE_CONDITIONS[name] });
      const workflowCalls = WORKFLOW_ACCESS[name];
      if (workflowCalls) this.workflow.bindWorkflowControl(fns[name], workflowCalls);
    }
    this.topics.bindTopics(fns.advanceLoan);
    this.topics.bindTopics(fns.flagForOperations, ['supervisors']);
    this.sender.bindSender(fns.advanceLoan);
    bindSendPacing(fns.advanceLoan, this.sender.senderAddress, props.pacing);

    // A permanent bounce or a complaint is an EMAIL opt-out: the function only drops it in the loan's inbox
    // (INBOX_WRITER) and wakes the execution, as the unsubscribe route does.
    this.emailFeedback = fns.createFunction('RecordEmailFeedback', 'record-email-feedback');
    this.table.bindTable(this.emailFeedback, ['GetItem', 'PutItem', 'UpdateItem'], { conditions: INBOX_WRITER });
    this.workflow.bindWorkflowControl(this.emailFeedback, ['states:SendTaskSuccess']);

    // Receipts of what SES and SNS took, so a send left in doubt by a crashed attempt goes exactly once.
    this.receipts = new DeliveryReceipts(this, 'DeliveryReceipts', {
      recorder: fns.recordDeliveryReceipt,
      feedbackRecorder: this.emailFeedback,
      teamTopics: [this.topics.supervisors, this.topics.legal],
      encryptionKey,
      deadLetterQueue,
    });
    this.receipts.bindSender(fns.advanceLoan, this.sender.senderAddress);
    this.receipts.bindDestinationHasher(fns.advanceLoan);
    this.receipts.bindDestinationHasher(fns.recordDeliveryReceipt);

    // Borrower SMS goes straight to a phone number; SNS has no resource ARN for that, so `*` is the only option.
    // The same holds for asking whether a number is on the account's SMS opt-out list before texting it. The
    // `*` reaches no topic but the team topics: bindTopics denies publishing to any other (TeamTopics.denyOthers).
    fns.advanceLoan.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'], resources: ['*'] }));
    Validations.of(fns.advanceLoan.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'sns:Publish to a phone number (borrower SMS) and sns:CheckIfPhoneNumberIsOptedOut have no resource ARN: IAM accepts only Resource "*" for them. Publishing to any topic or endpoint but the two team topics is denied in the same role.',
    });

    // The people's way in: the operations API (one Lambda per route), the console, and the staff user pool. The
    // pool's client needs the console's URL, the console the API's host, the API the pool's client: Lazy breaks
    // the construction order, not the deployment order (API, then CDN, then client, then authorizer).
    let staff: OperationsUserPool | undefined;
    const poolValue = (produce: (pool: OperationsUserPool) => string) => Lazy.string({ produce: () => produce(staff!) });
    const exposure = exposureParameters(this);
    this.operationsApi = new OperationsApi(this, 'OperationsApi', {
      createFunction: (id, file) => fns.createFunction(id, file),
      issuerUrl: poolValue((pool) => pool.issuerUrl),
      audience: [poolValue((pool) => pool.client.userPoolClientId)],
      encryptionKey,
      customDomain: { domainName: exposure.apiDomainName, certificateArn: exposure.apiCertificateArn },
      originVerifySecret: exposure.originVerifySecret,
    });
    // The unsubscribe link under every email points at the console's address (CloudFront sends /api/* on).
    this.unsubscribeLinks = new UnsubscribeLinks(this, 'UnsubscribeLinks', { publicUrl: () => Lazy.string({ produce: () => this.consoleSite.url }) });
    this.unsubscribeLinks.bindSigner(fns.advanceLoan);
    for (const [operationId, fn] of Object.entries(this.operationsApi.functions)) {
      const access = ROUTE_ACCESS[operationId as keyof typeof ROUTE_ACCESS];
      this.table.bindTable(fn, access.table, { queueIndex: access.queueIndex, conditions: access.conditions, queueIndexCondition: access.queueIndexCondition });
      if (access.workflow) this.workflow.bindWorkflowControl(fn, access.workflow);
      if (access.verifiesUnsubscribeLinks) this.unsubscribeLinks.bindVerifier(fn);
    }
    this.consoleSite = new ConsoleSite(this, 'Console', {
      apiDomainName: this.operationsApi.domainName,
      originVerify: { header: ORIGIN_VERIFY_HEADER, secret: exposure.originVerifySecret },
      webAclArn: exposure.consoleWebAclArn,
      config: () => ({
        auth: 'cognito',
        clock: 'wall',
        region: Aws.REGION,
        clientId: poolValue((pool) => pool.client.userPoolClientId),
        signInUrl: poolValue((pool) => pool.domain.baseUrl()),
      }),
    });
    staff = new OperationsUserPool(this, 'Staff', {
      consoleUrl: this.consoleSite.url,
      domainPrefix: props.authDomainPrefix ?? `loanfollowup-${Aws.ACCOUNT_ID}`,
    });
    this.staff = staff;

    // The audit trail against the table's own writers: the heads' MAC key, the daily signed anchor in an Object
    // Lock bucket, and the role audit:verify runs as.
    // Retention: a daily job blanks the contact of loans closed N years ago and chains CONTACT_ANONYMISED, so it
    // commits audit heads too.
    this.retention = new ContactRetention(this, 'Retention', { createFunction: (id, file, size) => fns.createFunction(id, file, size), table: this.table });
    this.auditTrail = new AuditTrail(this, 'AuditTrail', {
      committers: [fns.advanceLoan, fns.flagForOperations, this.retention.function],
      createFunction: (id, file, size) => fns.createFunction(id, file, size),
      table: this.table,
      encryptionKey,
      accessLogs: this.consoleSite.logBucket,
      retentionDays: props.auditAnchorRetentionDays,
    });

    this.deadLetters.captureFailedExecutions(this.workflow.stateMachineArn);
    this.alarms = new OperationsAlarms(this, 'OperationsAlarms', {
      stateMachine: this.workflow.stateMachine,
      deadLetterQueue,
      table: this.table.table,
      // The anchor job too: a daily run that fails is worth knowing about at once.
      apiFunctions: [...Object.values(this.operationsApi.functions), this.auditTrail.anchorFunction, this.retention.function],
      workflowFunctions: [fns.advanceLoan, fns.awaitEvent, fns.flagForOperations, fns.recordDeliveryReceipt, this.emailFeedback],
      topic: this.topics.supervisors,
      encryptionKey,
      httpApi: this.operationsApi.httpApi,
      smsMonthlyBudgetUsd: props.smsMonthlyBudgetUsd,
    });
  }
}
