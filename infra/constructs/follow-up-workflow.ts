import { ArnFormat, RemovalPolicy, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildFollowUpDefinition, type FollowUpFunctions } from '../../workflows/follow-up-definition.js';

export interface FollowUpWorkflowProps {
  /** Fixed so the ARN is known before the machine exists (functions and the machine itself refer to it). */
  stateMachineName: string;
  functions: FollowUpFunctions;
}

/** The per-loan Standard state machine. */
export class FollowUpWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** Built from the name, not read from the machine: referencing the machine would create cycles. */
  readonly stateMachineArn: string;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FollowUpWorkflowProps) {
    super(scope, id);
    this.stateMachineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: props.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: buildFollowUpDefinition(this, props.functions, this.stateMachineArn),
      tracingEnabled: true,
      // Errors only, and never the state data: no personal data in logs.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
    });
    this.acknowledgeFindings(props.functions);
  }

  private acknowledgeFindings(functions: FollowUpFunctions): void {
    const stack = Stack.of(this);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason: 'ERROR level on purpose: every loan runs for years and ALL would log each transition of each loan; the loan timeline in DynamoDB already records every step.',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs log delivery (logs:CreateLogDelivery and related) support only Resource "*".',
    });
    for (const fn of [functions.advanceLoan, functions.awaitEvent, functions.flagForOperations]) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnResource);
      Validations.of(this.stateMachine.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'LambdaInvoke grants the function plus its versions and aliases (ARN:*); still only this one function.',
      });
    }
  }

  /** Lets the function start executions and answer task tokens; sets env STATE_MACHINE_ARN. */
  bindWorkflowControl(fn: lambda.Function): void {
    fn.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution', 'states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [this.stateMachineArn] }),
    );
    fn.addEnvironment('STATE_MACHINE_ARN', this.stateMachineArn);
  }
}
