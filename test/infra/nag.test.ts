import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createFollowUpApp } from '../../infra/app.js';

// cdk-nag 3 is a policy-validation plugin (not an Aspect emitting annotations): its report is read directly.
const { app, stack, edge } = createFollowUpApp({ context: { 'aws:cdk:bundling-stacks': [] } });

const describeViolations = (report: ReturnType<AwsSolutionsChecks['validateScope']>) =>
  report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

/** The packs `cdk synth` runs (infra/app.ts). */
const PACKS = [
  { name: 'AwsSolutions', create: (scope: App) => new AwsSolutionsChecks(scope, { verbose: true }) },
  { name: 'Serverless', create: (scope: App) => new ServerlessChecks(scope, { verbose: true }) },
];

function acknowledgments(): { path: string; id: string; reason: string }[] {
  return stack.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
    );
}

describe('cdk-nag AwsSolutions and Serverless', () => {
  it.each(PACKS)('compliant: no errors and no warnings from $name', ({ create }) => {
    const report = create(app).validateScope(stack);
    expect(describeViolations(report)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it.each(PACKS)('compliant: no errors and no warnings from $name in the us-east-1 stack of the web ACL', ({ create }) => {
    expect(describeViolations(create(app).validateScope(edge))).toEqual([]);
  });

  it.each(PACKS)('compliant: $name with email and SMS subscribers on both topics (their redrive policy)', ({ create }) => {
    const contacts = {
      supervisorEmails: 'ops@example.com',
      supervisorPhones: '+8613800000000',
      legalEmails: 'legal@example.com',
      legalPhones: '+8613900000000',
    };
    const subscribed = createFollowUpApp({ nag: false, context: { 'aws:cdk:bundling-stacks': [], ...contacts } });
    expect(describeViolations(create(subscribed.app).validateScope(subscribed.stack))).toEqual([]);
  });

  it('compliant: synth with the pack attached succeeds (what `cdk synth` runs)', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('every acknowledgment gives a specific reason (at least 10 characters)', () => {
    const found = acknowledgments();
    expect(found.length).toBeGreaterThan(0);
    for (const { path, id, reason } of found) expect(reason.trim().length, `${id} on ${path}`).toBeGreaterThanOrEqual(10);
  });

  it('no acknowledgment claims the API needs a token for every request (the unsubscribe link needs none)', () => {
    for (const { path, id, reason } of acknowledgments())
      expect(reason, `${id} on ${path}`).not.toMatch(/every request without a Cognito token|authorizes every request/i);
  });

  it('acknowledges only the expected findings', () => {
    const ids = new Set(acknowledgments().map((a) => a.id.replace(/^annotation::/i, '').replace(/<[^>]+>/, '<fn>')));
    expect([...ids].sort()).toEqual([
      // The borrowers' unsubscribe link: public by design, its KMS HMAC checked by the handler.
      'AwsSolutions-APIG4',
      // The console's CDN and its log bucket (infra/constructs/console-site.ts). CFR2 (WAF) is met: the web ACL
      // of the us-east-1 stack (infra/constructs/console-firewall.ts) is on the distribution.
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR4',
      'AwsSolutions-IAM5[Resource::*]',
      // The audit anchors: one object a day under anchors/, put by the anchor job, read by the verifier.
      'AwsSolutions-IAM5[Resource::<fn>/anchors/*]',
      'AwsSolutions-IAM5[Resource::<fn>:*]',
      // CheckNextGeneration: DescribeExecution on this machine's executions (the loan's is named at run time).
      'AwsSolutions-IAM5[Resource::arn:<fn>:states:<AWS::Region>:<AWS::AccountId>:execution:loan-followup:*]',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SF1',
      // CDK's own, on the ACL the CloudFront log bucket needs.
      'CloudFormation-Validate::W3045',
      'Serverless-EventBusDLQ',
      'Serverless-LambdaLatestVersion',
      'Serverless-SQSRedrivePolicy',
    ]);
  });

  it('noncompliant: a topic that accepts publishing without TLS is reported (the pack is live)', () => {
    const scratch = new Stack(new App(), 'Scratch');
    new sns.Topic(scratch, 'PlainTopic');
    const report = new AwsSolutionsChecks(scratch).validateScope(scratch);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-SNS3');
  });

  it('noncompliant: a queue without a redrive policy is reported by Serverless (the pack is live)', () => {
    const scratch = new Stack(new App(), 'Scratch');
    new sqs.Queue(scratch, 'PlainQueue');
    const report = new ServerlessChecks(scratch).validateScope(scratch);
    expect(report.violations.map((v) => v.ruleName)).toContain('Serverless-SQSRedrivePolicy');
  });
});
