import { Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { SenderIdentity } from './constructs/email-identity.js';
import { FollowUpFunctions } from './constructs/follow-up-functions.js';
import { FollowUpWorkflow } from './constructs/follow-up-workflow.js';
import { LoanTable } from './constructs/loan-table.js';
import { TeamTopics, type TeamTopicsProps } from './constructs/team-topics.js';

export interface FollowUpStackProps extends StackProps, TeamTopicsProps {
  senderDomain: string;
  stateMachineName: string;
}

/** Wires the constructs together; the behaviour lives in each construct. */
export class FollowUpStack extends Stack {
  readonly table: LoanTable;
  readonly topics: TeamTopics;
  readonly sender: SenderIdentity;
  readonly functions: FollowUpFunctions;
  readonly workflow: FollowUpWorkflow;

  constructor(scope: Construct, id: string, props: FollowUpStackProps) {
    super(scope, id, props);
    this.table = new LoanTable(this, 'Loans');
    this.topics = new TeamTopics(this, 'Teams', props);
    this.sender = new SenderIdentity(this, 'Sender', { senderDomain: props.senderDomain });
    this.functions = new FollowUpFunctions(this, 'Functions');
    this.workflow = new FollowUpWorkflow(this, 'Workflow', { stateMachineName: props.stateMachineName, functions: this.functions });

    const fns = this.functions;
    for (const fn of fns.all()) this.table.bindTable(fn, 'readWrite');
    for (const fn of [fns.onboardLoan, fns.recordPayment, fns.recordCallbackOutcome, fns.reportLoanEvent, fns.awaitEvent, fns.advanceLoan]) {
      this.workflow.bindWorkflowControl(fn);
    }
    this.topics.bindTopics(fns.advanceLoan);
    this.topics.bindTopics(fns.flagForOperations);
    this.sender.bindSender(fns.advanceLoan);

    // Borrower SMS goes straight to a phone number; SNS has no resource ARN for that, so `*` is the only option.
    fns.advanceLoan.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    Validations.of(fns.advanceLoan.role!).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'sns:Publish to a phone number (borrower SMS) has no resource ARN: IAM accepts only Resource "*" for it.',
    });
  }
}
