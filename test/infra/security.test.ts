import { CustomDataIdentifier } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { synthesizeStack } from '../../infra/asl.js';
import { FAILED_EXECUTION_STATUSES } from '../../infra/constructs/dead-letter-queue.js';
import { HANDLER_FILES, type HandlerName } from '../../infra/constructs/follow-up-functions.js';
import { TABLE_OPERATIONS } from '../../infra/constructs/operations-alarms.js';
import { PERSONAL_DATA_IDENTIFIERS } from '../../infra/constructs/protected-log-group.js';

const { template, stack } = synthesizeStack();

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = { Sid?: string; Effect: 'Allow' | 'Deny'; Principal?: any; Action: string | string[]; Resource?: unknown; Condition?: Record<string, any> };

const resources = template.toJSON().Resources as Record<string, Resource>;
const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === type);
const idOf = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as never);
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

const keyId = idOf(stack.encryptionKey.key);
const KEY_ARN = { 'Fn::GetAtt': [keyId, 'Arn'] };
const HANDLERS = Object.keys(HANDLER_FILES) as HandlerName[];

/** Every statement of the role's inline and attached policies. */
function roleStatements(roleId: string): Statement[] {
  const inline = (resources[roleId]?.Properties.Policies ?? []).flatMap((p: any) => p.PolicyDocument.Statement);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  return [...inline, ...attached];
}

function functionStatements(name: HandlerName): Statement[] {
  const fn = resources[idOf(stack.functions[name])]!;
  return roleStatements(fn.Properties.Role['Fn::GetAtt'][0]);
}

const allowedActions = (name: HandlerName, prefix: string): string[] =>
  functionStatements(name)
    .filter((s) => s.Effect === 'Allow')
    .flatMap(actionsOf)
    .filter((a) => a.startsWith(prefix))
    .sort();

describe('customer-managed KMS key', () => {
  it('is the one encryption key: rotated, retained, with an alias (the other key only signs unsubscribe links)', () => {
    const keys = ofType('AWS::KMS::Key');
    expect(keys).toHaveLength(2);
    const encryption = keys.filter(([, k]) => k.Properties.KeySpec === undefined);
    expect(encryption).toHaveLength(1);
    expect(encryption[0]![1].Properties.EnableKeyRotation).toBe(true);
    expect(encryption[0]![1].DeletionPolicy).toBe('Retain');
    const mac = keys.find(([, k]) => k.Properties.KeySpec === 'HMAC_256')!;
    expect(mac[1].Properties).toMatchObject({ KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(mac[1].DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/LoanFollowUp', TargetKeyId: KEY_ARN });
  });

  it('lets CloudWatch Logs use it only for log groups of this account and region (encryption context)', () => {
    const statements: Statement[] = resources[keyId]!.Properties.KeyPolicy.Statement;
    const logs = statements.find((s) => s.Sid === 'CloudWatchLogsLogGroups')!;
    expect(JSON.stringify(logs.Principal)).toContain('logs.');
    expect(JSON.stringify(logs.Condition?.ArnLike?.['kms:EncryptionContext:aws:logs:arn'])).toContain(':log-group:*');
  });

  it('lets the services that encrypt with it themselves use it, and no one else', () => {
    const statements: Statement[] = resources[keyId]!.Properties.KeyPolicy.Statement;
    const services = statements.filter((s) => s.Principal?.Service).map((s) => JSON.stringify(s.Principal.Service));
    expect(services).toHaveLength(5);
    for (const service of ['logs.', 'delivery.logs.amazonaws.com', 'events.amazonaws.com', 'sns.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      expect(services.some((s) => s.includes(service)), service).toBe(true);
    }
    const others = statements.filter((s) => !s.Principal?.Service);
    // The only other statement is CDK's default: the account lets IAM policies grant the key.
    expect(others).toHaveLength(1);
    expect(JSON.stringify(others[0]!.Principal)).toContain(':root');
  });
});

describe('encryption at rest with the key', () => {
  it('loan table: SSE-KMS with the key and point-in-time recovery', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: KEY_ARN },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('both team topics', () => {
    const topics = ofType('AWS::SNS::Topic');
    expect(topics.length).toBeGreaterThanOrEqual(2);
    for (const [, topic] of topics) expect(topic.Properties.KmsMasterKeyId).toEqual(KEY_ARN);
  });

  it('state machine: customer managed key for definition and history, X-Ray on, no execution data in logs', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      EncryptionConfiguration: { Type: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: KEY_ARN, KmsDataKeyReusePeriodSeconds: 300 },
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [idOf(stack.workflow.logGroup), 'Arn'] } } }] },
    });
  });

  it('dead-letter queue: the key, TLS only, kept 14 days', () => {
    const queueId = idOf(stack.deadLetters.queue);
    expect(resources[queueId]!.Properties).toMatchObject({ KmsMasterKeyId: KEY_ARN, MessageRetentionPeriod: 14 * 86_400 });
    const [, policy] = ofType('AWS::SQS::QueuePolicy').find(([, p]) => p.Properties.Queues.some((q: any) => q.Ref === queueId))!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('log groups', () => {
  const smsDeliveryIds = new Set(stack.receipts.smsDeliveryLogGroups.map((g) => idOf(g)));
  const all = ofType('AWS::Logs::LogGroup');
  const groups = all.filter(([id]) => !smsDeliveryIds.has(id));

  it('every one of ours: encrypted with the key, kept a year, retained, phone numbers and emails masked', () => {
    expect(groups.length).toBeGreaterThanOrEqual(8);
    for (const [id, group] of groups) {
      expect(group.Properties.KmsKeyId, id).toEqual(KEY_ARN);
      expect(group.Properties.RetentionInDays, id).toBe(365);
      expect(group.DeletionPolicy, id).toBe('Retain');
      const policy = group.Properties.DataProtectionPolicy;
      const audit = policy.Statement.find((s: any) => s.Operation.Audit);
      const mask = policy.Statement.find((s: any) => s.Operation.Deidentify);
      for (const identifiers of [audit.DataIdentifier, mask.DataIdentifier]) {
        const names = JSON.stringify(identifiers);
        for (const name of ['EmailAddress', 'PhoneNumber-US', 'PhoneE164', 'MobileCN']) expect(names, `${id} ${name}`).toContain(name);
      }
    }
  });

  it("SNS's SMS delivery logs (the receipts of borrower SMS): encrypted, retained, kept one week only, read by the recorder alone", () => {
    const sms = all.filter(([id]) => smsDeliveryIds.has(id));
    expect(sms).toHaveLength(2);
    for (const [id, group] of sms) {
      expect(group.Properties.KmsKeyId, id).toEqual(KEY_ARN);
      expect(group.Properties.RetentionInDays, id).toBe(7);
      expect(group.DeletionPolicy, id).toBe('Retain');
      expect(JSON.stringify(group.Properties.LogGroupName), id).toMatch(/DirectPublishToPhoneNumber/);
      // No masking policy: CloudWatch Logs would mask the number on its way to the recorder, which hashes it.
      expect(group.Properties.DataProtectionPolicy, id).toBeUndefined();
    }
    const filters = ofType('AWS::Logs::SubscriptionFilter');
    expect(filters.map(([, f]) => f.Properties.LogGroupName.Ref).sort()).toEqual([...smsDeliveryIds].sort());
    for (const [, filter] of filters) expect(filter.Properties.DestinationArn).toEqual({ 'Fn::GetAtt': [idOf(stack.functions.recordDeliveryReceipt), 'Arn'] });
  });

  it('every function and the state machine log to one of them', () => {
    const ids = new Set(groups.map(([id]) => id));
    for (const [id, fn] of ofType('AWS::Lambda::Function')) expect(ids.has(fn.Properties.LoggingConfig.LogGroup.Ref), id).toBe(true);
    expect(ids.has(idOf(stack.workflow.logGroup))).toBe(true);
  });

  it('custom identifiers fit CloudWatch Logs: at most 200 characters of the allowed set, no parentheses', () => {
    const custom = PERSONAL_DATA_IDENTIFIERS.filter((i) => i instanceof CustomDataIdentifier);
    expect(custom).toHaveLength(2);
    for (const { name, regex } of custom) {
      expect(name).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
      expect(regex.length).toBeLessThanOrEqual(200);
      expect(regex).toMatch(/^[A-Za-z0-9_#=@/;,\- ^$?[\]{}|\\*+.]+$/);
    }
  });

  it('the phone identifiers catch what this service would log and spare ids and timestamps', () => {
    const regexOf = (name: string) => {
      const identifier = PERSONAL_DATA_IDENTIFIERS.find((i) => i.name === name);
      if (!(identifier instanceof CustomDataIdentifier)) throw new Error(`${name} is not a custom identifier`);
      return new RegExp(identifier.regex);
    };
    const e164 = regexOf('PhoneE164');
    const mobile = regexOf('MobileCN');
    expect(e164.test('{"phone":"+8613812345678"}')).toBe(true);
    expect(e164.test('{"phone":"+14155550123"}')).toBe(true);
    expect(mobile.test('{"phone":"13812345678"}')).toBe(true);
    expect(mobile.test('called 13812345678 twice')).toBe(true);
    // 12-digit account ids, epoch milliseconds and ISO timestamps are not phone numbers.
    expect(mobile.test('arn:aws:states:cn-north-1:134567890123:execution:loan-followup:L-1-g0')).toBe(false);
    expect(mobile.test('{"at":1767225600000}')).toBe(false);
    expect(mobile.test('{"at":"2026-01-15T09:30:00.000Z"}')).toBe(false);
  });
});

describe('least privilege', () => {
  /** Allow statements of every identity and resource policy in the template. */
  function allowStatements(): { where: string; statement: Statement }[] {
    const documents: { where: string; statements: Statement[] }[] = [
      ...ofType('AWS::IAM::Policy').map(([id, r]) => ({ where: id, statements: r.Properties.PolicyDocument.Statement })),
      ...ofType('AWS::IAM::ManagedPolicy').map(([id, r]) => ({ where: id, statements: r.Properties.PolicyDocument.Statement })),
      ...ofType('AWS::IAM::Role').flatMap(([id, r]) => (r.Properties.Policies ?? []).map((p: any) => ({ where: id, statements: p.PolicyDocument.Statement }))),
      ...ofType('AWS::SNS::TopicPolicy').map(([id, r]) => ({ where: id, statements: r.Properties.PolicyDocument.Statement })),
      ...ofType('AWS::SQS::QueuePolicy').map(([id, r]) => ({ where: id, statements: r.Properties.PolicyDocument.Statement })),
      ...ofType('AWS::S3::BucketPolicy').map(([id, r]) => ({ where: id, statements: r.Properties.PolicyDocument.Statement })),
      ...ofType('AWS::KMS::Key').map(([id, r]) => ({ where: id, statements: r.Properties.KeyPolicy.Statement })),
    ];
    return documents.flatMap(({ where, statements }) => statements.filter((s) => s.Effect === 'Allow').map((statement) => ({ where, statement })));
  }

  it('no Allow statement anywhere has a wildcard action (the key policy delegating to the account is the one exception)', () => {
    const isAccountDelegation = (where: string, s: Statement) =>
      resources[where]!.Type === 'AWS::KMS::Key' && actionsOf(s).join() === 'kms:*' && JSON.stringify(s.Principal).includes(':root');
    const wildcards = allowStatements()
      .filter(({ where, statement }) => !isAccountDelegation(where, statement))
      .flatMap(({ where, statement }) => actionsOf(statement).filter((a) => a.includes('*')).map((a) => `${where}: ${a}`));
    expect(wildcards).toEqual([]);
  });

  it('each function gets exactly the table actions its code path uses, on the table only', () => {
    const expected: Record<HandlerName, string[]> = {
      advanceLoan: ['BatchWriteItem', 'ConditionCheckItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
      awaitEvent: ['Query', 'UpdateItem'],
      flagForOperations: ['BatchWriteItem', 'UpdateItem'],
      onboardLoan: ['GetItem', 'PutItem'],
      recordPayment: ['GetItem', 'PutItem', 'UpdateItem'],
      recordCallbackOutcome: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'],
      reportLoanEvent: ['GetItem', 'PutItem', 'UpdateItem'],
      recordDeliveryReceipt: ['PutItem', 'UpdateItem'],
    };
    const tableArn = { 'Fn::GetAtt': [idOf(stack.table.table), 'Arn'] };
    for (const name of HANDLERS) {
      expect(allowedActions(name, 'dynamodb:'), name).toEqual(expected[name].map((a) => `dynamodb:${a}`));
      for (const s of functionStatements(name).filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')))) expect(s.Resource, name).toEqual(tableArn);
    }
  });

  it('AwaitEvent, which only stores its task token and reads the inbox, cannot create, delete or batch-write items', () => {
    const actions = allowedActions('awaitEvent', 'dynamodb:');
    for (const write of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem']) expect(actions).not.toContain(write);
    expect(actions).toEqual(['dynamodb:Query', 'dynamodb:UpdateItem']);
  });

  it('each function gets only the Step Functions calls it makes', () => {
    const expected: Record<HandlerName, string[]> = {
      advanceLoan: [],
      awaitEvent: ['states:SendTaskSuccess'],
      flagForOperations: [],
      onboardLoan: ['states:StartExecution'],
      recordPayment: ['states:SendTaskSuccess'],
      recordCallbackOutcome: ['states:SendTaskSuccess'],
      reportLoanEvent: ['states:SendTaskSuccess'],
      recordDeliveryReceipt: [],
    };
    for (const name of HANDLERS) expect(allowedActions(name, 'states:'), name).toEqual(expected[name]);
  });

  it('FlagForOperations publishes to the supervisors topic only', () => {
    const publish = functionStatements('flagForOperations').filter((s) => actionsOf(s).includes('sns:Publish'));
    expect(publish.map((s) => s.Resource)).toEqual([{ Ref: idOf(stack.topics.supervisors) }]);
  });

  it('functions use the key only through DynamoDB, SNS or SQS, or for this state machine', () => {
    for (const name of HANDLERS) {
      const encryptionUse = (st: Statement) => actionsOf(st).some((a) => a.startsWith('kms:') && !a.endsWith('Mac'));
      for (const s of functionStatements(name).filter(encryptionUse)) {
        expect(s.Resource, name).toEqual(KEY_ARN);
        const condition = JSON.stringify(s.Condition?.StringEquals ?? {});
        expect(condition.includes('kms:ViaService') || condition.includes('kms:EncryptionContext:aws:states:stateMachineArn'), `${name}: ${condition}`).toBe(true);
      }
    }
  });
});

describe('the unsubscribe link key', () => {
  const macKey = { 'Fn::GetAtt': [idOf(stack.unsubscribeLinks.key), 'Arn'] };

  it('signs only in AdvanceLoan and verifies only in the two unsubscribe routes', () => {
    const macActions = (fn: Parameters<typeof idOf>[0]) =>
      roleStatements(resources[idOf(fn)]!.Properties.Role['Fn::GetAtt'][0]).filter((st) => actionsOf(st).some((a) => a.endsWith('Mac')));
    expect(macActions(stack.functions.advanceLoan)).toEqual([expect.objectContaining({ Action: 'kms:GenerateMac', Resource: macKey })]);
    for (const [operationId, fn] of Object.entries(stack.operationsApi.functions)) {
      const expected = operationId === 'showUnsubscribe' || operationId === 'unsubscribe' ? [expect.objectContaining({ Action: 'kms:VerifyMac', Resource: macKey })] : [];
      expect(macActions(fn), operationId).toEqual(expected);
    }
  });
});

describe('failures reach a person', () => {
  const queueArn = { 'Fn::GetAtt': [idOf(stack.deadLetters.queue), 'Arn'] };
  const supervisors = { Ref: idOf(stack.topics.supervisors) };

  it("every function's failed asynchronous invocations go to the dead-letter queue", () => {
    for (const [id, fn] of ofType('AWS::Lambda::Function')) expect(fn.Properties.DeadLetterConfig, id).toEqual({ TargetArn: queueArn });
  });

  it('failed, timed-out and aborted executions of this state machine go to the dead-letter queue', () => {
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.EventPattern?.source?.includes('aws.states'));
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0]!;
    expect(rule.Properties.EventPattern['detail-type']).toEqual(['Step Functions Execution Status Change']);
    expect(rule.Properties.EventPattern.detail.status).toEqual(FAILED_EXECUTION_STATUSES);
    expect(JSON.stringify(rule.Properties.EventPattern.detail.stateMachineArn)).toContain(':stateMachine:loan-followup');
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: queueArn })]);
    const queueId = idOf(stack.deadLetters.queue);
    const [, policy] = ofType('AWS::SQS::QueuePolicy').find(([, p]) => p.Properties.Queues.some((q: any) => q.Ref === queueId))!;
    const queuePolicy = policy.Properties.PolicyDocument.Statement as Statement[];
    expect(queuePolicy).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } } }),
    );
  });

  const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const metricAlarms = (namespace: string, metricName: string) => alarms.filter((a) => a.Namespace === namespace && a.MetricName === metricName);

  it('alarm on failed, timed-out and throttled executions of the state machine', () => {
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionThrottled']) {
      const found = metricAlarms('AWS/States', metric);
      expect(found, metric).toHaveLength(1);
      expect(found[0]!.Dimensions).toEqual([{ Name: 'StateMachineArn', Value: { Ref: idOf(stack.workflow.stateMachine) } }]);
      expect(found[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Sum' });
    }
  });

  it('alarm as soon as a message is in the dead-letter queue', () => {
    const found = metricAlarms('AWS/SQS', 'ApproximateNumberOfMessagesVisible');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Threshold: 1, Statistic: 'Maximum', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack.deadLetters.queue), 'QueueName'] } }] });
  });

  it('alarm on errors and throttles of every function', () => {
    const functionIds = ofType('AWS::Lambda::Function').map(([id]) => id);
    expect(functionIds).toEqual(expect.arrayContaining(HANDLERS.map((name) => idOf(stack.functions[name]))));
    for (const metric of ['Errors', 'Throttles']) {
      const watched = metricAlarms('AWS/Lambda', metric).map((a) => a.Dimensions[0].Value.Ref);
      expect(watched.sort(), metric).toEqual(functionIds.sort());
    }
  });

  it('alarm on DynamoDB throttling of any operation the handlers issue', () => {
    const found = alarms.filter((a) => a.Metrics?.some((m: any) => m.MetricStat?.Metric.MetricName === 'ThrottledRequests'));
    expect(found).toHaveLength(1);
    const operations = found[0]!.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Operation').Value);
    expect(operations.sort()).toEqual([...TABLE_OPERATIONS].sort());
  });

  it("every alarm and its recovery go to the supervisors' topic, which CloudWatch may publish to", () => {
    expect(alarms.length).toBeGreaterThanOrEqual(5 + 2 * HANDLERS.length);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([supervisors]);
      expect(alarm.OKActions).toEqual([supervisors]);
    }
    const [, topicPolicy] = ofType('AWS::SNS::TopicPolicy').find(([, p]) => p.Properties.Topics.some((t: any) => t.Ref === supervisors.Ref))!;
    expect(topicPolicy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' }),
    );
  });
});
