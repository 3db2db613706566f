// The AWS quotas the design meets, as data (aws-quotas.json), checked on load: a malformed file fails with
// the path of the field that is wrong, before anything is simulated.
import { readFileSync } from 'node:fs';
import * as z from 'zod';

const positive = z.number().positive();
const bucketSchema = z.strictObject({ burst: positive, refillPerSecond: positive });
/** A plain figure, a token bucket, or either by Region (the big three Regions and elsewhere). */
const figureSchema = z.union([positive, bucketSchema]);
const valueSchema = z.union([figureSchema, z.strictObject({ bigThree: figureSchema, elsewhere: figureSchema })]);

const quotaSchema = z.strictObject({
  service: z.string().min(1),
  name: z.string().min(1),
  value: valueSchema,
  unit: z.string().min(1),
  raisable: z.boolean(),
  source: z.string().url(),
  /** `documented`: read on the AWS page named in `source`; `check`: a secondary source only, confirm it. */
  confidence: z.enum(['documented', 'check']),
  note: z.string(),
});

/** Every quota the design meets; each key must be present (the capacity run and the docs name them). */
export const QUOTA_IDS = [
  'sfnOpenExecutions',
  'sfnStartExecution',
  'sfnStateTransitions',
  'sfnSendTaskSuccess',
  'sfnHistoryEvents',
  'sfnExecutionDuration',
  'sfnPayload',
  'sfnExecutionNameReuse',
  'sfnRedriveWindow',
  'lambdaConcurrency',
  'lambdaSyncPayload',
  'smsUsTollFree',
  'smsUs10dlc',
  'smsUsShortCode',
  'smsLongCodeOther',
  'smsSandbox',
  'sesSendRate',
  'sesDailyQuota',
  'sesBounceRate',
  'sesComplaintRate',
  'dynamodbPartitionWrites',
  'dynamodbPartitionReads',
  'dynamodbTableWrites',
  'dynamodbTableReads',
  'schedulerSchedules',
] as const;
export type QuotaId = (typeof QUOTA_IDS)[number];

const smsIdentity = z.enum(['smsUsTollFree', 'smsUs10dlc', 'smsUsShortCode', 'smsLongCodeOther']);

const quotaFileSchema = z.strictObject({
  about: z.string(),
  checkedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date'),
  bigThreeRegions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a Region code such as us-east-1')).min(1),
  quotas: z.strictObject(Object.fromEntries(QUOTA_IDS.map((id) => [id, quotaSchema])) as Record<QuotaId, typeof quotaSchema>),
  smsIdentities: z.strictObject({
    /** Destination country (ISO 3166 code) to the quota of the origination identity that sends there. */
    byCountry: z.record(z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code'), smsIdentity),
    otherCountries: smsIdentity,
    assumption: z.string(),
  }),
});

export type QuotaFile = z.infer<typeof quotaFileSchema>;
export type Quota = z.infer<typeof quotaSchema>;
export type Bucket = z.infer<typeof bucketSchema>;
export type SmsIdentity = z.infer<typeof smsIdentity>;

export const QUOTA_FILE = new URL('./aws-quotas.json', import.meta.url);

export class QuotaFileError extends Error {
  override name = 'QuotaFileError';
}

/** Reads and checks the quota file; the error names the file and each wrong field by its path. */
export function loadQuotas(file: string | URL = QUOTA_FILE): QuotaFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new QuotaFileError(`${String(file)}: not a readable JSON file (${(error as Error).message})`);
  }
  const parsed = quotaFileSchema.safeParse(json);
  if (!parsed.success) throw new QuotaFileError(`${String(file)}: ${parsed.error.issues.flatMap((i) => describeIssue(i, [])).join('; ')}`);
  return parsed.data;
}

type Issue = z.core.$ZodIssue;

/** How far into the value a branch's issues got: the deepest path, through nested unions. */
function depth(issues: readonly Issue[]): number {
  return Math.max(0, ...issues.map((i) => i.path.length + (i.code === 'invalid_union' ? Math.max(0, ...i.errors.map(depth)) : 0)));
}

/**
 * `path: message` for an issue. A value that matches none of a union's shapes (a figure, a bucket, a figure
 * by Region) is reported through the shape it came closest to, so the message names the wrong field
 * (`quotas.sfnStartExecution.value.bigThree.refillPerSecond`), not only the value.
 */
function describeIssue(issue: Issue, prefix: PropertyKey[]): string[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const closest = issue.errors.reduce((best, branch) => (depth(branch) > depth(best) ? branch : best));
    if (depth(closest) > 0) return closest.flatMap((i) => describeIssue(i, path));
  }
  // A strict object names its unexpected keys in the message, not the path.
  return [`${path.length === 0 ? '(top level)' : path.map(String).join('.')}: ${issue.message}`];
}

/** A Region's figure of a quota: the big-three or the elsewhere variant where the quota has both. */
export function figureFor(quota: Quota, region: string, bigThree: readonly string[]): number | Bucket {
  const value = quota.value;
  if (typeof value === 'number' || 'burst' in value) return value;
  return bigThree.includes(region) ? value.bigThree : value.elsewhere;
}

/** The sustained rate of a figure: a bucket's refill, or the figure itself. */
export function sustained(figure: number | Bucket): number {
  return typeof figure === 'number' ? figure : figure.refillPerSecond;
}

/** `300 calls/s (burst 1,300)` or `1,000 concurrent executions`. */
export function describeFigure(figure: number | Bucket, unit: string): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return typeof figure === 'number' ? `${n(figure)} ${unit}` : `${n(figure.refillPerSecond)} ${unit} (burst ${n(figure.burst)})`;
}
