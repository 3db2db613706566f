// The unsubscribe link's MAC in AWS: KMS HMAC (the key never leaves KMS), mocked with aws-sdk-client-mock.
import { GenerateMacCommand, KMSClient, KMSInvalidMacException, VerifyMacCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsMacSigner } from '../../functions/adapters/kms-mac-signer.js';
import { TransientDependencyError } from '../../functions/errors.js';
import { createUnsubscribeLinks } from '../../functions/unsubscribe/unsubscribe-links.js';

const kms = mockClient(KMSClient);
const mac = Buffer.alloc(32, 7);
const links = () => createUnsubscribeLinks({ baseUrl: 'https://loans.example.com/', signer: new KmsMacSigner(new KMSClient({ region: 'eu-west-1' }), 'alias/unsubscribe') });

beforeEach(() => kms.reset());

describe('KmsMacSigner', () => {
  it('signs the loan id with HMAC_SHA_256 and puts the MAC in the link, base64url', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: mac });
    const link = await links().linkFor('L-1');
    expect(link).toBe(`https://loans.example.com/api/unsubscribe?loan=L-1&sig=${mac.toString('base64url')}`);
    const input = kms.commandCalls(GenerateMacCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ KeyId: 'alias/unsubscribe', MacAlgorithm: 'HMAC_SHA_256' });
    expect(Buffer.from(input.Message!).toString()).toBe('unsubscribe:v1:EMAIL:L-1');
  });

  it('verifies with KMS, and answers false (not an error) for a MAC KMS rejects or one of the wrong length', async () => {
    kms.on(VerifyMacCommand).resolvesOnce({ MacValid: true }).rejectsOnce(new KMSInvalidMacException({ message: 'invalid', $metadata: {} }));
    expect(await links().verify('L-1', mac.toString('base64url'))).toBe(true);
    expect(await links().verify('L-1', mac.toString('base64url'))).toBe(false);
    expect(await links().verify('L-1', 'short')).toBe(false);
    expect(kms.commandCalls(VerifyMacCommand)).toHaveLength(2);
  });

  it('turns KMS throttling into a TransientDependencyError the state machine retries', async () => {
    kms.on(GenerateMacCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(links().linkFor('L-1')).rejects.toBeInstanceOf(TransientDependencyError);
  });
});
