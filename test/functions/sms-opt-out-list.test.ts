// The provider's SMS opt-out list (a borrower who replied STOP / 回T) is honoured before anything is sent.
import { Logger } from '@aws-lambda-powertools/logger';
import { CheckIfPhoneNumberIsOptedOutCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryLoanStore } from '../../local/adapters/memory-loan-store.js';
import { SnsSmsSender } from '../../functions/adapters/sns-sms-sender.js';
import { createAdvanceLoanHandler } from '../../functions/advance-loan.js';
import { TransientDependencyError } from '../../functions/errors.js';
import { onboardLoan } from '../../functions/onboard-loan.js';
import type { WorkflowControl } from '../../functions/ports.js';
import { outboxSenders, type OutboxEntry } from '../../local/outbox-senders.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import { loanRequest } from '../support/loans.js';
import { testPacer } from '../support/test-pacer.js';
import { testAuditSigner } from '../support/test-audit-signer.js';
import { testUnsubscribeLinks } from '../support/test-unsubscribe-links.js';

const context = { functionName: 'test', awsRequestId: 'r1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
const policies = loadAllPolicies();
const workflow: WorkflowControl = { startExecution: async () => ({ executionArn: 'arn:local', alreadyRunning: false }), sendTaskSuccess: async () => 'STALE' };
const sns = mockClient(SNSClient);

beforeEach(() => sns.reset());

describe('SnsSmsSender.isOptedOut', () => {
  it('asks SNS whether the number is on the opt-out list', async () => {
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).resolves({ isOptedOut: true });
    expect(await new SnsSmsSender(new SNSClient({ region: 'eu-west-1' })).isOptedOut('+8613800000001')).toBe(true);
    expect(sns.commandCalls(CheckIfPhoneNumberIsOptedOutCommand)[0]!.args[0].input).toEqual({ phoneNumber: '+8613800000001' });
  });

  it('turns throttling into a TransientDependencyError (never a guess that the number may be texted)', async () => {
    sns.on(CheckIfPhoneNumberIsOptedOutCommand).rejects(Object.assign(new Error('slow'), { name: 'Throttling' }));
    await expect(new SnsSmsSender(new SNSClient({ region: 'eu-west-1' })).isOptedOut('+8613800000001')).rejects.toBeInstanceOf(TransientDependencyError);
  });
});

describe('a number on the opt-out list', () => {
  it('noncompliant: gets no SMS; the email still goes, the suppression is recorded and SMS stays off for the loan', async () => {
    const request = loanRequest({ loanId: 'STOP-1', termMonths: 6 });
    const outbox: OutboxEntry[] = [];
    const store = new MemoryLoanStore();
    const clock = () => new Date('2026-01-05T02:00:00.000Z');
    const ports = {
      store,
      clock,
      logger: new Logger({ logLevel: 'SILENT' }),
      workflow,
      policies: (p: keyof typeof policies) => policies[p],
      unsubscribe: testUnsubscribeLinks(),
      auditSigner: testAuditSigner(),
      pacer: testPacer(),
      ...outboxSenders({ append: (e) => void outbox.push(e) }, clock, { smsOptOuts: new Set([request.phone]) }),
    };
    await onboardLoan(ports)(request);
    await createAdvanceLoanHandler(ports)({ loanId: 'STOP-1', generation: 0, iteration: 0 }, context);
    expect(outbox.map((m) => `${m.channel}:${m.purpose}`)).toEqual(['EMAIL:WELCOME']);
    const held = (await store.listTimeline('STOP-1')).filter((e) => e.type === 'CONTACT_SUPPRESSED');
    expect(held).toMatchObject([{ channel: 'SMS', purpose: 'WELCOME', reason: 'SMS_OPT_OUT_LIST' }]);
    expect((await store.getSnapshot('STOP-1'))!.state.optedOut).toEqual(['SMS']);
  });
});
