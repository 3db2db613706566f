import { Template } from 'aws-cdk-lib/assertions';
import type { FollowUpStack } from './follow-up-stack.js';
import { createFollowUpApp } from './app.js';

/** Plain Amazon States Language, as the local engine and the diagram read it. */
export interface StateMachineDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  Comment?: string;
  QueryLanguage?: string;
  TimeoutSeconds?: number;
  [key: string]: unknown;
}

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Default?: string;
  Choices?: ({ Next: string } & Record<string, unknown>)[];
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[];
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number; IntervalSeconds?: number; BackoffRate?: number }[];
  Resource?: string;
  [key: string]: unknown;
}

export const PLACEHOLDER_ACCOUNT = '000000000000';
export const PLACEHOLDER_REGION = 'local';

const PSEUDO_PARAMETERS: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': PLACEHOLDER_REGION,
  'AWS::AccountId': PLACEHOLDER_ACCOUNT,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'LoanFollowUp',
};

/** A stand-in ARN for a template resource, so the definition is plain JSON. */
function placeholderArn(logicalId: string, resourceType: string | undefined): string {
  const account = `${PLACEHOLDER_REGION}:${PLACEHOLDER_ACCOUNT}`;
  switch (resourceType) {
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${account}:function:${logicalId}`;
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${account}:${logicalId}`;
    case 'AWS::DynamoDB::Table':
      return `arn:aws:dynamodb:${account}:table/${logicalId}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${account}:stateMachine:${logicalId}`;
    default:
      return `arn:aws:local:${account}:${logicalId}`;
  }
}

/** Resolves the intrinsics CloudFormation would (Ref, Fn::GetAtt, Fn::Join, Fn::Sub) with placeholders. */
export function resolveIntrinsics(value: unknown, resources: Record<string, { Type?: string }>): unknown {
  const ref = (name: string): string => PSEUDO_PARAMETERS[name] ?? placeholderArn(name, resources[name]?.Type);
  const resolve = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(resolve);
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v);
    if (entries.length === 1) {
      const [key, arg] = entries[0]!;
      if (key === 'Ref') return ref(arg as string);
      if (key === 'Fn::GetAtt') {
        const [logicalId] = Array.isArray(arg) ? arg : String(arg).split('.');
        return placeholderArn(logicalId as string, resources[logicalId as string]?.Type);
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = arg as [string, unknown[]];
        return (resolve(parts) as unknown[]).map(String).join(separator);
      }
      if (key === 'Fn::Sub') {
        const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, unknown>];
        const resolvedVars = resolve(vars) as Record<string, unknown>;
        return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
          if (name in resolvedVars) return String(resolvedVars[name]);
          const [logicalId] = name.split('.');
          return name.includes('.') ? placeholderArn(logicalId!, resources[logicalId!]?.Type) : ref(name);
        });
      }
    }
    return Object.fromEntries(entries.map(([k, x]) => [k, resolve(x)]));
  };
  return resolve(value);
}

let cached: { stack: FollowUpStack; template: Template } | undefined;

/** The stack synthesized in-process without bundling (no esbuild runs), shared by every caller in the process. */
export function synthesizeStack(): { stack: FollowUpStack; template: Template } {
  if (!cached) {
    const { stack } = createFollowUpApp({ nag: false, context: { 'aws:cdk:bundling-stacks': [] } });
    cached = { stack, template: Template.fromStack(stack) };
  }
  return cached;
}

/** The follow-up state machine's definition as plain ASL, with placeholder ARNs. */
export function synthesizeDefinition(): StateMachineDefinition {
  const json = synthesizeStack().template.toJSON() as { Resources: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
  const machines = Object.values(json.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine in the template, found ${machines.length}`);
  const definitionString = resolveIntrinsics(machines[0]!.Properties!.DefinitionString, json.Resources);
  if (typeof definitionString !== 'string') throw new Error('DefinitionString did not resolve to a string');
  return JSON.parse(definitionString) as StateMachineDefinition;
}
