// Every route's Lambda in-process: the adapter API Gateway invokes (functions/http/http-handler.ts) over the
// route's handler, as functions/lambda/api-<file>.ts builds it in AWS. The local server and the in-process API
// (local/local-api.ts) both call these: one entry path per command.
import type { Context } from 'aws-lambda';
import type { ApiPorts } from '../functions/http/api-ports.js';
import { createHttpHandler, type HttpEvent, type HttpResult, type RouteHandler } from '../functions/http/http-handler.js';
import { createRouteHandlers } from '../functions/http/route-handlers.js';
import { ROUTES, type OperationId } from '../functions/http/routes.js';

export type RouteLambda = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** `observe` sees each route's handler before the adapter wraps it (the in-process API keeps a 500's cause). */
export function createRouteLambdas(ports: ApiPorts, observe?: (handler: RouteHandler) => RouteHandler): Record<OperationId, RouteLambda> {
  const handlers = createRouteHandlers(ports);
  return Object.fromEntries(
    ROUTES.map((route) => {
      const handler = handlers[route.operationId];
      return [route.operationId, createHttpHandler(route, observe ? observe(handler) : handler, { logger: ports.logger })];
    }),
  ) as Record<OperationId, RouteLambda>;
}

/** The name the route's function has in the template and in every local count: `api-<file>`. */
export const functionNameOf = (file: string) => `api-${file}`;
