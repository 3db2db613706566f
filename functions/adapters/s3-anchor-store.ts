import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { anchorName, type SignedAnchor } from '../../workflows/audit/audit-head.js';
import type { AnchorStore } from '../ports.js';
import { asTransient } from './transient-errors.js';

const PREFIX = 'anchors/';

/**
 * Anchors in the audit bucket (versioned, Object Lock in compliance mode by default: no one, the root user
 * included, can delete or overwrite a version before its retention ends). One object per run, named by its time.
 */
export class S3AnchorStore implements AnchorStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(anchor: SignedAnchor): Promise<string> {
    const key = `${PREFIX}${anchorName(anchor.at)}`;
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(anchor),
          ContentType: 'application/json',
          // Object Lock wants an integrity checksum on every put; a second anchor under the same name is refused.
          ChecksumAlgorithm: 'SHA256',
          IfNoneMatch: '*',
        }),
      );
    } catch (error) {
      throw asTransient(error);
    }
    return `s3://${this.bucket}/${key}`;
  }

  async latest(limit: number): Promise<{ location: string; anchor: SignedAnchor }[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PREFIX, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key?.endsWith('.json')) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    const newest = keys.sort().reverse().slice(0, limit);
    return Promise.all(
      newest.map(async (key) => {
        const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
        return { location: `s3://${this.bucket}/${key}`, anchor: JSON.parse(await object.Body!.transformToString()) as SignedAnchor };
      }),
    );
  }
}
