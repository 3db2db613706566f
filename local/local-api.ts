// The operations API called in-process, the one way every local caller (the simulated world, `npm start`'s
// onboarding, the fault suite, tests) reaches a command: an API Gateway event through the route's Lambda, as
// in AWS, answered with JSON or problem details. A problem is thrown as an ApiError.
import type { ApiPorts } from '../functions/http/api-ports.js';
import type { RouteHandler } from '../functions/http/http-handler.js';
import { GROUPS, type Claims } from '../functions/http/principal.js';
import type { ProblemDetails } from '../functions/http/problem-details.js';
import { ROUTE, type OperationId } from '../functions/http/routes.js';
import { httpEvent, pathOf } from './http-event.js';
import { createRouteLambdas, functionNameOf, type RouteLambda } from './route-lambdas.js';

export type Invoke = (name: string, handler: RouteLambda, event: unknown) => Promise<any>;

/** A call of one route: path parameters, JSON body, query, and who makes it (every group: the bank's own systems). */
export interface RouteCall {
  params?: Record<string, string>;
  body?: unknown;
  /** A CSV body instead of JSON (the import). */
  csv?: string;
  query?: Record<string, string>;
  /** The caller's user name, recorded as `by` on what the call changes; `local` when absent. */
  as?: string;
}

/** The commands the simulated world and the local tools send; each is its route with the ids as path parameters. */
export interface LocalApi {
  onboardLoan(input: unknown): Promise<any>;
  recordPayment(input: unknown): Promise<any>;
  /** An agent's call: the task id is the path's, `agentId` the caller. */
  recordCallbackOutcome(input: unknown): Promise<any>;
  reportEvent(input: unknown): Promise<any>;
  recordLegalEvent(input: unknown): Promise<any>;
  /** Risk agrees a restructure plan (checked, then delivered to the loan's inbox): a 400 or 409 names the field. */
  restructureLoan(input: unknown): Promise<any>;
  /** Any route. */
  call(operationId: OperationId, request: RouteCall): Promise<any>;
}

/** A problem the API answered with (status, `type`, the field it names), or a 500 with the error behind it. */
export class ApiError extends Error {
  override name = 'ApiError';
  /** The error class the problem type names (`/problems/loan-closed` → `LoanClosedError`); for a 500 its cause's. */
  readonly errorName: string;
  readonly field?: string;
  /** RFC 9457 extension members of the problem (e.g. `retryAt` of a call the compliance gate refused). */
  readonly extensions?: Record<string, unknown>;
  constructor(
    readonly statusCode: number,
    readonly problem: ProblemDetails,
    cause?: unknown,
  ) {
    super(statusCode >= 500 && cause instanceof Error ? `${problem.detail} (${cause.name}: ${cause.message})` : problem.detail, { cause });
    this.errorName = statusCode >= 500 ? ((cause as Error | undefined)?.name ?? 'InternalServerError') : errorNameOf(problem.type);
    this.field = problem.errors?.[0]?.field;
    const { type: _t, title: _ti, status: _s, detail: _d, instance: _i, errors: _e, ...extensions } = problem;
    if (Object.keys(extensions).length > 0) this.extensions = extensions;
  }
}

function errorNameOf(type: string): string {
  const slug = type.replace(/^\/problems\//, '');
  return `${slug.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}Error`;
}

type Input = Record<string, any>;
const actor = (input: Input) => (typeof input.by === 'string' ? input.by : undefined);

/** The API over `ports`: each route's Lambda built as in AWS, invoked through `invoke` (counted, observed, faulted). */
export function createLocalApi(invoke: Invoke, ports: ApiPorts): LocalApi {
  // What a route's handler threw, by request path, until its 500 is turned into an ApiError: the cause a
  // simulation or the fault suite reports, which the problem (rightly) does not carry.
  const causes = new Map<string, unknown>();
  const observe =
    (handler: RouteHandler): RouteHandler =>
    async (request) => {
      try {
        return await handler(request);
      } catch (error) {
        causes.set(request.path, error);
        throw error;
      }
    };

  const lambdas = createRouteLambdas(ports, observe);

  async function call(operationId: OperationId, request: RouteCall): Promise<any> {
    const route = ROUTE[operationId];
    const params = request.params ?? {};
    const username = request.as ?? 'local';
    const claims: Claims = { sub: username, username, 'cognito:groups': [...GROUPS] };
    const rawPath = pathOf(route, params);
    const body = request.csv ?? (request.body === undefined ? '' : JSON.stringify(request.body));
    const contentType = request.csv !== undefined ? 'text/csv' : 'application/json';
    const event = httpEvent({ route, params, claims, body, rawPath, query: request.query, headers: body ? { 'content-type': contentType } : {} });
    const result = await invoke(functionNameOf(route.file), lambdas[operationId], event);
    const status: number = result?.statusCode ?? 200;
    const isJson = String(result?.headers?.['content-type'] ?? '').includes('json');
    const answer = result?.body && isJson ? JSON.parse(result.body) : result?.body;
    const cause = causes.get(rawPath);
    causes.delete(rawPath);
    if (status >= 400) {
      const problem: ProblemDetails = isJson ? answer : { type: 'about:blank', title: '', status, detail: String(answer ?? ''), instance: rawPath, errors: [] };
      throw new ApiError(status, problem, cause);
    }
    return answer;
  }

  const command =
    (operationId: OperationId, params: (input: Input) => Record<string, string>, as: (input: Input) => string | undefined = actor) =>
    (input: unknown) => {
      const fields = (input ?? {}) as Input;
      return call(operationId, { params: params(fields), body: input, as: as(fields) });
    };
  const id = (field: string) => (input: Input) => ({ id: String(input[field] ?? '') });

  return {
    onboardLoan: command('onboardLoan', () => ({})),
    recordPayment: command('recordPayment', id('loanId')),
    recordCallbackOutcome: command('recordTaskOutcome', id('taskId'), (input) => (typeof input.agentId === 'string' ? input.agentId : undefined)),
    reportEvent: command('reportLoanEvent', id('loanId')),
    recordLegalEvent: command('recordLegalEvent', (input) => ({ caseId: String(input.caseId ?? '') })),
    restructureLoan: command('restructureLoan', id('loanId')),
    call,
  };
}
