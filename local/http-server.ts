// `npm start`'s web server (node:http): the operations API under /api through the same adapter and handlers the
// Lambdas run, /openapi.json, a dev login standing in for Cognito, the demo clock's controls, and the console.
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { ApiPorts } from '../functions/http/api-ports.js';
import { PayloadTooLargeError, RouteNotFoundError, UnauthorizedError } from '../functions/http/http-errors.js';
import type { HttpEvent, HttpResult } from '../functions/http/http-handler.js';
import { buildOpenApiDocument } from '../functions/http/openapi.js';
import { GROUPS, principalFromClaims, type Claims, type Group } from '../functions/http/principal.js';
import { problemOf, PROBLEM_CONTENT_TYPE } from '../functions/http/problem-details.js';
import { matchPath, ROUTES, type OperationId, type RouteSpec } from '../functions/http/routes.js';
import { ValidationError } from '../functions/errors.js';
import { DevLoginError, type DevTokens } from './dev-tokens.js';
import { httpEvent } from './http-event.js';
import { invokeInProcess } from './lambda-invoker.js';
import { createRouteLambdas, functionNameOf } from './route-lambdas.js';

/** The console's folder: plain HTML, CSS and ES modules, no build step. */
export const CONSOLE_DIR = resolve(new URL('../console', import.meta.url).pathname);

export interface DemoState {
  mode: 'virtual' | 'wall';
  now: string;
  paused: boolean;
  secondsPerDay: number;
}

/** The local clock's controls (virtual time only). */
export interface DemoControl {
  state(): DemoState;
  update(change: { paused?: boolean; secondsPerDay?: number; advanceDays?: number }): Promise<DemoState>;
}

export interface OperationsServerOptions {
  ports: ApiPorts;
  tokens: DevTokens;
  logger: Logger;
  demo?: DemoControl;
  /** Awaited after each change, before answering: locally the loan has moved on when the console reloads. */
  afterChange?: () => Promise<void>;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  consoleDir?: string;
}

export interface OperationsServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};
const STATIC_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

export async function startOperationsServer(options: OperationsServerOptions): Promise<OperationsServer> {
  const lambdas = createRouteLambdas(options.ports);
  const openapi = JSON.stringify(buildOpenApiDocument());
  const consoleDir = options.consoleDir ?? CONSOLE_DIR;
  const config = JSON.stringify({ auth: 'dev', clock: options.demo ? 'demo' : 'wall', groups: GROUPS });

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.logger.error('local server failed', { error: error as Error });
      if (!res.headersSent) sendProblem(res, problemOf(error, req.url ?? ''));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = (req.method ?? 'GET').toUpperCase();
    if (path === '/openapi.json' || path === '/api/openapi.json') return send(res, 200, openapi, 'application/json; charset=utf-8');
    if (path === '/config.json') return send(res, 200, config, 'application/json; charset=utf-8');
    if (path === '/api/dev/login' && method === 'POST') return devLogin(req, res);
    if (path === '/api/dev/clock') return clock(req, res, method);
    if (path.startsWith('/api/')) return api(req, res, url, method);
    if (method !== 'GET' && method !== 'HEAD') return sendProblem(res, problemOf(new RouteNotFoundError(method, path), path));
    return serveStatic(res, path);
  }

  async function devLogin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = JSON.parse((await readBody(req)) || '{}') as { username?: string; group?: Group };
      const issued = options.tokens.issue(String(body.username ?? ''), body.group as Group);
      const principal = principalFromClaims(issued.claims);
      send(
        res,
        200,
        JSON.stringify({ token: issued.token, expiresAt: issued.expiresAt, username: principal.username, groups: principal.groups }),
        'application/json; charset=utf-8',
      );
    } catch (error) {
      const issue =
        error instanceof DevLoginError
          ? { field: error.field, reason: error.message.slice(error.field.length + 2) }
          : { field: '(body)', reason: 'must be JSON {"username", "group"}' };
      sendProblem(res, problemOf(new ValidationError([issue]), '/api/dev/login'));
    }
  }

  async function clock(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const claims = bearerClaims(req);
    if (!claims) return sendProblem(res, problemOf(new UnauthorizedError(), '/api/dev/clock'));
    if (!options.demo)
      return send(
        res,
        200,
        JSON.stringify({ mode: 'wall', now: new Date().toISOString(), paused: false, secondsPerDay: 86_400 }),
        'application/json; charset=utf-8',
      );
    if (method === 'GET') return send(res, 200, JSON.stringify(options.demo.state()), 'application/json; charset=utf-8');
    let change: { paused?: unknown; secondsPerDay?: unknown; advanceDays?: unknown };
    try {
      change = JSON.parse((await readBody(req)) || '{}');
    } catch {
      return sendProblem(res, problemOf(new ValidationError([{ field: '(body)', reason: 'must be valid JSON' }]), '/api/dev/clock'));
    }
    const issues: { field: string; reason: string }[] = [];
    if (change.paused !== undefined && typeof change.paused !== 'boolean') issues.push({ field: 'paused', reason: 'must be true or false' });
    if (change.secondsPerDay !== undefined && !(typeof change.secondsPerDay === 'number' && change.secondsPerDay >= 0.5 && change.secondsPerDay <= 600)) {
      issues.push({ field: 'secondsPerDay', reason: 'must be a number from 0.5 to 600' });
    }
    if (
      change.advanceDays !== undefined &&
      !(Number.isInteger(change.advanceDays) && (change.advanceDays as number) >= 1 && (change.advanceDays as number) <= 366)
    ) {
      issues.push({ field: 'advanceDays', reason: 'must be a whole number of days from 1 to 366' });
    }
    if (issues.length > 0) return sendProblem(res, problemOf(new ValidationError(issues), '/api/dev/clock'));
    const state = await options.demo.update(change as { paused?: boolean; secondsPerDay?: number; advanceDays?: number });
    send(res, 200, JSON.stringify(state), 'application/json; charset=utf-8');
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const path = url.pathname;
    const candidates = (ROUTES as readonly RouteSpec[]).map((route) => ({ route, params: matchPath(route.path, path) })).filter((c) => c.params);
    const found = candidates.find((c) => c.route.method === method);
    if (!found) return sendProblem(res, problemOf(new RouteNotFoundError(method, path), path));
    // What API Gateway's JWT authorizer does before the Lambda is called: no valid token, no call.
    const claims = found.route.public ? {} : bearerClaims(req);
    if (!claims) return sendProblem(res, problemOf(new UnauthorizedError(), path));
    const body = await readBody(req).catch(() => null);
    if (body === null) return sendProblem(res, problemOf(new PayloadTooLargeError('(body): must be at most 2 MB', '(body)'), path));
    const event = toHttpEvent(req, url, found.route, found.params!, claims, body);
    const result: HttpResult = await invokeInProcess(functionNameOf(found.route.file), lambdas[found.route.operationId as OperationId], event);
    if (method !== 'GET' && result.statusCode !== undefined && result.statusCode < 400) await options.afterChange?.();
    res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
    res.end(result.body ?? '');
  }

  function bearerClaims(req: IncomingMessage): Claims | undefined {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    return token ? options.tokens.verify(token) : undefined;
  }

  async function serveStatic(res: ServerResponse, path: string): Promise<void> {
    const relative = normalize(decodeURIComponent(path === '/' ? '/index.html' : path)).replace(/^([/\\])+/, '');
    const file = join(consoleDir, relative);
    if (!file.startsWith(consoleDir + sep)) return sendProblem(res, problemOf(new RouteNotFoundError('GET', path), path));
    try {
      if (!(await stat(file)).isFile()) throw new Error('not a file');
      const content = await readFile(file);
      res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', ...STATIC_HEADERS });
      res.end(content);
    } catch {
      sendProblem(res, problemOf(new RouteNotFoundError('GET', path), path));
    }
  }

  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 0);
  const shownHost = host === '127.0.0.1' || host === '0.0.0.0' ? 'localhost' : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      }),
  };
}

/** The event API Gateway would send for this request, with the claims its JWT authorizer would add. */
export function toHttpEvent(req: IncomingMessage, url: URL, route: RouteSpec, params: Record<string, string>, claims: Claims, body: string): HttpEvent {
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]));
  const query = url.searchParams.size > 0 ? Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k).join(',')])) : undefined;
  return httpEvent({
    route,
    params,
    claims,
    body,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    query,
    sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, contentType: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function sendProblem(res: ServerResponse, problem: ReturnType<typeof problemOf>): void {
  res.writeHead(problem.status, { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' });
  res.end(JSON.stringify(problem));
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolveListen(typeof address === 'object' && address ? address.port : port);
    });
  });
}
