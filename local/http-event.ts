// The HTTP API payload 2.0 event API Gateway would send, with the claims its JWT authorizer would add: built
// for the local server's requests and for the in-process API calls of the simulated world alike.
import type { HttpEvent } from '../functions/http/http-handler.js';
import type { Claims } from '../functions/http/principal.js';
import type { RouteSpec } from '../functions/http/routes.js';

export interface HttpEventParts {
  route: RouteSpec;
  params: Record<string, string>;
  claims: Claims;
  /** The raw body; '' for none. */
  body: string;
  rawPath: string;
  rawQueryString?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  sourceIp?: string;
}

let requestCounter = 0;

export function httpEvent(parts: HttpEventParts): HttpEvent {
  const { route, params, claims, body, rawPath } = parts;
  const headers = parts.headers ?? {};
  requestCounter += 1;
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath,
    rawQueryString: parts.rawQueryString ?? '',
    headers,
    ...(parts.query ? { queryStringParameters: parts.query } : {}),
    ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
    body: body === '' ? undefined : body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method: route.method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: parts.sourceIp ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: `local-${requestCounter}`,
      routeKey: `${route.method} ${route.path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      authorizer: { principalId: String(claims.sub ?? ''), integrationLatency: 0, jwt: { claims: claims as Record<string, string>, scopes: null } },
    },
  } as HttpEvent;
}

/** The route's path with its parameters filled in. */
export function pathOf(route: RouteSpec, params: Record<string, string>): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}
