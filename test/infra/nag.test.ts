import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createFollowUpApp } from '../../infra/app.js';

// cdk-nag 3 is a policy-validation plugin (not an Aspect emitting annotations): its report is read directly.
const { app, stack } = createFollowUpApp({ context: { 'aws:cdk:bundling-stacks': [] } });

const describeViolations = (report: ReturnType<AwsSolutionsChecks['validateScope']>) =>
  report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

function acknowledgments(): { path: string; id: string; reason: string }[] {
  return stack.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason }))),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('compliant: no errors and no warnings', () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(stack);
    expect(describeViolations(report)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('compliant: synth with the pack attached succeeds (what `cdk synth` runs)', () => {
    expect(() => app.synth()).not.toThrow();
  });

  it('every acknowledgment gives a specific reason (at least 10 characters)', () => {
    const found = acknowledgments();
    expect(found.length).toBeGreaterThan(0);
    for (const { path, id, reason } of found) expect(reason.trim().length, `${id} on ${path}`).toBeGreaterThanOrEqual(10);
  });

  it('acknowledges only the expected findings', () => {
    const ids = new Set(acknowledgments().map((a) => a.id.replace(/^annotation::/i, '').replace(/<[^>]+>/, '<fn>')));
    expect([...ids].sort()).toEqual(['AwsSolutions-IAM5[Resource::*]', 'AwsSolutions-IAM5[Resource::<fn>:*]', 'AwsSolutions-L1', 'AwsSolutions-SF1']);
  });

  it('noncompliant: a topic that accepts publishing without TLS is reported (the pack is live)', () => {
    const scratch = new Stack(new App(), 'Scratch');
    new sns.Topic(scratch, 'PlainTopic');
    const report = new AwsSolutionsChecks(scratch).validateScope(scratch);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-SNS3');
  });
});
