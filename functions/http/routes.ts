// The operations API's one route table: the local server, the OpenAPI document and the CDK construct all read it.
// Paths carry the /api prefix everywhere (CloudFront sends /api/* to the HTTP API, the rest to the console).
import type * as z from 'zod';
import { callbackOutcomeSchema, caseIdSchema, legalEventSchema, loanEventSchema, loanIdSchema, onboardLoanSchema, recordPaymentSchema, taskIdSchema } from '../schemas.js';
import {
  casePackageSchema,
  eventAcceptedSchema,
  idParam,
  importReportSchema,
  legalEventAcceptedSchema,
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
    description: 'Idempotent on loanId: the same body again answers 200 with the same loan; a different body for an existing loanId is a 409.',
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
      'The columns of infra/local/sample-portfolio.csv (the simulate portfolio format); the behaviour columns payments, reports and answerRate are ignored. Each valid row is onboarded, workflows are started paced under the Step Functions StartExecution rate, and every row is reported. At most 500 rows per request.',
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
    body: { contentType: 'application/json', schema: recordPaymentSchema, setByServer: ['loanId', 'by'], example: { amount: 5372.9, paymentId: 'BANK-20260205-001' } },
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
    body: { contentType: 'application/json', schema: loanEventSchema, setByServer: ['loanId', 'by'], example: { type: 'HARDSHIP_REPORTED', findings: ['income_decline'] } },
    response: { status: 202, schema: eventAcceptedSchema, description: 'Accepted: in the loan’s inbox, its workflow woken' },
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
      'Ordered by warning level, days past due, then due time. Each task is in one queue (`queue`): callback and field (agents, senior collectors, risk, admin), collection calls by tier of days past due: collection_early 1-30 (agents, senior collectors, risk, admin), collection_middle 31-60 (senior collectors, risk, admin), collection_late 61+ (risk, admin); review (risk, admin); legal (legal, admin). `queue=` filters on it and asking for a queue you do not work is a 403. Each task says the borrower’s local time, whether contacting them now is allowed, and the latest promise date the policy accepts (`promiseLatestDate`).',
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
    description: 'NO_ANSWER keeps the task open for another attempt; every other outcome completes it, and a second answer is a 409. Send a requestId (any 8 to 64 letters, digits, - or _) and sending the same request again after a lost answer or a 5xx is answered as the first was, with replayed: true, and recorded once. The caller must work the task’s queue (403 otherwise): reviews are for risk officers and admins, collection_middle for senior collectors up, collection_late for risk, legal follow-ups for the legal team. A promise date must lie between today and promises.maxDaysAhead days ahead in the borrower’s time zone (400 on promise.date). RECALL_REVIEW and PRE_LEGAL_REVIEW are answered with a decision (refer, recall, restructure, continue), which no other task takes (400 on decision).',
    pathParams: { id: taskIdSchema },
    body: {
      contentType: 'application/json',
      schema: callbackOutcomeSchema,
      setByServer: ['taskId', 'agentId'],
      example: { outcome: 'REACHED', findings: ['funds_received', 'promise_to_pay'], promise: { date: '2026-02-20', amount: 5372.9 }, notes: 'will pay on payday' },
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
    body: { contentType: 'application/json', schema: legalEventSchema, setByServer: ['caseId', 'by'], example: { event: 'settled', amount: 20000, date: '2026-06-30' } },
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
    description: 'Asks the borrower to confirm; never unsubscribes by itself (mail scanners open links).',
    query: unsubscribeQuerySchema,
    response: { status: 200, schema: htmlPageSchema, description: 'A confirmation page', contentType: 'text/html' },
    errors: [404],
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
    description: 'Records OPTED_OUT for EMAIL by the borrower and wakes the loan; later emails are suppressed. Repeating it changes nothing.',
    query: unsubscribeQuerySchema,
    response: { status: 200, schema: htmlPageSchema, description: 'A page saying it is done', contentType: 'text/html' },
    errors: [404],
  },
] as const satisfies readonly RouteSpec[];

export type OperationId = (typeof ROUTES)[number]['operationId'];

export const ROUTE = Object.fromEntries(ROUTES.map((r) => [r.operationId, r])) as { [K in OperationId]: Extract<(typeof ROUTES)[number], { operationId: K }> & RouteSpec };

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
