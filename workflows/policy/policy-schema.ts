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

const minutesOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const CONTACT_OPENS = 8 * 60;
const CONTACT_CLOSES = 21 * 60;

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
        /**
         * The interval by the loan's term as well as its rating: the first band whose maxTermMonths is at least the
         * loan's term gives it; a term longer than every band takes intervalMonths.
         */
        termBands: z.array(
          z.object({ maxTermMonths: int(1, 600), intervalMonths: z.object({ low: int(1, 12), medium: int(1, 12), high: int(1, 12) }).strict() }).strict(),
        ),
        anomalyIntervalDays: int(1, 90),
        anomalyDurationMonths: int(1, 24),
        fieldVisit: z
          .object({
            riskRatings: z.array(z.enum(RISK_RATINGS)),
            borrowerTypes: z.array(z.enum(BORROWER_TYPES)),
            /** A field visit each so many months, on top of the periodic callbacks. */
            intervalMonths: int(1, 12),
            completeWithinDays: int(1, 60),
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
        /**
         * Minutes after localTime over which a book's messages are spread, each loan at its own fixed offset
         * (rules/spreading.ts), so loans due the same day do not all send at the same second. 0 sends at localTime.
         */
        spreadMinutes: int(0, 360),
      })
      .strict(),
    tasks: z
      .object({
        localTime,
        /** Minutes before localTime over which a book's tasks are queued, each loan at its own fixed offset. */
        spreadMinutes: int(0, 360),
        basePriority: int(0, 10_000),
        /** A task added by hand is due at most so many days ahead. */
        adHocMaxDaysAhead: int(1, 365),
      })
      .strict(),
    riskRating: z
      .object({
        /** Call findings that suggest a rating (RISK_RATING_SUGGESTED) for risk to confirm; nothing changes by itself. */
        suggestFromFindings: z.partialRecord(z.enum(FINDINGS), z.enum(RISK_RATINGS)),
      })
      .strict(),
    overdue: z
      .object({
        noticeDpd: int(1, 30),
        /** The supervisors hear of a missed instalment this many days past due, once a collection episode. */
        teamNoticeDpd: int(1, 30),
        collectionDpd: dpdList,
        /** After the last collectionDpd, a collection call every so many days up to ladderEndDpd. */
        collectionEveryDays: int(1, 30),
        followupSmsDpd: dpdList,
        /** The formal written demand (催告函) by email; null for none. */
        demandLetterDpd: int(1, 3650).nullable(),
        /** A PRE_LEGAL_REVIEW task for risk; null for none. */
        preLegalReviewDpd: int(1, 3650).nullable(),
        /** The last day of the ladder's contacts (the day before the legal referral). */
        ladderEndDpd: int(1, 3650),
        /** Collection calls from these days past due go to the senior collectors' and to risk's queue. */
        tiers: z.object({ middleFromDpd: int(2, 3650), lateFromDpd: int(3, 3650) }).strict(),
        /** A collection call is due within so many days of its creation. */
        callWithinDays: int(1, 14),
        consecutiveLateForPrimary: int(2, 6),
        legalReferralDpd: int(1, 3650),
      })
      .strict(),
    promises: z
      .object({
        /** The latest promised date, in days from the day of the call. */
        maxDaysAhead: int(1, 60),
        /** The reminder SMS goes so many days before the promised date. */
        reminderDaysBefore: int(1, 7),
        /** The check runs so many days after the promised date. */
        checkDaysAfter: int(1, 7),
        /** Whether the ladder's SMS pause too while a promise is open (its calls always do). */
        pauseLadderSms: z.boolean(),
        /** A broken promise brings the next collection call forward to the check, this much more urgent. */
        brokenPriorityBoost: int(0, 1000),
      })
      .strict(),
    repeatedDefault: z
      .object({
        /** Broken promises in one collection episode that make a repeated default. */
        brokenPromisesPerEpisode: int(1, 20),
        /** Collection episodes begun within 12 months that make a repeated default. */
        episodesIn12Months: int(2, 12),
        /** A PRE_LEGAL_REVIEW task for risk, or an automatic legal referral. */
        action: z.enum(['PRE_LEGAL_REVIEW', 'REFER']),
      })
      .strict(),
    recall: z
      .object({
        /** An early recall makes the whole balance due so many days after the decision, unless the officer sets the date. */
        noticeDays: int(1, 90),
        /** The earliest and latest due date an officer may set, in days after the decision. */
        minNoticeDays: int(1, 90),
        maxNoticeDays: int(1, 180),
      })
      .strict(),
    restructuring: z
      .object({
        maxExtendMonths: int(1, 60),
        minAnnualRate: z.number().min(0, 'must be at least 0').max(0.36, 'must be at most 0.36'),
        maxGraceMonths: int(0, 12),
        /** Restructures a loan may have; the next hardship goes to a PRE_LEGAL_REVIEW. */
        maxRestructures: int(1, 5),
        /** After a restructure the classification stays at least this for the observation period. */
        minClassification: z.enum(['SPECIAL_MENTION', 'SUBSTANDARD']),
        observationMonths: int(1, 36),
        /** Where the two values above come from. */
        regulation: z.string().min(1, 'must name the rule the observation period follows'),
      })
      .strict(),
    collateral: z
      .object({
        /** Months between periodic COLLATERAL_REVIEW tasks of a secured loan; null: only when something calls for one. */
        reviewEveryMonths: int(1, 36).nullable(),
        completeWithinDays: int(1, 30),
        /** Findings that call for a collateral review at once (a damaged vehicle). */
        reviewFindings: findings,
        /** Loan-to-value (outstanding principal / latest valuation) above which a revaluation is a shortfall. */
        maxLtv: z.number().gt(0, 'must be greater than 0').max(2, 'must be at most 2'),
      })
      .strict(),
    legal: z
      .object({
        /** A case with no legal event for so many days gets a LEGAL_FOLLOW_UP task. */
        followUpAfterDays: int(7, 365),
        followUpWithinDays: int(1, 30),
      })
      .strict(),
    escalation: z
      .object({
        intermediateFindings: findings,
        advancedFindings: findings,
        /** Findings that refer the loan to the legal team at once (evasion). */
        referFindings: findings,
        /** Findings that put an early recall before risk (lost ability to repay, misused funds). */
        recallReviewFindings: findings,
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
        // A step is about 13 history events (AdvanceLoan 5, ChooseNextStep 2, the wait 6) before retries; 1,500
        // steps leave about a fifth of Standard's hard 25,000 for retries and the hand-over itself.
        maxIterations: int(100, 1500),
      })
      .strict(),
    contact: z
      .object({
        supportPhone: z.string().regex(/^\+?[0-9][0-9 -]{2,19}$/, 'must be a phone number of digits, spaces and "-"'),
        supportEmail: z.email('must be an email address'),
      })
      .strict(),
    unsubscribe: z
      .object({
        /**
         * Days the unsubscribe link in an email works, from the step that sent it. At least 30: an opt-out link must
         * keep working for 30 days after the message (CAN-SPAM); an expired one gets a page saying how else to opt out.
         */
        linkValidDays: int(30, 365),
      })
      .strict(),
    retention: z
      .object({
        /**
         * Whole years after a loan closes that its contact record (phone, email, vehicle plate and VIN, collateral
         * description) is kept; then functions/anonymise-closed-loans.ts blanks it. The loan, its schedule,
         * timeline and audit chain are kept: they hold no contact data.
         */
        contactYearsAfterClosure: int(1, 30),
        /** Why that long: the law or rule the lender keeps records under (to be confirmed by the lender's counsel). */
        legalBasis: z.string().min(10, 'must name the law or rule the retention rests on'),
      })
      .strict(),
  })
  .strict()
  .superRefine((policy, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { checks, overdue, classification: c } = policy;
    // Contact hours open at 08:00 and close at 21:00 in every compliance pack: a spread message must fit inside.
    const sendFrom = minutesOfDay(policy.reminders.localTime);
    if (sendFrom < CONTACT_OPENS) issue(['reminders', 'localTime'], 'must be at 08:00 or later (contact hours)');
    if (sendFrom + policy.reminders.spreadMinutes > CONTACT_CLOSES - 1)
      issue(
        ['reminders', 'spreadMinutes'],
        `must end before 21:00 with reminders.localTime ${policy.reminders.localTime} (at most ${Math.max(0, CONTACT_CLOSES - 1 - sendFrom)})`,
      );
    // A task queued outside the contact hours would have its call held: the window starts at the opening at the earliest.
    const tasksAt = minutesOfDay(policy.tasks.localTime);
    if (tasksAt - policy.tasks.spreadMinutes < CONTACT_OPENS)
      issue(
        ['tasks', 'spreadMinutes'],
        `must not reach back before 08:00 from tasks.localTime ${policy.tasks.localTime} (at most ${Math.max(0, tasksAt - CONTACT_OPENS)})`,
      );
    if (checks.day60 <= checks.day30) issue(['checks', 'day60'], `must be greater than checks.day30 (${checks.day30})`);
    if (!ascending(policy.periodic.termBands.map((b) => b.maxTermMonths))) issue(['periodic', 'termBands'], 'must be in strictly ascending maxTermMonths');
    if (!ascending(overdue.collectionDpd)) issue(['overdue', 'collectionDpd'], 'must be strictly ascending');
    if (!ascending(overdue.followupSmsDpd)) issue(['overdue', 'followupSmsDpd'], 'must be strictly ascending');
    const lastCollection = overdue.collectionDpd.at(-1);
    if (lastCollection !== undefined && overdue.legalReferralDpd < lastCollection) {
      issue(['overdue', 'legalReferralDpd'], `must be at least the last overdue.collectionDpd (${lastCollection})`);
    }
    if (overdue.ladderEndDpd >= overdue.legalReferralDpd) {
      issue(['overdue', 'ladderEndDpd'], `must be less than overdue.legalReferralDpd (${overdue.legalReferralDpd})`);
    }
    for (const field of ['demandLetterDpd', 'preLegalReviewDpd'] as const) {
      const dpd = overdue[field];
      if (dpd !== null && dpd > overdue.ladderEndDpd) issue(['overdue', field], `must be at most overdue.ladderEndDpd (${overdue.ladderEndDpd})`);
    }
    if (policy.recall.maxNoticeDays < policy.recall.minNoticeDays)
      issue(['recall', 'maxNoticeDays'], `must be at least recall.minNoticeDays (${policy.recall.minNoticeDays})`);
    if (policy.recall.noticeDays < policy.recall.minNoticeDays || policy.recall.noticeDays > policy.recall.maxNoticeDays) {
      issue(
        ['recall', 'noticeDays'],
        `must be between recall.minNoticeDays and recall.maxNoticeDays (${policy.recall.minNoticeDays}-${policy.recall.maxNoticeDays})`,
      );
    }
    if (overdue.tiers.lateFromDpd <= overdue.tiers.middleFromDpd) {
      issue(['overdue', 'tiers', 'lateFromDpd'], `must be greater than overdue.tiers.middleFromDpd (${overdue.tiers.middleFromDpd})`);
    }
    if (c.substandardMaxDpd <= c.specialMentionMaxDpd) {
      issue(['classification', 'substandardMaxDpd'], `must be greater than classification.specialMentionMaxDpd (${c.specialMentionMaxDpd})`);
    }
    if (c.doubtfulMaxDpd <= c.substandardMaxDpd) {
      issue(['classification', 'doubtfulMaxDpd'], `must be greater than classification.substandardMaxDpd (${c.substandardMaxDpd})`);
    }
  });

export type FollowUpPolicy = z.infer<typeof policySchema>;
