// Schemas of what the operations API reads from the query string and answers with. Request bodies are the
// handlers' own schemas (functions/schemas.ts); these are the rest, and the OpenAPI document is built from both.
import * as z from 'zod';
import {
  CALL_OUTCOMES,
  CLASSIFICATIONS,
  CLOSE_REASONS,
  FINDINGS,
  LOCALES,
  PHASES,
  PRODUCTS,
  REVIEW_DECISIONS,
  RISK_RATINGS,
  TASK_PURPOSES,
  TASK_QUEUE_IDS,
  WARNING_LEVELS,
  COLLATERAL_CONDITIONS,
  COLLATERAL_TYPES,
} from '../../workflows/domain/types.js';
import { loanIdSchema } from '../schemas.js';

/** A comma-separated list in a query parameter, each item checked. */
const listOf = <T extends string>(values: readonly [T, ...T[]], what: string) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0),
    )
    .pipe(z.array(z.enum(values, { message: `must be ${what}: ${values.join(', ')}` })).min(1, `must name at least one ${what}`));

export const taskQueueQuerySchema = z
  .object({
    queue: listOf(TASK_QUEUE_IDS, 'queue')
      .optional()
      .describe(`comma-separated: ${TASK_QUEUE_IDS.join(', ')}; collection calls are in the queue of their tier`),
    purpose: listOf(TASK_PURPOSES, 'purpose').optional().describe('comma-separated task purposes'),
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(200),
  })
  .strict();

const iso = z.string().describe('ISO 8601 instant');
const money = z.number().describe('major units (yuan, dollars), 2 decimals');
const localDay = z.string().describe('a date YYYY-MM-DD in the borrower’s time zone');

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string(),
  errors: z.array(z.object({ field: z.string(), reason: z.string() })),
});

export const contactNowSchema = z
  .object({
    allowed: z.boolean(),
    reasons: z.array(z.string()).describe('why not, rule by rule'),
    retryAt: iso.nullable().describe('when contacting is allowed again; null when not foreseeable'),
  })
  .describe('whether contacting the borrower now is allowed by the compliance pack of their time zone');

export const queuedTaskSchema = z.object({
  taskId: z.string(),
  loanId: z.string(),
  purpose: z.enum(TASK_PURPOSES),
  queue: z.enum(TASK_QUEUE_IDS).describe('the queue the task is in (collection calls: by tier of days past due)'),
  priority: z.number(),
  createdAt: iso,
  dueBy: iso,
  heldUntil: iso.nullable().describe('the compliance gate held the call back until then when the task was created'),
  overdue: z.boolean(),
  requeues: z.number().int(),
  attempts: z.number().int(),
  lastAttemptAt: iso.nullable(),
  product: z.enum(PRODUCTS),
  riskRating: z.enum(RISK_RATINGS).describe('the loan’s rating now (after any re-rating)'),
  warningLevel: z.enum(WARNING_LEVELS),
  classification: z.enum(CLASSIFICATIONS),
  adHoc: z.boolean().describe('added by hand (POST /api/loans/{id}/tasks)'),
  note: z.string().nullable().describe('the plain-text note of a task added by hand'),
  dpd: z.number().int().describe('days past due of the oldest unpaid instalment'),
  timezone: z.string(),
  locale: z.enum(LOCALES),
  borrowerLocalTime: z.string().describe('now in the borrower’s time zone, with its offset'),
  contactNow: contactNowSchema.nullable().describe('null for staff reviews, which contact nobody'),
  promiseLatestDate: localDay.nullable().describe('the latest date a promise to pay may name (policy promises.maxDaysAhead); null for staff tasks'),
  recallEarliestDate: localDay
    .nullable()
    .describe('on a RECALL_REVIEW or PRE_LEGAL_REVIEW, the earliest date a recall may set (policy recall.minNoticeDays); null otherwise'),
  recallLatestDate: localDay
    .nullable()
    .describe('on a RECALL_REVIEW or PRE_LEGAL_REVIEW, the latest date a recall may set (policy recall.maxNoticeDays); null otherwise'),
});

export const taskQueueResponseSchema = z.object({
  now: iso,
  queues: z.array(z.enum(TASK_QUEUE_IDS)).describe('the queues the caller works'),
  tasks: z.array(queuedTaskSchema),
});

const timelineEventSchema = z
  .object({ loanId: z.string(), at: iso, type: z.string(), key: z.string(), by: z.string().optional() })
  .catchall(z.unknown())
  .describe('a timeline record as stored; amounts in minor units (fen, cents)');

const nextActionSchema = z.object({
  kind: z.enum(['MESSAGE', 'TASK', 'TASK_REQUEUED', 'TASK_CANCELLED', 'TEAM', 'WARNING', 'CLASSIFICATION', 'LEGAL_REFERRAL', 'CLOSE', 'SUPPRESSED']),
  purpose: z.string().optional(),
  channel: z.string().optional(),
  detail: z.string().optional(),
});

export const loanViewResponseSchema = z.object({
  now: iso,
  loan: z.object({
    loanId: z.string(),
    product: z.enum(PRODUCTS),
    riskRating: z.enum(RISK_RATINGS),
    borrowerType: z.string(),
    principal: money,
    annualRate: z.number(),
    termMonths: z.number().int(),
    disbursedAt: iso,
    timezone: z.string(),
    locale: z.enum(LOCALES),
    onboardedBy: z.string().optional(),
  }),
  contact: z.object({ phone: z.string(), email: z.string() }).nullable(),
  collateral: z
    .object({
      type: z.enum(COLLATERAL_TYPES),
      make: z.string().nullable(),
      model: z.string().nullable(),
      plate: z.string().nullable().describe('a vehicle’s licence plate (kept with the contact: personal data)'),
      vin: z.string().nullable(),
      description: z.string().nullable().describe('another collateral’s description (kept with the contact)'),
      value: money.describe('the latest valuation (major units)'),
      valuedAt: localDay,
      condition: z.enum(COLLATERAL_CONDITIONS).nullable().describe('what the last inspection found; null before the first'),
      ltv: z.number().nullable().describe('outstanding principal / value now; null when the collateral is worth nothing'),
      maxLtv: z.number().describe('the policy’s threshold: above it a revaluation is a shortfall'),
      onboardingValue: money,
      nextReviewAt: iso.nullable().describe('the next periodic COLLATERAL_REVIEW'),
    })
    .nullable()
    .describe('what secures the loan; null for an unsecured loan'),
  status: z.enum(['ACTIVE', 'LEGAL', 'CLOSED']),
  warningLevel: z.enum(WARNING_LEVELS),
  classification: z.enum(CLASSIFICATIONS),
  dpd: z.number().int(),
  outstandingPrincipal: money,
  borrowerLocalTime: z.string(),
  contactNow: contactNowSchema,
  phase: z.enum(PHASES).nullable().describe('where the loan is in its life; null before its first step'),
  riskRating: z.enum(RISK_RATINGS).describe('the rating now: loan.riskRating until risk changes it (RISK_RATING_CHANGED)'),
  closedReason: z.enum(CLOSE_REASONS).nullable(),
  legalCaseId: z.string().nullable().describe('the legal case, once referred (CASE-<loanId>)'),
  promise: z.object({ date: localDay, amount: money, madeAt: iso }).nullable().describe('the promise to pay waiting for its check'),
  episode: z
    .object({ number: z.number().int(), startedAt: iso, brokenPromises: z.number().int() })
    .nullable()
    .describe('the collection episode under way: from the first day past due until the loan is current again'),
  promiseEarliestDate: localDay.describe('today in the borrower’s time zone: a promise may not name an earlier day'),
  promiseLatestDate: localDay.describe('the latest date a promise may name: today plus the policy’s promises.maxDaysAhead'),
  promiseMaxDaysAhead: z.number().int(),
  recallEarliestDate: localDay.describe('the earliest date a recall may set: today plus the policy’s recall.minNoticeDays'),
  recallLatestDate: localDay.describe('the latest date a recall may set: today plus the policy’s recall.maxNoticeDays'),
  restructuring: z
    .object({
      version: z.number().int().describe('the schedule version: 1 as onboarded, one more each restructure'),
      count: z.number().int().describe('restructures so far'),
      annualRate: z.number().describe('the rate the loan runs at now'),
      observationUntil: localDay.nullable().describe('until then the classification stays at least the policy’s minimum'),
      maxRestructures: z.number().int(),
      maxExtendMonths: z.number().int(),
      minAnnualRate: z.number(),
      maxGraceMonths: z.number().int(),
    })
    .describe('the loan’s restructuring so far and the policy’s bounds on a plan'),
  schedule: z.array(
    z.object({
      seq: z.number().int(),
      dueDate: z.string(),
      amount: money,
      principal: money,
      interest: money,
      paidAmount: money,
      paidAt: iso.nullable(),
      status: z.enum(['PAID', 'PAID_LATE', 'DUE', 'OVERDUE', 'PARTIAL']),
    }),
  ),
  payments: z.array(z.object({ at: iso, amount: money, payoff: z.boolean(), eventId: z.string(), by: z.string().nullable() })),
  tasks: z.array(
    z.object({
      taskId: z.string(),
      purpose: z.enum(TASK_PURPOSES),
      queue: z.enum(TASK_QUEUE_IDS),
      decision: z.enum(REVIEW_DECISIONS).nullable().describe('what risk decided on a RECALL_REVIEW or PRE_LEGAL_REVIEW'),
      status: z.enum(['OPEN', 'DONE', 'CANCELLED']),
      priority: z.number(),
      createdAt: iso,
      dueBy: iso,
      heldUntil: iso.nullable().describe('the compliance gate held the call back until then when the task was created'),
      requeues: z.number().int(),
      outcome: z.enum(CALL_OUTCOMES).nullable(),
      findings: z.array(z.enum(FINDINGS)),
      notes: z.string().nullable(),
      completedAt: iso.nullable(),
      completedBy: z.string().nullable(),
      attempts: z.number().int(),
      promise: z.object({ date: z.string(), amount: money }).nullable(),
      adHoc: z.boolean().describe('added by hand (POST /api/loans/{id}/tasks)'),
      requestedBy: z.string().nullable(),
      note: z.string().nullable().describe('the plain-text note of a task added by hand'),
    }),
  ),
  nextAction: z
    .object({ at: iso, due: z.boolean().describe('already due: the loan will act on it at its next step'), actions: z.array(nextActionSchema) })
    .nullable(),
  referral: z.object({ caseId: z.string(), referredAt: iso, reason: z.string() }).nullable(),
  flagged: z.object({ reason: z.string(), at: iso }).nullable(),
  timeline: z.array(timelineEventSchema),
});

export const onboardResponseSchema = z.object({
  loanId: z.string(),
  created: z.boolean(),
  executionArn: z.string(),
  instalments: z.number().int(),
  firstDueDate: z.string(),
});

export const importReportSchema = z.object({
  rows: z.number().int(),
  created: z.number().int(),
  existing: z.number().int(),
  rejected: z.number().int(),
  startsPerSecond: z.number(),
  report: z.array(
    z.object({
      line: z.number().int(),
      loanId: z.string().nullable(),
      status: z.enum(['CREATED', 'EXISTING', 'CONFLICT', 'INVALID', 'FAILED']),
      errors: z.array(z.object({ field: z.string(), reason: z.string() })),
    }),
  ),
});

export const eventAcceptedSchema = z.object({ loanId: z.string(), eventId: z.string(), delivery: z.enum(['WOKEN', 'QUEUED']) });
export const legalEventAcceptedSchema = eventAcceptedSchema.extend({ caseId: z.string() });
export const loanTaskAcceptedSchema = eventAcceptedSchema.extend({
  taskId: z.string().describe('the task the loan’s next step creates'),
  purpose: z.enum(TASK_PURPOSES),
  dueBy: iso.describe('a local date is due by the end of that day in the borrower’s time zone'),
});
export const riskRatingAcceptedSchema = eventAcceptedSchema.extend({ from: z.enum(RISK_RATINGS), to: z.enum(RISK_RATINGS) });

const restructureInstalmentSchema = z.object({ seq: z.number().int(), dueDate: localDay, amount: money, principal: money, interest: money, paidAmount: money });
export const restructurePreviewSchema = z.object({
  loanId: z.string(),
  fromVersion: z.number().int().describe('the schedule version the plan replaces (1: as onboarded)'),
  scheduleVersion: z.number().int().describe('the version the plan makes'),
  plan: z.object({
    extendMonths: z.number().int(),
    annualRate: z.number().nullable(),
    graceMonths: z.number().int(),
    arrears: z.enum(['capitalise', 'keep_due']),
  }),
  principal: money.describe('the principal the new instalments repay (with capitalised arrears, if any)'),
  annualRate: z.number().describe('the rate of the new schedule'),
  regularAmount: money.describe('the instalment after any grace period'),
  firstDueDate: localDay,
  lastDueDate: localDay,
  instalments: z.number().int().describe('how many new instalments'),
  schedule: z
    .array(restructureInstalmentSchema.extend({ paid: z.boolean(), new: z.boolean().describe('an instalment of the new schedule') }))
    .describe('the whole schedule after the plan: paid (and overdue instalments kept due) as they are, then the new ones'),
  replaced: z.array(restructureInstalmentSchema).describe('the unpaid instalments the plan replaces, as they are now (kept on the RESTRUCTURED record)'),
});
export const restructureAcceptedSchema = restructurePreviewSchema.extend({
  eventId: z.string(),
  delivery: z.enum(['WOKEN', 'QUEUED']),
  /** The requestId had already restructured the loan (a retry): the answer is that restructure, nothing new agreed. */
  replayed: z.boolean().optional(),
});
export const outcomeAcceptedSchema = z.object({
  taskId: z.string(),
  status: z.enum(['DONE', 'OPEN']),
  delivery: z.enum(['WOKEN', 'QUEUED']),
  /** The requestId had already recorded this call (a retry): nothing new was written. */
  replayed: z.boolean().optional(),
});

export const referralListSchema = z.object({
  referrals: z.array(
    z.object({
      caseId: z.string(),
      loanId: z.string(),
      referredAt: iso,
      reason: z.string(),
      warningLevel: z.string(),
      classification: z.string(),
      product: z.string(),
      principal: money,
    }),
  ),
});

export const casePackageSchema = z
  .object({
    caseId: z.string(),
    loanId: z.string(),
    referredAt: iso,
    reason: z.string(),
    contact: z
      .object({
        phone: z.string(),
        email: z.string(),
        vehiclePlate: z.string().optional(),
        vehicleVin: z.string().optional(),
        collateralDescription: z.string().optional(),
      })
      .nullable(),
  })
  .catchall(z.unknown())
  .describe(
    'the legal case package as stored at referral (loan, schedule, tasks, timeline), with the borrower’s contact details and, for a secured loan, what identifies the collateral (plate and VIN, or description) for repossession',
  );

export const idParam = z.string().min(1).max(200);

/** The unsubscribe link: the loan, until when the link works, and the MAC over both that proves it was ours. */
export const unsubscribeQuerySchema = z
  .object({
    loan: loanIdSchema,
    // Absent from links made before links expired (v1): those are answered as expired.
    exp: z
      .string()
      .regex(/^[0-9]{9,11}$/, 'must be the expiry from the link')
      .optional(),
    sig: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'must be the signature from the link'),
  })
  .strict();

export const htmlPageSchema = z.string().describe('an HTML page');
