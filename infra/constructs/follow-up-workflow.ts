import { ArnFormat, Duration, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { buildFollowUpDefinition, type StateMachineTasks } from '../follow-up-definition.js';
import type { EncryptionKey } from './encryption-key.js';
import { ProtectedLogGroup } from './protected-log-group.js';

export type WorkflowAction = 'states:StartExecution' | 'states:SendTaskSuccess' | 'states:SendTaskFailure';

export interface FollowUpWorkflowProps {
  /** Fixed so the ARN is known before the machine exists (functions and the machine itself refer to it). */
  stateMachineName: string;
  functions: StateMachineTasks;
  /** Encrypts the definition, the execution history and the log group. */
  encryptionKey: EncryptionKey;
}

/** The per-loan Standard state machine. */
export class FollowUpWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** Built from the name, not read from the machine: referencing the machine would create cycles. */
  readonly stateMachineArn: string;
  /** The ARN of this machine's executions, without the execution's name. */
  readonly executionArnPrefix: string;
  readonly logGroup: ProtectedLogGroup;
  private readonly encryptionKey: EncryptionKey;

  constructor(scope: Construct, id: string, props: FollowUpWorkflowProps) {
    super(scope, id);
    this.stateMachineArn = Stack.of(this).formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: props.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionArnPrefix = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: props.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.encryptionKey = props.encryptionKey;
    this.logGroup = new ProtectedLogGroup(this, 'Logs', { encryptionKey: props.encryptionKey.key });
    // With a customer managed key and logging on, CDK gives the role kms:Decrypt/GenerateDataKey bound to this
    // machine (and to log delivery), and adds `kms:Decrypt*` for log delivery to the key policy. The machine gets a
    // reference to the key so that statement is not added; the key policy gets the explicit one below.
    const keyReference = kms.Key.fromKeyArn(this, 'KeyReference', props.encryptionKey.key.keyArn);
    props.encryptionKey.allowService('StepFunctionsLogDelivery', 'delivery.logs.amazonaws.com', ['kms:Decrypt']);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: buildFollowUpDefinition(this, props.functions, this.stateMachineArn, this.executionArnPrefix),
      tracingEnabled: true,
      encryptionConfiguration: new sfn.CustomerManagedEncryptionConfiguration(keyReference, Duration.minutes(5)),
      // Errors only, and never the state data: no personal data in logs.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
    });
    this.acknowledgeFindings(props.functions, props.stateMachineName);
  }

  private acknowledgeFindings(functions: StateMachineTasks, stateMachineName: string): void {
    const stack = Stack.of(this);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-SF1',
      reason:
        'ERROR level on purpose: every loan runs for years and ALL would log each transition of each loan; the loan timeline in DynamoDB already records every step.',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray tracing and CloudWatch Logs log delivery (logs:CreateLogDelivery and related) support only Resource "*".',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`,
      reason: "CheckNextGeneration describes the loan's next execution, whose name is known only at run time; only executions of this one machine.",
    });
    for (const fn of [functions.advanceLoan, functions.awaitEvent, functions.flagForOperations]) {
      const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnResource);
      Validations.of(this.stateMachine.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'LambdaInvoke grants the function plus its versions and aliases (ARN:*); still only this one function.',
      });
    }
  }

  /**
   * Lets the function make these calls on the machine (with the key use they need: execution input and task
   * output are encrypted under this machine's encryption context); sets env STATE_MACHINE_ARN.
   */
  bindWorkflowControl(fn: lambda.Function, actions: WorkflowAction[]): void {
    if (actions.length === 0) throw new Error(`${fn.node.path}: bindWorkflowControl needs at least one action`);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [this.stateMachineArn] }));
    this.encryptionKey.grantForContext(fn, ['kms:GenerateDataKey', 'kms:Decrypt'], { 'aws:states:stateMachineArn': this.stateMachineArn });
    fn.addEnvironment('STATE_MACHINE_ARN', this.stateMachineArn);
  }
}
