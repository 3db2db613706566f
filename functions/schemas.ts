import { isValidPhoneNumber } from 'libphonenumber-js';
// Namespace import: lets esbuild drop zod's locales from the Lambda bundles (450 KB -> 85 KB).
import * as z from 'zod';
import { isValidTimeZone } from '../workflows/domain/local-time.js';
import { PLATE_PATTERN, vinProblem } from './vehicle-identity.js';
import { localDate } from '../workflows/domain/local-time.js';
import { ARREARS_TREATMENTS } from '../workflows/domain/restructure.js';
import {
  AD_HOC_PURPOSES,
  BORROWER_TYPES,
  COLLATERAL_CONDITIONS,
  COLLATERAL_TYPES,
  CALL_OUTCOMES,
  CHANNELS,
  FINDINGS,
  LEGAL_EVENTS,
  LEGAL_EVENTS_WITH_AMOUNT,
  LOCALES,
  PRODUCTS,
  REVIEW_DECISIONS,
  RISK_RATING_REASONS,
  RISK_RATINGS,
} from '../workflows/domain/types.js';

export const loanIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1-40 letters, digits, "-" or "_"');
export const taskIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}\.[A-Za-z0-9_.-]{1,80}$/, 'must be a task id such as L-1.FIRST_CONTACT');
/** Who made a change: the operations API sets it from the caller's token; direct invocations default to `system`. */
export const actorSchema = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be a user id of letters, digits, ".", "_", "@" or "-"');
const by = actorSchema.default('system');
const isoInstant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset' });
const money = z.number().positive('must be positive').max(1_000_000_000, 'must be at most 1,000,000,000').multipleOf(0.01, 'must have at most 2 decimals');

/** Plain text typed by staff: no markup, no control characters. */
const plainText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((n) => !/<[a-z!/?][^>]*>/i.test(n), 'must be plain text: markup such as <script> is refused')
    .refine((n) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(n), 'must not contain control characters');

const VEHICLE_FIELDS = ['vehiclePlate', 'vehicleVin', 'vehicleMake', 'vehicleModel', 'vehicleValue', 'vehicleValuedAt'] as const;
const COLLATERAL_FIELDS = ['collateralType', 'collateralDescription', 'collateralValue', 'collateralValuedAt'] as const;

export const onboardLoanSchema = z
  .object({
    loanId: loanIdSchema,
    product: z.enum(PRODUCTS),
    riskRating: z.enum(RISK_RATINGS),
    borrowerType: z.enum(BORROWER_TYPES).default('individual'),
    principal: money,
    annualRate: z.number().min(0, 'must be at least 0').max(0.36, 'must be at most 0.36 (36%)'),
    termMonths: z.number().int('must be a whole number').min(3, 'must be at least 3').max(84, 'must be at most 84'),
    disbursedAt: isoInstant,
    timezone: z.string().refine(isValidTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
    locale: z.enum(LOCALES).default('zh-CN'),
    phone: z.string().refine((p) => isValidPhoneNumber(p), 'must be a valid phone number in E.164 form, e.g. +8613812345678'),
    email: z.email('must be a valid email address'),
    /** A car loan's vehicle (flat, as the portfolio CSV's columns): plate and VIN are kept with the contact. */
    vehiclePlate: z
      .string()
      .trim()
      .toUpperCase()
      .regex(PLATE_PATTERN, 'must be a licence plate of 2-12 letters, digits, Chinese characters, spaces or "-"')
      .optional(),
    vehicleVin: z
      .string()
      .trim()
      .toUpperCase()
      .superRefine((vin, ctx) => {
        const problem = vinProblem(vin);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    vehicleMake: plainText(40).optional(),
    vehicleModel: plainText(60).optional(),
    vehicleValue: money.optional(),
    vehicleValuedAt: z.iso.date('must be a date YYYY-MM-DD').optional(),
    /** Another product's collateral: the description (an address, a registration) is kept with the contact. */
    collateralType: z
      .enum(COLLATERAL_TYPES.filter((t) => t !== 'vehicle') as [string, ...string[]], {
        error: `must be one of ${COLLATERAL_TYPES.filter((t) => t !== 'vehicle').join(', ')} (a car loan's vehicle goes in the vehicle fields)`,
      })
      .optional(),
    collateralDescription: plainText(200).optional(),
    collateralValue: money.optional(),
    collateralValuedAt: z.iso.date('must be a date YYYY-MM-DD').optional(),
    by,
  })
  .strict()
  .superRefine((loan, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const given = (fields: readonly string[]) => fields.filter((f) => loan[f as keyof typeof loan] !== undefined);
    const vehicle = given(VEHICLE_FIELDS);
    const collateral = given(COLLATERAL_FIELDS);
    if (vehicle.length > 0 && loan.product !== 'car')
      for (const f of vehicle) issue(f, `is only taken for car loans (this is ${loan.product}: use the collateral fields)`);
    if (collateral.length > 0 && loan.product === 'car')
      for (const f of collateral) issue(f, "is not taken for car loans: the vehicle fields describe a car loan's security");
    if (vehicle.length > 0 && loan.product === 'car')
      for (const f of ['vehiclePlate', 'vehicleVin', 'vehicleValue'] as const)
        if (loan[f] === undefined) issue(f, 'is required with the vehicle: plate, VIN and value');
    if (collateral.length > 0 && loan.product !== 'car')
      for (const f of ['collateralType', 'collateralValue'] as const) if (loan[f] === undefined) issue(f, 'is required with the collateral: type and value');
    const disbursedOn = disbursementDate(loan.disbursedAt, loan.timezone);
    for (const f of ['vehicleValuedAt', 'collateralValuedAt'] as const) {
      const date = loan[f];
      if (date !== undefined && disbursedOn !== null && date > disbursedOn) issue(f, `must be on or before the disbursement date (${disbursedOn})`);
    }
  });
/** The local date of disbursement; null where disbursedAt is refused on its own (a day that does not exist). */
function disbursementDate(disbursedAt: string, timezone: string): string | null {
  try {
    return localDate(disbursedAt, isValidTimeZone(timezone) ? timezone : 'UTC');
  } catch {
    return null;
  }
}
export type OnboardLoanRequest = z.infer<typeof onboardLoanSchema>;

export const executionInputSchema = z.object({
  loanId: loanIdSchema,
  generation: z.number().int().min(0),
  iteration: z.number().int().min(0),
});

export const awaitEventSchema = z.object({
  loanId: loanIdSchema,
  generation: z.number().int().min(0),
  wakeAt: z.string().nullable(),
  waitSeconds: z.number(),
  taskToken: z.string().min(1),
});

export const recordPaymentSchema = z
  .object({
    loanId: loanIdSchema,
    amount: money,
    paidAt: isoInstant.optional(),
    paymentId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_"')
      .optional(),
    by,
  })
  .strict();

export const callbackOutcomeSchema = z
  .object({
    taskId: taskIdSchema,
    outcome: z.enum(CALL_OUTCOMES),
    findings: z.array(z.enum(FINDINGS)).max(FINDINGS.length).default([]),
    notes: z
      .string()
      .max(2000, 'must be at most 2000 characters')
      .refine((n) => !/<[a-z!/?][^>]*>/i.test(n), 'must be plain text: markup such as <script> is refused')
      .refine((n) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(n), 'must not contain control characters')
      .optional(),
    agentId: z
      .string()
      .regex(/^[A-Za-z0-9_.@-]{1,64}$/, 'must be an agent id')
      .default('system'),
    /** The client's id for this call; sent again with a retry, the call is recorded once. */
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _ (a UUID will do)')
      .optional(),
    promise: z
      .object({
        date: z.iso.date('must be a date YYYY-MM-DD'),
        amount: money,
      })
      .strict()
      .optional(),
    /** A risk officer's decision on a RECALL_REVIEW or PRE_LEGAL_REVIEW (required there, refused elsewhere). */
    decision: z.enum(REVIEW_DECISIONS).optional(),
    /** With decision recall: the day the whole balance falls due (the borrower's zone; policy recall bounds, checked by the handler). */
    recallDueDate: z.iso.date('must be a date YYYY-MM-DD').optional(),
    /** On a COLLATERAL_REVIEW: what the inspection found the collateral worth (major units) and its condition. */
    valuation: z
      .object({
        value: z.number().min(0, 'must be at least 0').max(1_000_000_000, 'must be at most 1,000,000,000').multipleOf(0.01, 'must have at most 2 decimals'),
        condition: z.enum(COLLATERAL_CONDITIONS, { error: `must be one of ${COLLATERAL_CONDITIONS.join(', ')}` }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((o) => o.recallDueDate === undefined || o.decision === 'recall', { message: 'is only taken with the decision recall', path: ['recallDueDate'] })
  .refine((o) => o.promise === undefined || o.findings.includes('promise_to_pay'), { message: 'needs the finding promise_to_pay', path: ['promise'] })
  .refine((o) => !o.findings.includes('promise_to_pay') || o.promise !== undefined, {
    message: 'must give the promised date and amount with promise_to_pay',
    path: ['promise'],
  });

/** A restructure plan for a loan in hardship (bounds are the product policy's, checked by the handler). */
export const restructureSchema = z
  .object({
    loanId: loanIdSchema,
    extendMonths: z.number().int('must be a whole number of months').min(0, 'must be at least 0').max(60, 'must be at most 60').default(0),
    annualRate: z.number().min(0, 'must be at least 0').max(0.36, 'must be at most 0.36 (36%)').nullable().default(null),
    graceMonths: z.number().int('must be a whole number of months').min(0, 'must be at least 0').max(12, 'must be at most 12').default(0),
    arrears: z.enum(ARREARS_TREATMENTS).default('keep_due'),
    /** The client's id: sent again, the restructure is agreed once. */
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _ (a UUID will do)')
      .optional(),
    by,
  })
  .strict();
export type RestructureRequest = z.infer<typeof restructureSchema>;

export const caseIdSchema = z.string().regex(/^CASE-[A-Za-z0-9_-]{1,40}$/, 'must be a case id such as CASE-L-1');

/** What the legal team records on a case: its course, and how it ended. */
export const legalEventSchema = z
  .object({
    caseId: caseIdSchema,
    event: z.enum(LEGAL_EVENTS),
    /** Settled or recovered amount (major units). */
    amount: money.optional(),
    /** The day the event concerns, such as a hearing's date. */
    date: z.iso.date('must be a date YYYY-MM-DD').optional(),
    /** The client's id for this event: sent again, it is recorded once. */
    eventId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _ (a UUID will do)')
      .optional(),
    by,
  })
  .strict()
  .refine((e) => !(LEGAL_EVENTS_WITH_AMOUNT as readonly string[]).includes(e.event) || e.amount !== undefined, {
    message: 'must give the amount settled or recovered',
    path: ['amount'],
  })
  .refine((e) => (LEGAL_EVENTS_WITH_AMOUNT as readonly string[]).includes(e.event) || e.amount === undefined, {
    message: 'is only taken with settled or recovered',
    path: ['amount'],
  });
export type LegalEventRequest = z.infer<typeof legalEventSchema>;

/** A task added to a loan by hand (the bounds of dueBy are the product policy's, checked by the handler). */
export const loanTaskSchema = z
  .object({
    loanId: loanIdSchema,
    purpose: z.enum(AD_HOC_PURPOSES),
    /** An instant with its offset, or a local date in the borrower's time zone (due by the end of that day). */
    dueBy: z.union([isoInstant, z.iso.date()], { error: 'must be an ISO 8601 date-time with offset or a date YYYY-MM-DD' }),
    note: plainText(500).optional(),
    /** The client's id: sent again, the task is created once. */
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _ (a UUID will do)')
      .optional(),
    by,
  })
  .strict();
export type LoanTaskRequest = z.infer<typeof loanTaskSchema>;

/** Risk re-rates a loan; the reason is a code (the timeline holds no free text). */
export const riskRatingChangeSchema = z
  .object({
    loanId: loanIdSchema,
    riskRating: z.enum(RISK_RATINGS),
    reason: z.enum(RISK_RATING_REASONS, { error: `must be one of ${RISK_RATING_REASONS.join(', ')}` }),
    requestId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8 to 64 letters, digits, - or _ (a UUID will do)')
      .optional(),
    by,
  })
  .strict();
export type RiskRatingChangeRequest = z.infer<typeof riskRatingChangeSchema>;

/** Why a borrower is not to be contacted at all: a code, never free text (the timeline holds no personal data). */
export const DO_NOT_CONTACT_REASONS = ['BORROWER_REQUEST', 'COMPLAINT', 'LEGAL_REPRESENTATION', 'DECEASED', 'REGULATOR_ORDER'] as const;

export const loanEventSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('HARDSHIP_REPORTED'), loanId: loanIdSchema, findings: z.array(z.enum(FINDINGS)).min(1, 'must name at least one finding'), by })
    .strict(),
  z
    .object({
      type: z.literal('CONTACT_CHANGED'),
      loanId: loanIdSchema,
      phone: z
        .string()
        .refine((p) => isValidPhoneNumber(p), 'must be a valid phone number in E.164 form')
        .optional(),
      email: z.email('must be a valid email address').optional(),
      by,
    })
    .strict()
    .refine((e) => e.phone !== undefined || e.email !== undefined, { message: 'must change phone or email', path: ['phone'] }),
  z.object({ type: z.literal('OPTED_OUT'), loanId: loanIdSchema, channels: z.array(z.enum(CHANNELS)).min(1, 'must name a channel'), by }).strict(),
  z
    .object({
      type: z.literal('DO_NOT_CONTACT'),
      loanId: loanIdSchema,
      reason: z.enum(DO_NOT_CONTACT_REASONS).describe('why nobody may contact the borrower (a code: the timeline holds no free text)'),
      by,
    })
    .strict(),
  z.object({ type: z.literal('PAYOFF'), loanId: loanIdSchema, by }).strict(),
]);
