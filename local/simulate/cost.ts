// The forecast AWS bill: usage counted in a run, times the price table in aws-prices.json.
import { readFileSync } from 'node:fs';
import * as z from 'zod';

const price = z.number().nonnegative();
const source = z.string().url();

const priceTableSchema = z.object({
  about: z.string(),
  checkedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date'),
  region: z.string(),
  currency: z.literal('USD'),
  stepFunctions: z.object({ source, standardPerThousandTransitions: price }),
  lambda: z.object({
    source,
    perMillionRequests: price,
    arm64PerGbSecond: price,
    memoryMb: z.number().positive(),
    assumedAverageDurationMs: z.number().positive(),
    assumption: z.string(),
  }),
  dynamodb: z.object({ source, perMillionWriteRequestUnits: price, perMillionReadRequestUnits: price, assumption: z.string() }),
  sms: z.object({ source, perMessageByCountry: z.record(z.string(), price), otherCountries: price, assumption: z.string() }),
  ses: z.object({ source, perThousandEmails: price }),
  sns: z.object({ source, perMillionPublishes: price, assumption: z.string() }),
});

export type PriceTable = z.infer<typeof priceTableSchema>;

export const PRICE_FILE = new URL('./aws-prices.json', import.meta.url);

export function loadPrices(file: string | URL = PRICE_FILE): PriceTable {
  const parsed = priceTableSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${String(file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface CountedUsage {
  stateTransitions: number;
  lambdaInvocations: number;
  dynamoReads: number;
  dynamoWrites: number;
  /** SMS by destination country (ISO 3166 code). */
  sms: Record<string, number>;
  emails: number;
  teamPublishes: number;
}

export interface CostForecast {
  stepFunctions: number;
  lambdaRequests: number;
  lambdaCompute: number;
  dynamodbReads: number;
  dynamodbWrites: number;
  sms: number;
  email: number;
  sns: number;
  /** What runs the workflow (Step Functions, Lambda, DynamoDB, topic publishes), without the messages. */
  platform: number;
  total: number;
}

export function forecastCost(usage: CountedUsage, prices: PriceTable): CostForecast {
  const gbSeconds = usage.lambdaInvocations * (prices.lambda.assumedAverageDurationMs / 1000) * (prices.lambda.memoryMb / 1024);
  const smsCost = Object.entries(usage.sms).reduce((sum, [country, n]) => sum + n * (prices.sms.perMessageByCountry[country] ?? prices.sms.otherCountries), 0);
  const parts = {
    stepFunctions: (usage.stateTransitions / 1000) * prices.stepFunctions.standardPerThousandTransitions,
    lambdaRequests: (usage.lambdaInvocations / 1e6) * prices.lambda.perMillionRequests,
    lambdaCompute: gbSeconds * prices.lambda.arm64PerGbSecond,
    dynamodbReads: (usage.dynamoReads / 1e6) * prices.dynamodb.perMillionReadRequestUnits,
    dynamodbWrites: (usage.dynamoWrites / 1e6) * prices.dynamodb.perMillionWriteRequestUnits,
    sms: smsCost,
    email: (usage.emails / 1000) * prices.ses.perThousandEmails,
    sns: (usage.teamPublishes / 1e6) * prices.sns.perMillionPublishes,
  };
  const platform = parts.stepFunctions + parts.lambdaRequests + parts.lambdaCompute + parts.dynamodbReads + parts.dynamodbWrites + parts.sns;
  return { ...parts, platform, total: platform + parts.sms + parts.email };
}

/** `$0.0123`, with enough digits to see a per-loan figure. */
export function usd(amount: number): string {
  if (amount === 0) return '$0';
  const digits = amount >= 100 ? 0 : amount >= 1 ? 2 : Math.min(6, 2 - Math.floor(Math.log10(amount)));
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}
