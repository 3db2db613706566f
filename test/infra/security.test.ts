import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomDataIdentifier } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { synthesizeStack } from '../../infra/asl.js';
import { FAILED_EXECUTION_STATUSES } from '../../infra/constructs/dead-letter-queue.js';
import { HANDLER_FILES, type HandlerName } from '../../infra/constructs/follow-up-functions.js';
import { ROUTE_ACCESS } from '../../infra/constructs/operations-api.js';
import { SES_REVIEW_THRESHOLDS, SMS_FAILURE_PERCENT, SMS_MIN_SETTLED, TABLE_OPERATIONS } from '../../infra/constructs/operations-alarms.js';
import { INBOX_WRITER } from '../../infra/constructs/table-conditions.js';
import { AUDIT_HEAD_READER, DEFAULT_ANCHOR_RETENTION_DAYS } from '../../infra/constructs/audit-trail.js';
import { TEAM_TAG } from '../../infra/constructs/team-topics.js';
import { QUEUE_VIEW_ATTRIBUTES, REFERRAL_ATTRIBUTE, TABLE_SCHEMA, TASK_ATTRIBUTES } from '../../functions/adapters/table-schema.js';
import { PERSONAL_DATA_IDENTIFIERS } from '../../infra/constructs/protected-log-group.js';

const { template, stack } = synthesizeStack();

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: any;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, any>;
};

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
  it('is the one encryption key: rotated, retained, with an alias (the others sign: unsubscribe links, audit heads, audit anchors, SMS receipt destinations)', () => {
    const keys = ofType('AWS::KMS::Key');
    expect(keys).toHaveLength(5);
    for (const [id, key] of keys) expect(key.DeletionPolicy, id).toBe('Retain');
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
      expect(
        services.some((s) => s.includes(service)),
        service,
      ).toBe(true);
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
      LoggingConfiguration: {
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [idOf(stack.workflow.logGroup), 'Arn'] } } }],
      },
    });
  });

  it('dead-letter queue: the key, TLS only, kept 14 days, retained when the stack is deleted', () => {
    const queueId = idOf(stack.deadLetters.queue);
    expect(resources[queueId]!.Properties).toMatchObject({ KmsMasterKeyId: KEY_ARN, MessageRetentionPeriod: 14 * 86_400 });
    expect(resources[queueId]!.DeletionPolicy).toBe('Retain');
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
      .flatMap(({ where, statement }) =>
        actionsOf(statement)
          .filter((a) => a.includes('*'))
          .map((a) => `${where}: ${a}`),
      );
    expect(wildcards).toEqual([]);
  });

  // Which table actions each function gets is checked against what it was seen to send, not against a list
  // kept here: test/local/dynamodb-observed-access.test.ts.
  it('each function gets its table actions on the table only', () => {
    const tableArn = { 'Fn::GetAtt': [idOf(stack.table.table), 'Arn'] };
    for (const name of HANDLERS) {
      expect(allowedActions(name, 'dynamodb:').length, name).toBeGreaterThan(0);
      for (const s of functionStatements(name).filter((st) => actionsOf(st).some((a) => a.startsWith('dynamodb:')))) expect(s.Resource, name).toEqual(tableArn);
    }
  });

  it('AwaitEvent, which only stores its task token and reads the inbox, cannot create, delete or batch-write items', () => {
    const actions = allowedActions('awaitEvent', 'dynamodb:');
    for (const write of ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'])
      expect(actions).not.toContain(write);
  });

  it('each function gets only the Step Functions calls it makes', () => {
    const expected: Record<HandlerName, string[]> = {
      advanceLoan: [],
      awaitEvent: ['states:SendTaskSuccess'],
      flagForOperations: [],
      recordDeliveryReceipt: [],
    };
    for (const name of HANDLERS) expect(allowedActions(name, 'states:'), name).toEqual(expected[name]);
  });

  it('FlagForOperations publishes to the supervisors topic only', () => {
    const publish = functionStatements('flagForOperations').filter((s) => s.Effect === 'Allow' && actionsOf(s).includes('sns:Publish'));
    expect(publish.map((s) => s.Resource)).toEqual([{ Ref: idOf(stack.topics.supervisors) }]);
  });

  it('functions use the key only through DynamoDB, SNS or SQS, or for this state machine', () => {
    for (const name of HANDLERS) {
      const encryptionUse = (st: Statement) => actionsOf(st).some((a) => a.startsWith('kms:') && !a.endsWith('Mac'));
      for (const s of functionStatements(name).filter(encryptionUse)) {
        expect(s.Resource, name).toEqual(KEY_ARN);
        const condition = JSON.stringify(s.Condition?.StringEquals ?? {});
        expect(condition.includes('kms:ViaService') || condition.includes('kms:EncryptionContext:aws:states:stateMachineArn'), `${name}: ${condition}`).toBe(
          true,
        );
      }
    }
  });

  it('no role may BatchWriteItem (which deletes as well as puts): every writer puts, updates or deletes item by item', () => {
    const batchWrites = allowStatements().flatMap(({ where, statement }) =>
      actionsOf(statement)
        .filter((a) => a === 'dynamodb:BatchWriteItem')
        .map(() => where),
    );
    expect(batchWrites).toEqual([]);
  });

  it("AdvanceLoan's SMS `*` reaches no topic but the team topics: publishing to any other topic or endpoint is denied", () => {
    const statements = functionStatements('advanceLoan');
    // The `*` stays: a direct SMS is authorized against the phone number, which has no ARN.
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Allow', Action: ['sns:Publish', 'sns:CheckIfPhoneNumberIsOptedOut'], Resource: '*' }));
    const topics = [{ Ref: idOf(stack.topics.supervisors) }, { Ref: idOf(stack.topics.legal) }];
    const denies = statements.filter((s) => s.Effect === 'Deny');
    expect(denies).toEqual([
      // Every SNS ARN (topic or platform endpoint, any account or region) not tagged as a team topic...
      {
        Sid: 'PublishToNoUntaggedTopic',
        Effect: 'Deny',
        Action: 'sns:Publish',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] },
        Condition: { StringNotEquals: { [`aws:ResourceTag/${TEAM_TAG}`]: ['supervisors', 'legal'] } },
      },
      // ...and any tagged one but these two (another deployment's team topics, a topic tagged by hand).
      {
        Sid: 'PublishToNoOtherTeamTopic',
        Effect: 'Deny',
        Action: 'sns:Publish',
        NotResource: topics,
        Condition: { Null: { [`aws:ResourceTag/${TEAM_TAG}`]: 'false' } },
      },
    ]);
    for (const [team, topic] of [
      ['supervisors', stack.topics.supervisors],
      ['legal', stack.topics.legal],
    ] as const) {
      expect(resources[idOf(topic)]!.Properties.Tags).toContainEqual({ Key: TEAM_TAG, Value: team });
    }
    // FlagForOperations, which may publish to the supervisors only, is held the same way.
    const flag = functionStatements('flagForOperations').filter((s) => s.Effect === 'Deny');
    expect(flag.map((s) => s.Condition)).toEqual([
      { StringNotEquals: { [`aws:ResourceTag/${TEAM_TAG}`]: ['supervisors'] } },
      { Null: { [`aws:ResourceTag/${TEAM_TAG}`]: 'false' } },
    ]);
    expect(flag[1]!.NotResource).toEqual({ Ref: idOf(stack.topics.supervisors) });
  });

  it('borrower email: ses:SendEmail from the sender address only (ses:FromAddress), no ses:SendRawEmail anywhere', () => {
    const ses = functionStatements('advanceLoan').filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
    expect(ses).toHaveLength(2); // the identity and the configuration set, both authorized for each send
    for (const s of ses) {
      expect(s.Action).toBe('ses:SendEmail');
      expect(s.Condition).toEqual({ StringEquals: { 'ses:FromAddress': stack.sender.senderAddress } });
    }
    expect(JSON.stringify(resources)).not.toContain('ses:SendRawEmail');
  });

  it('the receipt recorder writes receipts only: its partitions (RECEIPT#, SMSDEST#), never a loan item', () => {
    const table = functionStatements('recordDeliveryReceipt').filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    expect(table).toEqual([
      expect.objectContaining({
        Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RECEIPT#*', 'SMSDEST#*'] } },
      }),
    ]);
  });

  const routeStatements = (operationId: keyof typeof ROUTE_ACCESS) =>
    roleStatements(resources[idOf(stack.operationsApi.functions[operationId])]!.Properties.Role['Fn::GetAtt'][0]);
  const tableArn = { 'Fn::GetAtt': [idOf(stack.table.table), 'Arn'] };
  const indexArn = { 'Fn::Join': ['', [tableArn, `/index/${TABLE_SCHEMA.queueIndex.name}`]] };

  it('routes that only drop an event in the inbox (the public unsubscribe among them) may write no other attribute', () => {
    const inboxWriters = (Object.keys(ROUTE_ACCESS) as (keyof typeof ROUTE_ACCESS)[]).filter((id) => ROUTE_ACCESS[id].conditions === INBOX_WRITER);
    expect(inboxWriters.sort()).toEqual(['changeRiskRating', 'createLoanTask', 'recordLegalEvent', 'recordPayment', 'restructureLoan', 'unsubscribe']);
    for (const id of inboxWriters) {
      const writes = routeStatements(id).filter((s) =>
        actionsOf(s).some((a) => ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'].includes(a)),
      );
      expect(writes, id).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:PutItem',
          Resource: tableArn,
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'event'] } },
        },
        {
          Effect: 'Allow',
          Action: 'dynamodb:UpdateItem',
          Resource: tableArn,
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'inboxPending', 'state'] } },
        },
      ]);
    }
  });

  it('gsi1 projects the task fields and the referral summary: no case package, contact or timeline through the index', () => {
    const [index] = resources[idOf(stack.table.table)]!.Properties.GlobalSecondaryIndexes;
    expect(index.Projection.ProjectionType).toBe('INCLUDE');
    expect(index.Projection.NonKeyAttributes).toEqual([...TASK_ATTRIBUTES, REFERRAL_ATTRIBUTE]);
    for (const personal of ['casePackage', 'phone', 'email', 'event', 'loan', 'contact']) expect(index.Projection.NonKeyAttributes).not.toContain(personal);
  });

  it("the agents' work queue reads task fields through the index and a loan's record and schedule, nothing else; the referral list only the summaries", () => {
    const dynamo = (id: keyof typeof ROUTE_ACCESS) => routeStatements(id).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const reads = (names: string[]) => ({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': names },
      StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    });
    const indexKeys = ['gsi1pk', 'gsi1sk', 'pk', 'sk'];
    expect(dynamo('listTasks')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: tableArn, Condition: reads(['pk', 'sk', ...QUEUE_VIEW_ATTRIBUTES]) },
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: indexArn, Condition: reads([...indexKeys, ...TASK_ATTRIBUTES]) },
    ]);
    expect(dynamo('listReferrals')).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:Query', Resource: indexArn, Condition: reads([...indexKeys, REFERRAL_ATTRIBUTE]) },
    ]);
    for (const names of [QUEUE_VIEW_ATTRIBUTES, TASK_ATTRIBUTES])
      for (const personal of ['casePackage', 'phone', 'email', 'event', 'referral']) expect(names).not.toContain(personal);
    // No other route may query the index.
    const indexReaders = Object.entries(stack.operationsApi.functions)
      .filter(([, fn]) =>
        roleStatements(resources[idOf(fn)]!.Properties.Role['Fn::GetAtt'][0]).some((s) => JSON.stringify(s.Resource ?? '').includes('/index/')),
      )
      .map(([id]) => id);
    expect(indexReaders.sort()).toEqual(['listReferrals', 'listTasks']);
  });
});

describe('Resource "*"', () => {
  /**
   * The only actions any identity policy of the stack allows on every resource, and why each cannot be narrowed.
   * (Key policies say `*` for the key itself, and resource policies name their resource: neither is listed.)
   */
  const STAR_ACTIONS: Record<string, string> = {
    'xray:PutTraceSegments': 'X-Ray has no resource-level permissions (every function, the state machine)',
    'xray:PutTelemetryRecords': 'as above',
    'xray:GetSamplingRules': 'as above (the state machine)',
    'xray:GetSamplingTargets': 'as above (the state machine)',
    'logs:CreateLogDelivery': 'Step Functions log delivery: CloudWatch Logs vended-log actions take no resource',
    'logs:GetLogDelivery': 'as above',
    'logs:UpdateLogDelivery': 'as above',
    'logs:DeleteLogDelivery': 'as above',
    'logs:ListLogDeliveries': 'as above',
    'logs:PutResourcePolicy': 'as above',
    'logs:DescribeResourcePolicies': 'as above',
    'logs:DescribeLogGroups': 'as above',
    'sns:Publish': 'borrower SMS to a phone number (no ARN); AdvanceLoan only, and denied for every topic but the team topics',
    'sns:CheckIfPhoneNumberIsOptedOut': 'takes no resource; AdvanceLoan only',
  };

  function starGrants(): { role: string; action: string }[] {
    const out: { role: string; action: string }[] = [];
    const add = (roles: string[], statements: Statement[]) => {
      for (const s of statements.filter((st) => st.Effect === 'Allow')) {
        const targets = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
        if (targets.includes('*') || s.Resource === undefined) for (const action of actionsOf(s)) for (const role of roles) out.push({ role, action });
      }
    };
    for (const [, p] of [...ofType('AWS::IAM::Policy'), ...ofType('AWS::IAM::ManagedPolicy')])
      add(
        (p.Properties.Roles ?? []).map((r: any) => r.Ref),
        p.Properties.PolicyDocument.Statement,
      );
    for (const [id, r] of ofType('AWS::IAM::Role')) for (const p of r.Properties.Policies ?? []) add([id], p.PolicyDocument.Statement);
    return out;
  }

  it('is allowed only for the actions that take no resource, each listed with its reason', () => {
    const unexpected = starGrants().filter(({ action }) => !(action in STAR_ACTIONS));
    expect(unexpected).toEqual([]);
    for (const reason of Object.values(STAR_ACTIONS)) expect(reason.length).toBeGreaterThan(5);
  });

  it('SMS publishing and the opt-out check on `*` belong to AdvanceLoan alone', () => {
    const advanceLoanRole = resources[idOf(stack.functions.advanceLoan)]!.Properties.Role['Fn::GetAtt'][0];
    const sns = starGrants().filter(({ action }) => action.startsWith('sns:'));
    expect(sns.map((g) => g.role)).toEqual([advanceLoanRole, advanceLoanRole]);
    const logs = starGrants().filter(({ action }) => action.startsWith('logs:'));
    expect(new Set(logs.map((g) => g.role))).toEqual(new Set([idOf(stack.workflow.stateMachine.role)]));
  });
});

describe('entry points', () => {
  it('no function takes its caller from a payload: the deployed ones are the state machine tasks, the receipt recorder and the API routes', () => {
    const deployed = new Set(ofType('AWS::Lambda::Function').map(([id]) => id));
    const workflow = [stack.functions.advanceLoan, stack.functions.awaitEvent, stack.functions.flagForOperations].map(idOf);
    const api = Object.values(stack.operationsApi.functions).map(idOf);
    // And the audit anchor job, run by its schedule with nothing from a caller.
    const anchorJob = idOf(stack.auditTrail.anchorFunction);
    // The retention job, run by its schedule too, and the SES feedback recorder, invoked by its EventBridge rule.
    const retentionJob = idOf(stack.retention.function);
    const emailFeedback = idOf(stack.emailFeedback);
    expect(deployed).toEqual(new Set([...workflow, idOf(stack.functions.recordDeliveryReceipt), anchorJob, retentionJob, emailFeedback, ...api]));
    expect(Object.keys(HANDLER_FILES).sort()).toEqual(['advanceLoan', 'awaitEvent', 'flagForOperations', 'recordDeliveryReceipt']);
    // Nor is any other entry point left to bundle: functions/lambda holds the four, the anchor job and the routes' api-*.
    const files = readdirSync(join(dirname(fileURLToPath(import.meta.url)), '../../functions/lambda')).map((f) => f.replace(/\.ts$/, ''));
    expect(files.filter((f) => !f.startsWith('api-')).sort()).toEqual(
      [...Object.values(HANDLER_FILES), 'anchor-audit-heads', 'anonymise-closed-loans', 'record-email-feedback'].sort(),
    );
  });

  it('who may invoke each: the state machine its three tasks, API Gateway each route, SNS, EventBridge and CloudWatch Logs the recorder', () => {
    const recorder = idOf(stack.functions.recordDeliveryReceipt);
    const api = new Set(Object.values(stack.operationsApi.functions).map(idOf));
    for (const [id, permission] of ofType('AWS::Lambda::Permission')) {
      const fn = permission.Properties.FunctionName['Fn::GetAtt'][0];
      const principal = permission.Properties.Principal;
      if (principal === 'apigateway.amazonaws.com') expect(api.has(fn), id).toBe(true);
      else if (fn === idOf(stack.emailFeedback)) {
        // SES bounces and complaints, through the configuration set's EventBridge rule only.
        expect(principal, id).toBe('events.amazonaws.com');
        expect(permission.Properties.SourceArn, id).toBeDefined();
      } else {
        expect(fn, id).toBe(recorder);
        expect(['sns.amazonaws.com', 'events.amazonaws.com', 'logs.amazonaws.com'], id).toContain(principal);
        expect(permission.Properties.SourceArn, id).toBeDefined();
      }
    }
    const invoked = roleStatements(idOf(stack.workflow.stateMachine.role))
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))
      .map((s) => (s.Resource as any[])[0]['Fn::GetAtt'][0]);
    expect(invoked.sort()).toEqual([stack.functions.advanceLoan, stack.functions.awaitEvent, stack.functions.flagForOperations].map(idOf).sort());
    // The anchor job: its schedule's role, and nothing else.
    const invokers = ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).some((st) => actionsOf(st).includes('lambda:InvokeFunction')))
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(idOf(stack.auditTrail.anchorFunction)))
      .flatMap(([, p]) => p.Properties.Roles.map((r: any) => r.Ref));
    expect(invokers).toEqual([idOf(stack.auditTrail.scheduleRole)]);
    // The retention job likewise.
    const retentionInvokers = ofType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.PolicyDocument.Statement as Statement[]).some((st) => actionsOf(st).includes('lambda:InvokeFunction')))
      .filter(([, p]) => JSON.stringify(p.Properties.PolicyDocument).includes(idOf(stack.retention.function)))
      .flatMap(([, p]) => p.Properties.Roles.map((r: any) => r.Ref));
    expect(retentionInvokers).toEqual([idOf(stack.retention.scheduleRole)]);
  });
});

describe('the unsubscribe link key', () => {
  const macKey = { 'Fn::GetAtt': [idOf(stack.unsubscribeLinks.key), 'Arn'] };

  it('signs only in AdvanceLoan and verifies only in the two unsubscribe routes', () => {
    const macActions = (fn: Parameters<typeof idOf>[0]) =>
      roleStatements(resources[idOf(fn)]!.Properties.Role['Fn::GetAtt'][0]).filter(
        (st) => actionsOf(st).some((a) => a.endsWith('Mac')) && JSON.stringify(st.Resource) === JSON.stringify(macKey),
      );
    expect(macActions(stack.functions.advanceLoan)).toEqual([expect.objectContaining({ Action: 'kms:GenerateMac', Resource: macKey })]);
    for (const [operationId, fn] of Object.entries(stack.operationsApi.functions)) {
      const expected =
        operationId === 'showUnsubscribe' || operationId === 'unsubscribe' ? [expect.objectContaining({ Action: 'kms:VerifyMac', Resource: macKey })] : [];
      expect(macActions(fn), operationId).toEqual(expected);
    }
  });
});

describe('the audit trail (infra/constructs/audit-trail.ts)', () => {
  const trail = stack.auditTrail;
  const headKeyArn = { 'Fn::GetAtt': [idOf(trail.headKey), 'Arn'] };
  const anchorKeyArn = { 'Fn::GetAtt': [idOf(trail.anchorKey), 'Arn'] };
  const roleOf = (fn: Parameters<typeof idOf>[0]) => resources[idOf(fn)]!.Properties.Role['Fn::GetAtt'][0] as string;
  // The retention job appends CONTACT_ANONYMISED to the chain, so it commits heads too.
  const committers = [roleOf(stack.functions.advanceLoan), roleOf(stack.functions.flagForOperations), roleOf(stack.retention.function)];
  const anchorRole = roleOf(trail.anchorFunction);
  const verifierRole = idOf(trail.verifierRole);
  /** Every role allowed `action` on `resource`, from every identity policy of the stack. */
  const rolesAllowed = (action: string, resource: unknown) =>
    ofType('AWS::IAM::Policy')
      .filter(([, p]) =>
        (p.Properties.PolicyDocument.Statement as Statement[]).some(
          (st) => st.Effect === 'Allow' && actionsOf(st).includes(action) && JSON.stringify(st.Resource) === JSON.stringify(resource),
        ),
      )
      .flatMap(([, p]) => p.Properties.Roles.map((r: any) => r.Ref as string))
      .sort();

  it('the heads are MACed with a KMS HMAC key of their own (not the unsubscribe key), retained', () => {
    expect(resources[idOf(trail.headKey)]!.Properties).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(idOf(trail.headKey)).not.toBe(idOf(stack.unsubscribeLinks.key));
    for (const fn of [stack.functions.advanceLoan, stack.functions.flagForOperations]) {
      expect(resources[idOf(fn)]!.Properties.Environment.Variables.AUDIT_KEY_ID).toEqual(headKeyArn);
    }
  });

  it('GenerateMac on it only for AdvanceLoan, FlagForOperations and the retention job; VerifyMac for them (the head they extend) and the verifier role', () => {
    expect(rolesAllowed('kms:GenerateMac', headKeyArn)).toEqual([...committers].sort());
    expect(rolesAllowed('kms:VerifyMac', headKeyArn)).toEqual([...committers, verifierRole].sort());
    // The key policy denies GenerateMac to every other principal, whatever IAM policies say (an admin's kms:*).
    const deny = (resources[idOf(trail.headKey)]!.Properties.KeyPolicy.Statement as Statement[]).find((st) => st.Effect === 'Deny')!;
    expect(deny).toEqual({
      Sid: 'GenerateMacOnlyByCommitters',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:GenerateMac',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': committers.map((role) => ({ 'Fn::GetAtt': [role, 'Arn'] })) } },
    });
  });

  it('anchors are signed with an asymmetric KMS key only the anchor job may sign with', () => {
    expect(resources[idOf(trail.anchorKey)]!.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(rolesAllowed('kms:Sign', anchorKeyArn)).toEqual([anchorRole]);
    const deny = (resources[idOf(trail.anchorKey)]!.Properties.KeyPolicy.Statement as Statement[]).find((st) => st.Effect === 'Deny')!;
    expect(deny).toMatchObject({ Action: 'kms:Sign', Condition: { ArnNotEquals: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [anchorRole, 'Arn'] }] } } });
  });

  it('go to a versioned bucket with Object Lock in compliance mode (7 years), private, TLS only, logged, retained', () => {
    const bucket = resources[idOf(trail.bucket)]!;
    expect(bucket.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: DEFAULT_ANCHOR_RETENTION_DAYS } } },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { LogFilePrefix: 'audit-anchors/' },
    });
    expect(DEFAULT_ANCHOR_RETENTION_DAYS).toBeGreaterThanOrEqual(7 * 365);
    expect(bucket.DeletionPolicy).toBe('Retain');
    const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === idOf(trail.bucket))!;
    expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });

  it('the anchor job: scans the heads only, signs, and puts objects under anchors/: no delete, no retention change anywhere in the stack', () => {
    const statements = roleStatements(anchorRole).filter((st) => actionsOf(st).some((a) => /^(s3|kms:Sign|dynamodb)/.test(a)));
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: { 'Fn::GetAtt': [idOf(stack.table.table), 'Arn'] }, Condition: AUDIT_HEAD_READER },
      { Effect: 'Allow', Action: 'kms:Sign', Resource: anchorKeyArn },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [idOf(trail.bucket), 'Arn'] }, '/anchors/*']] } },
    ]);
    const text = JSON.stringify(resources);
    for (const action of [
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:PutObjectRetention',
      's3:BypassGovernanceRetention',
      's3:PutBucketObjectLockConfiguration',
    ]) {
      expect(text, action).not.toContain(action);
    }
  });

  it('runs daily on EventBridge Scheduler, which may invoke the anchor job only', () => {
    const schedule = resources[idOf(trail.schedule)]!;
    expect(schedule.Type).toBe('AWS::Scheduler::Schedule');
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(15 2 * * ? *)',
      State: 'ENABLED',
      Target: { Arn: { 'Fn::GetAtt': [idOf(trail.anchorFunction), 'Arn'] } },
    });
  });

  it('the verifier role (audit:verify --region) reads and verifies, and can write nothing', () => {
    const actions = roleStatements(verifierRole).flatMap(actionsOf).sort();
    expect(actions).toEqual([
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:GetPublicKey',
      'kms:Verify',
      'kms:VerifyMac',
      's3:GetObject',
      's3:ListBucket',
    ]);
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
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
      }),
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
    expect(found[0]).toMatchObject({
      Threshold: 1,
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [idOf(stack.deadLetters.queue), 'QueueName'] } }],
    });
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
    const operations = found[0]!.Metrics.filter((m: any) => m.MetricStat).map(
      (m: any) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'Operation').Value,
    );
    expect(operations.sort()).toEqual([...TABLE_OPERATIONS].sort());
  });

  it('alarm on any 5xx of the operations API', () => {
    const found = metricAlarms('AWS/ApiGateway', '5xx');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Threshold: 1, Statistic: 'Sum', Dimensions: [{ Name: 'ApiId', Value: { Ref: idOf(stack.operationsApi.httpApi) } }] });
  });

  it('alarm at the SES bounce and complaint rates AWS puts an account under review at (5%, 0.1%)', () => {
    expect(SES_REVIEW_THRESHOLDS).toEqual({ bounceRate: 0.05, complaintRate: 0.001 });
    for (const [metric, threshold] of [
      ['Reputation.BounceRate', 0.05],
      ['Reputation.ComplaintRate', 0.001],
    ] as const) {
      const found = metricAlarms('AWS/SES', metric);
      expect(found, metric).toHaveLength(1);
      expect(found[0]).toMatchObject({ Threshold: threshold, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
      expect(found[0]!.Dimensions ?? []).toEqual([]);
    }
  });

  it('alarm on the failure rate of borrower SMS (direct publishes) over an hour with enough of them settled', () => {
    const found = alarms.filter((a) => a.Metrics?.some((m: any) => m.MetricStat?.Metric.MetricName === 'NumberOfNotificationsFailed'));
    expect(found).toHaveLength(1);
    const stats = found[0]!.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(stats.map((m: any) => m.Metric.MetricName).sort()).toEqual(['NumberOfNotificationsDelivered', 'NumberOfNotificationsFailed']);
    for (const stat of stats)
      expect(stat).toMatchObject({
        Metric: { Namespace: 'AWS/SNS', Dimensions: [{ Name: 'PhoneNumber', Value: 'PhoneNumberDirect' }] },
        Period: 3600,
        Stat: 'Sum',
      });
    const expression = found[0]!.Metrics.find((m: any) => m.Expression).Expression;
    expect(expression).toContain(`>= ${SMS_MIN_SETTLED}`);
    expect(expression).toContain('100 * failed / (failed + delivered)');
    expect(found[0]).toMatchObject({ Threshold: SMS_FAILURE_PERCENT, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it("alarm when the month's SMS spend passes 80% of the budget", () => {
    const found = metricAlarms('AWS/SNS', 'SMSMonthToDateSpentUSD');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ Threshold: 400, Statistic: 'Maximum', ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
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
