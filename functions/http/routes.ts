// The operations API's one route table: the local server, the OpenAPI document and the CDK construct all read it.
// Paths carry the /api prefix everywhere (CloudFront sends /api/* to the HTTP API, the rest to the console).
import type * as z from 'zod';
import {
  callbackOutcomeSchema,
  caseIdSchema,
  legalEventSchema,
  loanEventSchema,
  loanIdSchema,
  loanTaskSchema,
  onboardLoanSchema,
  recordPaymentSchema,
  restructureSchema,
  riskRatingChangeSchema,
  taskIdSchema,
} from '../schemas.js';
import {
  casePackageSchema,
  eventAcceptedSchema,
  idParam,
  importReportSchema,
  legalEventAcceptedSchema,
  loanTaskAcceptedSchema,
  riskRatingAcceptedSchema,
  restructureAcceptedSchema,
  restructurePreviewSchema,
  loanViewResponseSchema,
  onboardResponseSchema,
  outcomeAcceptedSchema,
  referralListSchema,
  taskQueueQuerySchema,
  taskQueueResponseSchema,
  htmlPageSchema,
  unsubscribeQuerySchema,
} from './http-schemas.js';
import type { Group } from './principal.js';

export interface RouteSpec {
  operationId: string;
  method: 'GET' | 'POST';
  path: string;
  /** Groups allowed to call it; the handler checks them (in AWS too: the JWT authorizer only authenticates). */
  groups: readonly Group[];
  /** No token at all: the request carries its own proof (the unsubscribe link's MAC). `groups` is empty. */
  public?: true;
  /** functions/http/<file>.ts holds the handler, functions/lambda/api-<file>.ts its Lambda. */
  file: string;
  summary: string;
  description?: string;
  tag: 'loans' | 'tasks' | 'referrals' | 'borrowers';
  pathParams?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  /**
   * JSON bodies are validated with the handler's own schema after the path parameters and the caller (`by`,
   * `agentId`) are merged in; those fields are left out of the documented body.
   */
  body?: { contentType: 'application/json' | 'text/csv'; schema?: z.ZodType; setByServer?: string[]; example?: unknown };
  /** Success status and schema; errors are problem details. */
  response: { status: 200 | 201 | 202; schema: z.ZodType; description: string; download?: boolean; contentType?: 'text/html' };
  /** Error statuses besides 400/401/403/500 worth documenting. */
  errors?: number[];
}

const ALL_STAFF = ['agent', 'senior', 'risk', 'legal', 'admin'] as const;
/** Whoever works a queue (functions/http/task-queues.ts): the handler checks the queue's own groups. */
const QUEUE_WORKERS = ALL_STAFF;
const RISK = ['risk', 'admin'] as const;
/** Who may add a task by hand; each purpose is further limited to those who work its queue (reviews: risk). */
const TASK_REQUESTERS = ['agent', 'senior', 'risk', 'admin'] as const;
const LEGAL = ['legal', 'admin'] as const;
const ADMIN = ['admin'] as const;

export const ROUTES = [
  {
    operationId: 'onboardLoan',
    method: 'POST',
    path: '/api/loans',
    groups: ADMIN,
    file: 'post-loans',
    tag: 'loans',
    summary: 'Onboard one loan',
    description:
      'Idempotent on loanId: the same body again answers 200 with the same loan; a different body for an existing loanId is a 409. A car loan carries its vehicle: vehiclePlate, vehicleVin (17 characters, check digit verified), vehicleValue (required together), vehicleMake, vehicleModel, vehicleValuedAt (default: the disbursement date). Other products may carry collateralType, collateralValue (required together), collateralDescription, collateralValuedAt. A secured loan gets a COLLATERAL_REVIEW every collateral.reviewEveryMonths months of its policy. Plate, VIN and description are personal data and are kept with the contact.',
    body: {
      contentType: 'application/json',
      schema: onboardLoanSchema,
      setByServer: ['by'],
      example: {
        loanId: 'CAR-0100',
        product: 'car',
        riskRating: 'medium',
        principal: 180000,
        annualRate: 0.045,
        termMonths: 36,
        disbursedAt: '2026-01-05T10:00:00+08:00',
        timezone: 'Asia/Shanghai',
        phone: '+8613800000001',
        email: 'borrower@example.com',
      },
    },
    response: { status: 201, schema: onboardResponseSchema, description: 'Created (200 when the same loan was already onboarded)' },
    errors: [409],
  },
  {
    operationId: 'importLoans',
    method: 'POST',
    path: '/api/loans/import',
    groups: ADMIN,
    file: 'post-loans-import',
    tag: 'loans',
    summary: 'Import a portfolio CSV',
    description:
      'The columns of local/sample-portfolio.csv (the simulate portfolio format); the behaviour columns payments, reports and answerRate are ignored. Each valid row is onboarded, workflows are started paced under the Step Functions StartExecution rate, and every row is reported. At most 500 rows per request.',
    body: { contentType: 'text/csv' },
    response: { status: 200, schema: importReportSchema, description: 'Per-row report' },
    errors: [413, 415],
  },
  {
    operationId: 'getLoan',
    method: 'GET',
    path: '/api/loans/{id}',
    groups: ALL_STAFF,
    file: 'get-loan',
    tag: 'loans',
    summary: 'A loan: schedule, payments, warning level, classification, next scheduled action, timeline',
    pathParams: { id: loanIdSchema },
    response: { status: 200, schema: loanViewResponseSchema, description: 'The loan page' },
    errors: [404],
  },
  {
    operationId: 'recordPayment',
    method: 'POST',
    path: '/api/loans/{id}/payments',
    groups: RISK,
    file: 'post-loan-payments',
    tag: 'loans',
    summary: 'Record a payment',
    pathParams: { id: loanIdSchema },
    body: {
      contentType: 'application/json',
      schema: recordPaymentSchema,
      setByServer: ['loanId', 'by'],
      example: { amount: 5372.9, paymentId: 'BANK-20260205-001' },
    },
    response: { status: 202, schema: eventAcceptedSchema, description: 'Accepted: in the loan’s inbox, its workflow woken' },
    errors: [404, 409],
  },
  {
    operationId: 'reportLoanEvent',
    method: 'POST',
    path: '/api/loans/{id}/events',
    groups: RISK,
    file: 'post-loan-events',
    tag: 'loans',
    summary: 'Report a hardship, changed contact details, an opt-out or a payoff',
    pathParams: { id: loanIdSchema },
    body: {
      contentType: 'application/json',
      schema: loanEventSchema,
      setByServer: ['loanId', 'by'],
      example: { type: 'HARDSHIP_REPORTED', findings: ['income_decline'] },
    },
    response: { status: 202, schema: eventAcceptedSchema, description: 'Accepted: in the loan’s inbox, its workflow woken' },
    errors: [404, 409],
  },
  {
    operationId: 'createLoanTask',
    method: 'POST',
    path: '/api/loans/{id}/tasks',
    groups: TASK_REQUESTERS,
    file: 'post-loan-tasks',
    tag: 'loans',
    summary: 'Add a task to a loan by hand: a callback, a field visit or a review, with a due date and a note',
    description:
      'Goes to the loan’s inbox (TASK_REQUESTED) and its next step creates the task like any other: the same queue, compliance gate, re-queues and outcomes; CALLBACK_CREATED carries adHoc: true and by. purpose: PERIODIC, FIELD_VISIT, or (risk and admin only: 403 otherwise) RESTRUCTURE_REVIEW, COLLATERAL_REVIEW, RECALL_REVIEW. dueBy: an instant with offset, or a date (due by the end of that day in the borrower’s time zone), not in the past and at most tasks.adHocMaxDaysAhead days ahead (400 on dueBy). note: plain text, at most 500 characters, no markup. An unknown loan is a 404, a closed one a 409, with nothing written. Send a requestId and the same request again makes one task.',
    pathParams: { id: loanIdSchema },
    body: {
      contentType: 'application/json',
      schema: loanTaskSchema,
      setByServer: ['loanId', 'by'],
      example: { purpose: 'FIELD_VISIT', dueBy: '2026-02-20', note: 'check the workshop is still trading' },
    },
    response: { status: 202, schema: loanTaskAcceptedSchema, description: 'Accepted: in the loan’s inbox, its workflow woken' },
    errors: [404, 409],
  },
  {
    operationId: 'changeRiskRating',
    method: 'POST',
    path: '/api/loans/{id}/risk-rating',
    groups: RISK,
    file: 'post-loan-risk-rating',
    tag: 'loans',
    summary: 'Change a loan’s risk rating, with a reason code',
    description:
      'Goes to the loan’s inbox; its next step records RISK_RATING_CHANGED {from, to, reason} and from then the periodic callbacks (and field visits) follow the new rating. reason is a code: FINDINGS_CONFIRMED, REPAYMENT_BEHAVIOUR, FINANCIAL_REVIEW, COLLATERAL_CHANGE, INDUSTRY_OUTLOOK, CORRECTION. The rating the loan already has is a 409 on riskRating; an unknown loan a 404, a closed one a 409, with nothing written.',
    pathParams: { id: loanIdSchema },
    body: {
      contentType: 'application/json',
      schema: riskRatingChangeSchema,
      setByServer: ['loanId', 'by'],
      example: { riskRating: 'high', reason: 'FINDINGS_CONFIRMED' },
    },
    response: { status: 202, schema: riskRatingAcceptedSchema, description: 'Accepted: in the loan’s inbox, its workflow woken' },
    errors: [404, 409],
  },
  {
    operationId: 'previewRestructure',
    method: 'POST',
    path: '/api/loans/{id}/restructure/preview',
    groups: RISK,
    file: 'post-loan-restructure-preview',
    tag: 'loans',
    summary: 'Preview a restructure plan: the new schedule it would give the loan, nothing written',
    description:
      'The plan: extendMonths (months added to the remaining term), annualRate (a lower rate; null keeps the current one), graceMonths (interest only at the start), arrears (capitalise: overdue amounts join the new principal; keep_due: they stay due as they are), in any combination. The product policy bounds them (restructuring.maxExtendMonths, minAnnualRate, maxGraceMonths; 400 naming the field); a loan with the legal team or closed (409 on loanId), restructured as often as the policy allows or a plan that changes nothing (409 on plan) is refused. Amounts in major units.',
    pathParams: { id: loanIdSchema },
    body: {
      contentType: 'application/json',
      schema: restructureSchema,
      setByServer: ['loanId', 'by'],
      example: { extendMonths: 6, annualRate: null, graceMonths: 0, arrears: 'keep_due' },
    },
    response: { status: 200, schema: restructurePreviewSchema, description: 'The schedule the plan gives' },
    errors: [404, 409],
  },
  {
    operationId: 'restructureLoan',
    method: 'POST',
    path: '/api/loans/{id}/restructure',
    groups: RISK,
    file: 'post-loan-restructure',
    tag: 'loans',
    summary: 'Agree a restructure plan: the loan’s unpaid instalments are replaced by the new schedule',
    description:
      'The same checks as the preview, then the plan goes to the loan’s inbox (RESTRUCTURE_AGREED) and wakes its workflow, whose next step replaces the unpaid instalments (RESTRUCTURED {fromVersion, toVersion, plan}, the old ones kept on the record), completes the open RESTRUCTURE_REVIEW, sends the borrower the new schedule (RESTRUCTURE_NOTICE, SMS and email) and keeps the classification at least restructuring.minClassification for restructuring.observationMonths. A plan the loan no longer fits by then is recorded as RESTRUCTURE_REFUSED. Send a requestId and the same request again restructures once.',
    pathParams: { id: loanIdSchema },
    body: {
      contentType: 'application/json',
      schema: restructureSchema,
      setByServer: ['loanId', 'by'],
      example: { extendMonths: 6, annualRate: 0.04, graceMonths: 0, arrears: 'keep_due', requestId: 'a4f0c2e8-restructure-1' },
    },
    response: { status: 202, schema: restructureAcceptedSchema, description: 'Accepted: in the loan’s inbox, its workflow woken' },
    errors: [404, 409],
  },
  {
    operationId: 'listTasks',
    method: 'GET',
    path: '/api/tasks',
    groups: QUEUE_WORKERS,
    file: 'get-tasks',
    tag: 'tasks',
    summary: 'The work queue: open callback, field-visit, collection, review and legal follow-up tasks',
    description:
      'Ordered by warning level, days past due, priority (a re-queued task comes before new ones), then due time. Each task is in one queue (`queue`): callback and field (agents, senior collectors, risk, admin), collection calls by tier of days past due: collection_early 1-30 (agents, senior collectors, risk, admin), collection_middle 31-60 (senior collectors, risk, admin), collection_late 61+ (risk, admin); review (risk, admin); legal (legal, admin). `queue=` filters on it and asking for a queue you do not work is a 403. Each task says the borrower’s local time, whether contacting them now is allowed, and the latest promise date the policy accepts (`promiseLatestDate`); a RECALL_REVIEW or PRE_LEGAL_REVIEW, the dates a recall may set (`recallEarliestDate`, `recallLatestDate`).',
    query: taskQueueQuerySchema,
    response: { status: 200, schema: taskQueueResponseSchema, description: 'Open tasks, most urgent first' },
  },
  {
    operationId: 'recordTaskOutcome',
    method: 'POST',
    path: '/api/tasks/{id}/outcome',
    groups: QUEUE_WORKERS,
    file: 'post-task-outcome',
    tag: 'tasks',
    summary: 'Record the outcome of a call (or a review) and resume the waiting loan',
    description:
      'NO_ANSWER keeps the task open for another attempt; every other outcome completes it, and a second answer is a 409. Send a requestId (any 8 to 64 letters, digits, - or _) and sending the same request again after a lost answer or a 5xx is answered as the first was, with replayed: true, and recorded once. The caller must work the task’s queue (403 otherwise): reviews are for risk officers and admins, collection_middle for senior collectors up, collection_late for risk, legal follow-ups for the legal team. A promise date must lie between today and promises.maxDaysAhead days ahead in the borrower’s time zone (400 on promise.date). RECALL_REVIEW and PRE_LEGAL_REVIEW are answered with a decision (refer, recall, restructure, continue), which no other task takes (400 on decision). With recall, recallDueDate sets the day the whole balance falls due: between recall.minNoticeDays and recall.maxNoticeDays ahead in the borrower’s time zone (400 on recallDueDate, as it is with any other decision); without it, recall.noticeDays ahead. A COLLATERAL_REVIEW of a secured loan answered REACHED carries valuation {value (major units, 0 for a total loss), condition: good, fair, poor, damaged, total_loss or missing} (400 on valuation without it; no other task takes one): COLLATERAL_REVALUED {value, ltv} goes on the timeline, and a loan-to-value above the policy’s collateral.maxLtv raises INTERMEDIATE (collateral_shortfall) with a RESTRUCTURE_REVIEW.',
    pathParams: { id: taskIdSchema },
    body: {
      contentType: 'application/json',
      schema: callbackOutcomeSchema,
      setByServer: ['taskId', 'agentId'],
      example: {
        outcome: 'REACHED',
        findings: ['funds_received', 'promise_to_pay'],
        promise: { date: '2026-02-20', amount: 5372.9 },
        notes: 'will pay on payday',
      },
    },
    response: { status: 200, schema: outcomeAcceptedSchema, description: 'Recorded' },
    errors: [404, 409],
  },
  {
    operationId: 'listReferrals',
    method: 'GET',
    path: '/api/referrals',
    groups: LEGAL,
    file: 'get-referrals',
    tag: 'referrals',
    summary: 'The legal team’s cases, newest first',
    response: { status: 200, schema: referralListSchema, description: 'Referrals' },
  },
  {
    operationId: 'getReferralPackage',
    method: 'GET',
    path: '/api/referrals/{caseId}/package',
    groups: LEGAL,
    file: 'get-referral-package',
    tag: 'referrals',
    summary: 'Download a case package',
    pathParams: { caseId: idParam },
    response: { status: 200, schema: casePackageSchema, description: 'The case package (as an attachment)', download: true },
    errors: [404],
  },
  {
    operationId: 'recordLegalEvent',
    method: 'POST',
    path: '/api/referrals/{caseId}/events',
    groups: LEGAL,
    file: 'post-referral-events',
    tag: 'referrals',
    summary: 'Record a legal case’s course or end: hearing scheduled, judgment, settled, recovered, written off',
    description:
      'Goes to the loan’s inbox and wakes its workflow, which records LEGAL_EVENT on the timeline. settled and recovered take the amount (and nothing else does); when they cover the balance, and always for written_off, the case and the loan close (LEGAL_CASE_CLOSED, LOAN_CLOSED) and the execution ends. An unknown case is a 404, a closed one a 409, with nothing written. Send an eventId and the same event sent again is recorded once.',
    pathParams: { caseId: caseIdSchema },
    body: {
      contentType: 'application/json',
      schema: legalEventSchema,
      setByServer: ['caseId', 'by'],
      example: { event: 'settled', amount: 20000, date: '2026-06-30' },
    },
    response: { status: 202, schema: legalEventAcceptedSchema, description: 'Accepted: in the loan’s inbox, its workflow woken' },
    errors: [404, 409],
  },
  {
    operationId: 'showUnsubscribe',
    method: 'GET',
    path: '/api/unsubscribe',
    groups: [],
    public: true,
    file: 'get-unsubscribe',
    tag: 'borrowers',
    summary: 'The page behind the unsubscribe link of every email',
    description:
      'Asks the borrower to confirm; never unsubscribes by itself (mail scanners open links). A link works for the policy’s unsubscribe.linkValidDays (60) from the email that carried it; after that (and for a link without exp, made before links expired) the answer is 410 with a page saying how else to opt out.',
    query: unsubscribeQuerySchema,
    response: { status: 200, schema: htmlPageSchema, description: 'A confirmation page', contentType: 'text/html' },
    errors: [404, 410],
  },
  {
    operationId: 'unsubscribe',
    method: 'POST',
    path: '/api/unsubscribe',
    groups: [],
    public: true,
    file: 'post-unsubscribe',
    tag: 'borrowers',
    summary: 'Unsubscribe the borrower of a loan from email (one click, RFC 8058)',
    description:
      'Records OPTED_OUT for EMAIL by the borrower and wakes the loan; later emails are suppressed. Repeating it changes nothing. An expired link records nothing and is answered 410 with a page saying how else to opt out.',
    query: unsubscribeQuerySchema,
    response: { status: 200, schema: htmlPageSchema, description: 'A page saying it is done', contentType: 'text/html' },
    errors: [404, 410],
  },
] as const satisfies readonly RouteSpec[];

export type OperationId = (typeof ROUTES)[number]['operationId'];

export const ROUTE = Object.fromEntries(ROUTES.map((r) => [r.operationId, r])) as {
  [K in OperationId]: Extract<(typeof ROUTES)[number], { operationId: K }> & RouteSpec;
};

/** `/api/tasks/{id}/outcome` → a matcher giving the path parameters. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = new RegExp(
    `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  const match = pattern.exec(path);
  if (!match) return undefined;
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
  } catch {
    return undefined;
  }
}
