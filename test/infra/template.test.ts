import { App } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { stackPropsFromContext } from '../../infra/app.js';
import { synthesizeDefinition, synthesizeStack } from '../../infra/asl.js';
import { TABLE_SCHEMA } from '../../functions/adapters/table-schema.js';
import { ROUTES } from '../../functions/http/routes.js';

const { template, stack } = synthesizeStack();

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
const resourcesOfType = (type: string): [string, Resource][] =>
  Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) => r.Type === type);
const logicalIdOf = (construct: { node: { defaultChild?: unknown } }): string => stack.getLogicalId(construct.node.defaultChild as never);

describe('state machine', () => {
  it('is a Standard machine with X-Ray tracing', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      StateMachineName: 'loan-followup',
      TracingConfiguration: { Enabled: true },
    });
  });

  it('logs errors only and never the execution data (no personal data in logs)', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false, Destinations: Match.anyValue() },
    });
  });

  it('uses JSONPath only: no JSONata, no Assign, no Distributed Map', () => {
    const definition = synthesizeDefinition();
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      expect(record).not.toHaveProperty('Assign');
      if ('QueryLanguage' in record) expect(record.QueryLanguage).toBe('JSONPath');
      if (record.Type === 'Map') {
        expect(record).not.toHaveProperty('ItemReader');
        expect((record.ItemProcessor as any)?.ProcessorConfig?.Mode ?? 'INLINE').toBe('INLINE');
      }
      Object.values(record).forEach(walk);
    };
    walk(definition);
  });
});

describe('loan table', () => {
  it('has point-in-time recovery, on-demand billing, deletion protection and is retained', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
    });
  });

  it('has the keys, the gsi1 queue index and the TTL attribute of TABLE_SCHEMA', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: TABLE_SCHEMA.queueIndex.name,
          KeySchema: [
            { AttributeName: TABLE_SCHEMA.queueIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_SCHEMA.queueIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...TABLE_SCHEMA.queueIndex.nonKeyAttributes] },
        }),
      ],
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
    });
  });
});

describe('team topics', () => {
  it('are two encrypted topics', () => {
    const topics = resourcesOfType('AWS::SNS::Topic');
    expect(topics).toHaveLength(2);
    for (const [, topic] of topics) expect(topic.Properties.KmsMasterKeyId).toBeDefined();
  });

  it('deny publishing without TLS', () => {
    const policies = resourcesOfType('AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(2);
    for (const [, policy] of policies) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });
});

describe('functions', () => {
  const functions = resourcesOfType('AWS::Lambda::Function');

  it('are the four handlers (three of the workflow, the receipt recorder), the audit anchor job, the retention job, the SES feedback recorder and one per operations API route: no other way in', () => {
    expect(functions).toHaveLength(7 + ROUTES.length);
  });

  it('run Node.js 22 or 24 on arm64 with active tracing and the Powertools settings', () => {
    for (const [id, fn] of functions) {
      expect(fn.Properties.Runtime).toMatch(/^nodejs(22|24)\.x$/);
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
      // The anchor job scans the table once a day: 2 GB and 15 minutes (infra/constructs/audit-trail.ts).
      // The retention job too, with 1 GB (infra/constructs/contact-retention.ts).
      const anchorJob = id === logicalIdOf(stack.auditTrail.anchorFunction);
      const retentionJob = id === logicalIdOf(stack.retention.function);
      expect(fn.Properties.MemorySize).toBe(anchorJob ? 2048 : retentionJob ? 1024 : 256);
      expect(fn.Properties.Timeout).toBe(anchorJob || retentionJob ? 900 : 30);
      expect(fn.Properties.Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: 'loan-followup', NODE_OPTIONS: '--enable-source-maps' });
    }
  });

  it('each know the table', () => {
    for (const [, fn] of functions) expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
  });

  it('each log to their own log group kept for a year', () => {
    const groups = new Set(functions.map(([, fn]) => JSON.stringify(fn.Properties.LoggingConfig?.LogGroup)));
    expect(groups.size).toBe(7 + ROUTES.length);
    const retained = resourcesOfType('AWS::Logs::LogGroup').filter(([, g]) => g.Properties.RetentionInDays === 365);
    expect(retained.length).toBeGreaterThanOrEqual(7 + ROUTES.length);
  });

  it('that control executions know the state machine; AdvanceLoan also knows the topics and the sender', () => {
    const env = (construct: { node: { defaultChild?: unknown } }) =>
      (template.toJSON().Resources[logicalIdOf(construct)] as Resource).Properties.Environment.Variables;
    const fns = stack.functions;
    for (const fn of [
      fns.awaitEvent,
      stack.operationsApi.functions.onboardLoan,
      stack.operationsApi.functions.recordPayment,
      stack.operationsApi.functions.recordTaskOutcome,
    ]) {
      expect(env(fn).STATE_MACHINE_ARN).toBeDefined();
    }
    // AdvanceLoan never calls Step Functions (the machine invokes it), so it gets neither the ARN nor the access.
    expect(env(fns.advanceLoan).STATE_MACHINE_ARN).toBeUndefined();
    expect(env(fns.advanceLoan)).toMatchObject({
      SENDER_EMAIL: 'no-reply@example.com',
      SUPERVISORS_TOPIC_ARN: expect.anything(),
      LEGAL_TOPIC_ARN: expect.anything(),
    });
    expect(env(fns.flagForOperations)).toMatchObject({ SUPERVISORS_TOPIC_ARN: expect.anything() });
  });

  it('use no AWS managed policies', () => {
    for (const [, role] of resourcesOfType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('context', () => {
  it('defaults to example.com, loan-followup and no subscribers', () => {
    expect(stackPropsFromContext(new App())).toEqual({
      senderDomain: 'example.com',
      stateMachineName: 'loan-followup',
      supervisorEmails: [],
      supervisorPhones: [],
      legalEmails: [],
      legalPhones: [],
    });
  });

  it('reads the SMS budget the spend alarm watches, and refuses one that is not a positive number', () => {
    expect(stackPropsFromContext(new App({ context: { smsMonthlyBudgetUsd: '2000' } })).smsMonthlyBudgetUsd).toBe(2000);
    expect(stackPropsFromContext(new App()).smsMonthlyBudgetUsd).toBeUndefined();
    expect(() => stackPropsFromContext(new App({ context: { smsMonthlyBudgetUsd: 'lots' } }))).toThrow(
      'context smsMonthlyBudgetUsd: must be a positive number',
    );
  });

  it('reads comma-separated lists and JSON arrays', () => {
    const app = new App({ context: { supervisorEmails: 'a@example.com, b@example.com', legalPhones: ['+8613812345678'], legalEmails: '' } });
    expect(stackPropsFromContext(app)).toMatchObject({
      supervisorEmails: ['a@example.com', 'b@example.com'],
      legalPhones: ['+8613812345678'],
      legalEmails: [],
    });
  });
});
