// The receipts of what SES and SNS took reach record-delivery-receipt, and AdvanceLoan can send and look up.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesizeStack } from '../../infra/asl.js';

const { template, stack } = synthesizeStack();

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const idOf = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as never);

const recorderId = idOf(stack.functions.recordDeliveryReceipt);
const recorderArn = { 'Fn::GetAtt': [recorderId, 'Arn'] };
const configurationSet = { Ref: idOf(stack.receipts.configurationSet) };
const envOf = (construct: { node: { defaultChild?: unknown } }) => resources[idOf(construct)]!.Properties.Environment.Variables;

function policyStatementsOfRole(roleId: string): any[] {
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

describe('SES: send events of the configuration set become receipts', () => {
  it('the configuration set sends SEND events to the default event bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: configurationSet,
      EventDestination: { Enabled: true, MatchingEventTypes: ['send'], EventBridgeDestination: { EventBusArn: Match.anyValue() } },
    });
  });

  it('a rule hands them to the recorder, retrying, with the dead-letter queue behind', () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([, r]) => r.Properties.EventPattern?.source?.includes('aws.ses'))!;
    expect(rule.Properties.EventPattern.detail).toEqual({ eventType: ['Send'], mail: { tags: { 'ses:configuration-set': [configurationSet] } } });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: recorderArn,
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(stack.deadLetters.queue), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
      }),
    ]);
  });

  it('AdvanceLoan sends through the configuration set: named in its environment and allowed as a resource', () => {
    expect(envOf(stack.functions.advanceLoan).SES_CONFIGURATION_SET).toEqual(configurationSet);
    const roleId = resources[idOf(stack.functions.advanceLoan)]!.Properties.Role['Fn::GetAtt'][0];
    const send = policyStatementsOfRole(roleId).filter((s) => s.Action === 'ses:SendEmail');
    expect(JSON.stringify(send)).toContain(':configuration-set/');
  });
});

describe('SES: bounces and complaints become an email opt-out', () => {
  const feedbackId = idOf(stack.emailFeedback);

  it('the configuration set publishes Bounce and Complaint events to the default event bus', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: configurationSet,
      EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint'], EventBridgeDestination: { EventBusArn: Match.anyValue() } },
    });
  });

  it('a rule hands them to record-email-feedback (not the receipt recorder), retrying, with the dead-letter queue behind', () => {
    const [, rule] = ofType('AWS::Events::Rule').find(([, r]) => r.Properties.EventPattern?.detail?.eventType?.includes('Bounce'))!;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.ses'],
      detail: { eventType: ['Bounce', 'Complaint'], mail: { tags: { 'ses:configuration-set': [configurationSet] } } },
    });
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [feedbackId, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [idOf(stack.deadLetters.queue), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
      }),
    ]);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [feedbackId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ofType('AWS::Events::Rule').find(([, r]) => r === rule)![0], 'Arn'] },
    });
  });

  it('the function only drops an event in the inbox (INBOX_WRITER) and wakes the execution', () => {
    const roleId = resources[feedbackId]!.Properties.Role['Fn::GetAtt'][0];
    const statements = policyStatementsOfRole(roleId);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
    expect(actions.filter((a: string) => a.startsWith('dynamodb:')).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(actions.filter((a: string) => a.startsWith('states:'))).toEqual(['states:SendTaskSuccess']);
    expect(actions.some((a: string) => a.startsWith('ses:') || a.startsWith('sns:'))).toBe(false);
    const put = statements.find((s) => s.Action === 'dynamodb:PutItem' || (Array.isArray(s.Action) && s.Action.includes('dynamodb:PutItem')))!;
    expect(put.Condition['ForAllValues:StringEquals']['dynamodb:Attributes']).toEqual(['pk', 'sk', 'event']);
  });
});

describe('team topics: the recorder is a subscriber', () => {
  it('subscribes to both topics, undeliverable receipts going to the dead-letter queue', () => {
    const subscriptions = ofType('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'lambda');
    expect(subscriptions.map(([, s]) => s.Properties.TopicArn.Ref).sort()).toEqual([idOf(stack.topics.supervisors), idOf(stack.topics.legal)].sort());
    for (const [, s] of subscriptions) {
      expect(s.Properties.Endpoint).toEqual(recorderArn);
      expect(s.Properties.RedrivePolicy).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': [idOf(stack.deadLetters.queue), 'Arn'] } });
    }
  });
});

describe('SNS SMS: delivery-status logs become receipts', () => {
  it('SNS may write only to the two delivery log groups, for this account only, and the role is a stack output', () => {
    const roleId = idOf(stack.receipts.smsDeliveryStatusRole);
    const role = resources[roleId]!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'sns.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }),
    ]);
    const statements = policyStatementsOfRole(roleId);
    expect(statements).toHaveLength(1);
    expect(statements[0].Resource).toEqual(stack.receipts.smsDeliveryLogGroups.map((g) => ({ 'Fn::GetAtt': [idOf(g), 'Arn'] })));
    expect(template.toJSON().Outputs.SmsDeliveryStatusRoleArn.Value).toEqual({ 'Fn::GetAtt': [roleId, 'Arn'] });
  });

  it('AdvanceLoan and the recorder hash destinations with the same KMS HMAC key, which only they may use', () => {
    const keyArn = { 'Fn::GetAtt': [idOf(stack.receipts.destinationKey), 'Arn'] };
    expect(resources[idOf(stack.receipts.destinationKey)]!.Properties).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(resources[idOf(stack.receipts.destinationKey)]!.DeletionPolicy).toBe('Retain');
    for (const fn of [stack.functions.advanceLoan, stack.functions.recordDeliveryReceipt]) {
      expect(envOf(fn).RECEIPT_KEY_ID).toEqual(keyArn);
      expect(envOf(fn).RECEIPT_SALT).toBeUndefined();
    }
    const users = ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.PolicyDocument.Statement.some((s: any) => JSON.stringify(s.Resource) === JSON.stringify(keyArn)))
      .flatMap(([, p]) => p.Properties.Roles.map((r: any) => r.Ref))
      .sort();
    const roleOf = (fn: Parameters<typeof idOf>[0]) => resources[idOf(fn)]!.Properties.Role['Fn::GetAtt'][0];
    expect(users).toEqual([roleOf(stack.functions.advanceLoan), roleOf(stack.functions.recordDeliveryReceipt)].sort());
    for (const fn of [stack.functions.advanceLoan, stack.functions.recordDeliveryReceipt]) {
      const onKey = policyStatementsOfRole(roleOf(fn)).filter((s) => JSON.stringify(s.Resource) === JSON.stringify(keyArn));
      expect(onKey.map((s) => s.Action)).toEqual(['kms:GenerateMac']);
    }
  });

  it('CloudWatch Logs, SES events and SNS may invoke the recorder, and nothing else is granted', () => {
    const principals = ofType('AWS::Lambda::Permission')
      .filter(([, p]) => JSON.stringify(p.Properties.FunctionName).includes(recorderId))
      .map(([, p]) => JSON.stringify(p.Properties.Principal));
    expect(principals.length).toBe(5); // two log groups, one rule, two topics
    for (const principal of principals) expect(principal).toMatch(/logs\.|events\.amazonaws\.com|sns\.amazonaws\.com/);
  });
});
