import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { createFollowUpApp } from '../../infra/app.js';
import { synthesizeStack } from '../../infra/asl.js';

type Fn = { Properties: { Environment?: { Variables?: Record<string, unknown> }; Handler?: string } };
const pacingEnv = (template: Template) =>
  Object.values(template.findResources('AWS::Lambda::Function') as Record<string, Fn>)
    .map((f) => f.Properties.Environment?.Variables ?? {})
    .filter((vars) => 'PACING_SMS_PER_SECOND' in vars);

describe('the paced path in the template', () => {
  it('gives the sending function (AdvanceLoan, alone) its rates and identities', () => {
    const envs = pacingEnv(synthesizeStack().template);
    expect(envs).toHaveLength(1);
    expect(envs[0]).toMatchObject({
      PACING_SMS_PER_SECOND: '10',
      PACING_SMS_IDENTITY: 'default',
      PACING_EMAIL_PER_SECOND: '14',
      PACING_EMAIL_IDENTITY: 'no-reply@example.com',
    });
  });

  it('takes the rates from context (cdk.json or -c)', () => {
    const { stack } = createFollowUpApp({ nag: false, context: { 'aws:cdk:bundling-stacks': [], pacingSmsPerSecond: '3', pacingSmsIdentity: 'us-toll-free' } });
    expect(pacingEnv(Template.fromStack(stack))[0]).toMatchObject({ PACING_SMS_PER_SECOND: '3', PACING_SMS_IDENTITY: 'us-toll-free' });
  });

  it('noncompliant: a rate that is not a positive number stops the synth, naming the context key', () => {
    expect(() => createFollowUpApp({ nag: false, context: { 'aws:cdk:bundling-stacks': [], pacingEmailPerSecond: 'fast' } })).toThrow(
      /context pacingEmailPerSecond: must be a positive number/,
    );
  });
});
