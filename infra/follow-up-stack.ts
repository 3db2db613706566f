import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DeadLetterQueue } from './constructs/dead-letter-queue.js';
import { SenderIdentity } from './constructs/email-identity.js';
import { EncryptionKey } from './constructs/encryption-key.js';
import { FollowUpFunctions, HANDLER_FILES, TABLE_ACCESS, WORKFLOW_ACCESS, type HandlerName } from './constructs/follow-up-functions.js';
import { FollowUpWorkflow } from './constructs/follow-up-workflow.js';
import { LoanTable } from './constructs/loan-table.js';
import { OperationsAlarms } from './constructs/operations-alarms.js';
import { TeamTopics, type TeamTopicsProps } from './constructs/team-topics.js';

export interface FollowUpStackProps extends StackProps, TeamTopicsProps {
  senderDomain: string;
  stateMachineName: string;
}

/** Wires the constructs together; the behaviour lives in each construct. */
export class FollowUpStack extends Stack {
  readonly encryptionKey: EncryptionKey;
  readonly deadLetters: DeadLetterQueue;
  readonly table: LoanTable;
  readonly topics: TeamTopics;
  readonly sender: SenderIdentity;
  readonly functions: FollowUpFunctions;
  readonly workflow: FollowUpWorkflow;
  readonly alarms: OperationsAlarms;

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
      this.table.bindTable(fns[name], TABLE_ACCESS[name]);
      const workflowCalls = WORKFLOW_ACCESS[name];
      if (workflowCalls) this.workflow.bindWorkflowControl(fns[name], workflowCalls);
    }
    this.topics.bindTopics(fns.advanceLoan);
    this.topics.bindTopics(fns.flagForOperations, ['supervisors']);
    this.sender.bindSender(fns.advanceLoan);

    // Borrower SMS goes straight to a phone number; SNS has no resource ARN for that, so `*` is the only option.
    fns.advanceLoan.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    Validations.of(fns.advanceLoan.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'sns:Publish to a phone number (borrower SMS) has no resource ARN: IAM accepts only Resource "*" for it.',
    });

    this.deadLetters.captureFailedExecutions(this.workflow.stateMachineArn);
    this.alarms = new OperationsAlarms(this, 'OperationsAlarms', {
      stateMachine: this.workflow.stateMachine,
      deadLetterQueue,
      table: this.table.table,
      apiFunctions: [fns.onboardLoan, fns.recordPayment, fns.recordCallbackOutcome, fns.reportLoanEvent],
      workflowFunctions: [fns.advanceLoan, fns.awaitEvent, fns.flagForOperations],
      topic: this.topics.supervisors,
      encryptionKey,
    });
  }
}
