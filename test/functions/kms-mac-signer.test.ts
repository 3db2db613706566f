// The unsubscribe link's MAC in AWS: KMS HMAC (the key never leaves KMS), mocked with aws-sdk-client-mock.
import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsMacSigner } from '../../functions/adapters/kms-mac-signer.js';
import { TransientDependencyError } from '../../functions/errors.js';
import { createUnsubscribeLinks } from '../../functions/unsubscribe/unsubscribe-links.js';

const kms = mockClient(KMSClient);
const mac = Buffer.alloc(32, 7);
const links = () =>
  createUnsubscribeLinks({ baseUrl: 'https://loans.example.com/', signer: new KmsMacSigner(new KMSClient({ region: 'eu-west-1' }), 'alias/unsubscribe') });

beforeEach(() => kms.reset());

describe('KmsMacSigner', () => {
  const expiresAt = new Date('2026-03-06T03:00:00Z');
  const exp = String(expiresAt.getTime() / 1000);
  const before = new Date('2026-03-06T02:59:59Z');

  it('signs the loan id and the expiry with HMAC_SHA_256 and puts both in the link, the MAC base64url', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: mac });
    const link = await links().linkFor('L-1', expiresAt);
    expect(link).toBe(`https://loans.example.com/api/unsubscribe?loan=L-1&exp=${exp}&sig=${mac.toString('base64url')}`);
    const input = kms.commandCalls(GenerateMacCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: 'alias/unsubscribe', MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(input.Message!).toString()).toBe(`unsubscribe:v2:EMAIL:L-1:${exp}`);
  });

  it('verifies with KMS, and answers forged (not an error) for a MAC KMS rejects or one of the wrong length', async () => {
    kms
      .on(VerifyMacCommand)
      .resolvesOnce({ MacValid: true })
      .rejectsOnce(new KMSInvalidMacException({ message: 'invalid', $metadata: {} }));
    const sig = mac.toString('base64url');
    expect(await links().check({ loan: 'L-1', exp, sig }, before)).toBe('valid');
    expect(await links().check({ loan: 'L-1', exp, sig }, before)).toBe('forged');
    expect(await links().check({ loan: 'L-1', exp, sig: 'short' }, before)).toBe('forged');
    expect(kms.commandCalls(VerifyMacCommand)).toHaveLength(2);
    expect(Buffer.from(kms.commandCalls(VerifyMacCommand)[0]!.args[0].input.Message!).toString()).toBe(`unsubscribe:v2:EMAIL:L-1:${exp}`);
  });

  it('a link whose MAC checks out is expired from its exp on; a v1 link (no exp, from before links expired) is expired too', async () => {
    kms.on(VerifyMacCommand).resolves({ MacValid: true });
    const sig = mac.toString('base64url');
    expect(await links().check({ loan: 'L-1', exp, sig }, expiresAt)).toBe('expired');
    expect(await links().check({ loan: 'L-1', sig }, before)).toBe('expired');
    expect(Buffer.from(kms.commandCalls(VerifyMacCommand)[1]!.args[0].input.Message!).toString()).toBe('unsubscribe:v1:EMAIL:L-1');
  });

  it('turns KMS throttling into a TransientDependencyError the state machine retries', async () => {
    kms.on(GenerateMacCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(links().linkFor('L-1', expiresAt)).rejects.toBeInstanceOf(TransientDependencyError);
  });
});
