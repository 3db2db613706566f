// Namespace import: lets esbuild drop zod's locales from the Lambda bundles (450 KB -> 85 KB).
import * as z from 'zod';
import { BORROWER_TYPES, FINDINGS, PRODUCTS, RISK_RATINGS } from '../domain/types.js';

const int = (min: number, max: number) =>
  z
    .number()
    .int('Number must be a whole number')
    .min(min, `Number must be greater than or equal to ${min}`)
    .max(max, `Number must be less than or equal to ${max}`);

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:mm, e.g. 09:00');
const dpdList = z.array(int(1, 3650));
const findings = z.array(z.enum(FINDINGS));

const ascending = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]!);

/** One product's follow-up rules. Every number the rules use lives here, none in the code. */
export const policySchema = z
  .object({
    product: z.enum(PRODUCTS),
    version: z.string().min(1, 'must not be empty'),
    firstContact: z
      .object({
        withinDays: int(1, 30),
        maxRequeues: int(0, 10),
        requeuePriorityStep: int(1, 10),
      })
      .strict(),
    checks: z
      .object({
        day30: int(1, 365),
        day60: int(1, 365),
        completeWithinDays: int(1, 30),
      })
      .strict(),
    periodic: z
      .object({
        intervalMonths: z.object({ low: int(1, 12), medium: int(1, 12), high: int(1, 12) }).strict(),
        anomalyIntervalDays: int(1, 90),
        anomalyDurationMonths: int(1, 24),
        fieldVisit: z
          .object({
            riskRatings: z.array(z.enum(RISK_RATINGS)),
            borrowerTypes: z.array(z.enum(BORROWER_TYPES)),
            intervalMonths: int(1, 12),
          })
          .strict(),
        completeWithinDays: int(1, 30),
      })
      .strict(),
    anomalyFindings: findings,
    reminders: z
      .object({
        daysBefore: int(1, 15),
        dueDaySms: z.boolean(),
        localTime,
      })
      .strict(),
    tasks: z
      .object({
        localTime,
        basePriority: int(0, 10_000),
      })
      .strict(),
    overdue: z
      .object({
        noticeDpd: int(1, 30),
        collectionDpd: dpdList,
        followupSmsDpd: dpdList,
        consecutiveLateForPrimary: int(2, 6),
        legalReferralDpd: int(1, 3650),
      })
      .strict(),
    escalation: z
      .object({
        intermediateFindings: findings,
        advancedFindings: findings,
        collateralReviewFrom: z.enum(['INTERMEDIATE', 'ADVANCED']).nullable(),
      })
      .strict(),
    classification: z
      .object({
        specialMentionMaxDpd: int(1, 3650),
        substandardMaxDpd: int(1, 3650),
        doubtfulMaxDpd: int(1, 3650),
      })
      .strict(),
    handover: z
      .object({
        maxAgeDays: int(30, 360),
        maxIterations: int(100, 5000),
      })
      .strict(),
    contact: z
      .object({
        supportPhone: z.string().regex(/^\+?[0-9][0-9 -]{2,19}$/, 'must be a phone number of digits, spaces and "-"'),
        supportEmail: z.email('must be an email address'),
      })
      .strict(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { checks, overdue, classification: c } = policy;
    if (checks.day60 <= checks.day30) issue(['checks', 'day60'], `must be greater than checks.day30 (${checks.day30})`);
    if (!ascending(overdue.collectionDpd)) issue(['overdue', 'collectionDpd'], 'must be strictly ascending');
    if (!ascending(overdue.followupSmsDpd)) issue(['overdue', 'followupSmsDpd'], 'must be strictly ascending');
    const lastCollection = overdue.collectionDpd.at(-1);
    if (lastCollection !== undefined && overdue.legalReferralDpd < lastCollection) {
      issue(['overdue', 'legalReferralDpd'], `must be at least the last overdue.collectionDpd (${lastCollection})`);
    }
    if (c.substandardMaxDpd <= c.specialMentionMaxDpd) {
      issue(['classification', 'substandardMaxDpd'], `must be greater than classification.specialMentionMaxDpd (${c.specialMentionMaxDpd})`);
    }
    if (c.doubtfulMaxDpd <= c.substandardMaxDpd) {
      issue(['classification', 'doubtfulMaxDpd'], `must be greater than classification.substandardMaxDpd (${c.substandardMaxDpd})`);
    }
  });

export type FollowUpPolicy = z.infer<typeof policySchema>;
