// One adapter from API Gateway HTTP API (payload 2.0) events to the route handlers: caller, groups, path and
// query parameters, body parsing and validation, JSON answers; errors become problem details (middleware).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import { ValidationError } from '../errors.js';
import { problemDetails } from '../middleware/problem-details.js';
import { parseInput } from '../parse-input.js';
import { ForbiddenError, PayloadTooLargeError, UnsupportedMediaTypeError } from './http-errors.js';
import { principalFromClaims, requireGroup, type Claims, type Principal } from './principal.js';
import type { RouteSpec } from './routes.js';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export interface HttpRequest<Query = Record<string, unknown>> {
  principal: Principal;
  params: Record<string, string>;
  query: Query;
  /** Parsed JSON, or the text of a CSV body; not yet validated against the route's body schema. */
  body: unknown;
  path: string;
}

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (request: HttpRequest<any>) => Promise<HttpAnswer>;

/** Who calls a public route: a borrower following a link from an email, proved by the link itself. */
const BORROWER: Principal = { sub: 'borrower', username: 'borrower', groups: [] };

/** API Gateway HTTP API accepts up to 10 MB; the handlers never need more than this. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The header CloudFront adds to every request it forwards to the API, with the origin secret. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * In AWS the API answers only on its custom domain, and anyone can call that directly; CloudFront adds the origin
 * secret (env ORIGIN_VERIFY_SECRET) to each request it forwards. A request without it went around CloudFront and
 * its WAF: 403 before anything is read. No secret configured (the local server, tests): no check.
 */
function requireOriginSecret(secret: string | undefined, event: HttpEvent): void {
  if (!secret) return;
  const sent = event.headers?.[ORIGIN_VERIFY_HEADER];
  if (sent === undefined || !timingSafeEqual(digest(sent), digest(secret))) throw new ForbiddenError('the API answers only through the console’s address');
}

export function createHttpHandler(
  route: RouteSpec,
  handle: RouteHandler,
  ports: { logger: Logger; originSecret?: string },
): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  const { logger } = ports;
  const originSecret = ports.originSecret ?? process.env.ORIGIN_VERIFY_SECRET;
  const core = async (event: HttpEvent): Promise<HttpResult> => {
    requireOriginSecret(originSecret, event);
    const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt?.claims;
    const principal = route.public ? BORROWER : principalFromClaims(claims);
    logger.appendKeys({ user: principal.username, route: `${route.method} ${route.path}` });
    if (!route.public) requireGroup(principal, route.groups, `${route.method} ${route.path}`);
    const params = validateParams(route, event.pathParameters ?? {});
    if (params.id && route.path.startsWith('/api/loans/')) logger.appendKeys({ loanId: params.id });
    const query = route.query ? parseQuery(route.query, event.queryStringParameters ?? {}) : {};
    const body = route.body ? readBody(route.body.contentType, event) : undefined;
    const answer = await handle({ principal, params, query, body, path: event.rawPath });
    logger.info('answered', { status: answer.status });
    const isText = typeof answer.body === 'string';
    return {
      statusCode: answer.status,
      headers: { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8', 'cache-control': 'no-store', ...answer.headers },
      body: isText ? (answer.body as string) : JSON.stringify(answer.body),
    };
  };
  return middy(core).use([injectLambdaContext(logger, { resetKeys: true }) as MiddlewareObj, problemDetails(logger) as MiddlewareObj]) as unknown as (
    event: HttpEvent,
    context: Context,
  ) => Promise<HttpResult>;
}

function validateParams(route: RouteSpec, raw: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  const issues: { field: string; reason: string }[] = [];
  for (const [name, schema] of Object.entries(route.pathParams ?? {})) {
    const result = (schema as z.ZodType).safeParse(raw[name]);
    if (result.success) out[name] = result.data as string;
    else issues.push({ field: name, reason: result.error.issues[0]?.message ?? 'is invalid' });
  }
  if (issues.length > 0) throw new ValidationError(issues);
  return out;
}

/** Query errors name the parameter (`purpose`), not the item of its list (`purpose.0`). */
function parseQuery(schema: z.ZodType, raw: Record<string, string | undefined>): unknown {
  try {
    return parseInput(schema, raw);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(error.issues.map((i) => ({ field: i.field.split('.')[0]!, reason: i.reason })));
  }
}

function header(event: HttpEvent, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1];
}

function readBody(expected: 'application/json' | 'text/csv', event: HttpEvent): unknown {
  const contentType = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const text = event.body === undefined || event.body === null ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new PayloadTooLargeError(`(body): must be at most ${MAX_BODY_BYTES} bytes`, '(body)');
  if (expected === 'text/csv') {
    if (contentType !== 'text/csv' && contentType !== 'text/plain') throw new UnsupportedMediaTypeError('text/csv');
    return text;
  }
  if (contentType !== 'application/json' && !(contentType === '' && text === '')) throw new UnsupportedMediaTypeError('application/json');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError([{ field: '(body)', reason: 'must be valid JSON' }]);
  }
}

/**
 * Validates a JSON body with the handler's schema after the path parameters and the caller are merged in:
 * what the server sets always wins over the body.
 */
export function bodyWith(body: unknown, serverFields: Record<string, unknown>): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError([{ field: '(body)', reason: 'must be a JSON object' }]);
  return { ...(body as Record<string, unknown>), ...serverFields };
}
