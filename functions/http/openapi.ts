// The OpenAPI 3.1 document, generated from the route table and the same zod schemas that validate requests.
import * as z from 'zod';
import { htmlPageSchema, problemSchema } from './http-schemas.js';
import { ROUTES, type RouteSpec } from './routes.js';

type JsonSchema = Record<string, any>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

/** Drops the properties the server sets (path parameters, the caller) from an object schema or a union of them. */
function withoutServerFields(schema: JsonSchema, fields: readonly string[]): JsonSchema {
  if (fields.length === 0) return schema;
  const strip = (s: JsonSchema): JsonSchema => {
    if (Array.isArray(s.oneOf)) return { ...s, oneOf: s.oneOf.map(strip) };
    if (Array.isArray(s.anyOf)) return { ...s, anyOf: s.anyOf.map(strip) };
    if (s.type !== 'object' || !s.properties) return s;
    const properties = Object.fromEntries(Object.entries(s.properties).filter(([k]) => !fields.includes(k)));
    const required = (s.required as string[] | undefined)?.filter((k) => !fields.includes(k));
    return { ...s, properties, ...(required ? { required } : {}) };
  };
  return strip(schema);
}

function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names each field',
  401: 'No valid bearer token',
  403: 'The caller’s groups may not do this',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'Gone: the link has expired',
  413: 'Too large',
  415: 'Wrong content type',
  500: 'Failed; nothing more is said',
};

function operation(route: RouteSpec) {
  const parameters = [
    ...Object.entries(route.pathParams ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: jsonSchema(schema, 'input') })),
    ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => {
      const s = jsonSchema(schema as z.ZodType, 'input');
      return { name, in: 'query', required: false, schema: s, ...(s.description ? { description: s.description } : {}) };
    }),
  ];
  const requestBody = route.body
    ? {
        required: true,
        content: {
          [route.body.contentType]: {
            schema: route.body.schema
              ? withoutServerFields(jsonSchema(route.body.schema, 'input'), route.body.setByServer ?? [])
              : { type: 'string', description: 'CSV with a header row' },
            ...(route.body.example ? { example: route.body.example } : {}),
          },
        },
      }
    : undefined;
  const errorStatuses = [...new Set([400, ...(route.public ? [] : [401]), 403, ...(route.errors ?? []), 500])].sort();
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [
      route.description,
      route.public ? 'Public: no token; the link’s signature is the proof.' : `Groups: ${route.groups.join(', ')}.`,
      route.body?.setByServer ? `Set by the server from the path and the token: ${route.body.setByServer.join(', ')}.` : undefined,
    ]
      .filter(Boolean)
      .join('\n\n'),
    tags: [route.tag],
    'x-groups': route.groups,
    security: route.public ? [] : [{ bearer: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(route.response.status)]: {
        description: route.response.description,
        content: { [route.response.contentType ?? 'application/json']: { schema: jsonSchema(route.response.schema, 'output') } },
        ...(route.response.download
          ? { headers: { 'Content-Disposition': { schema: { type: 'string' }, description: 'attachment; filename="<caseId>.json"' } } }
          : {}),
      },
      ...Object.fromEntries(
        errorStatuses.map((s) => [
          String(s),
          // An expired unsubscribe link is answered with a page for the borrower, not problem details.
          s === 410 && route.response.contentType === 'text/html'
            ? {
                description: `${ERROR_DESCRIPTIONS[410]}: a page saying how else to opt out`,
                content: { 'text/html': { schema: jsonSchema(htmlPageSchema, 'output') } },
              }
            : problemResponse(ERROR_DESCRIPTIONS[s] ?? 'Error'),
        ]),
      ),
    },
  };
}

export function buildOpenApiDocument(options: { serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES as readonly RouteSpec[]) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'loan-followup operations API',
      version: '1.0.0',
      description:
        'How agents, risk officers and the legal team work the post-loan follow-up. Errors are RFC 9457 problem details naming the field. Every change records who made it (`by` on the loan timeline).',
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    tags: [
      { name: 'loans', description: 'Onboarding, the loan page, payments and events' },
      { name: 'tasks', description: 'The work queue and call outcomes' },
      { name: 'referrals', description: 'Legal referrals, their case packages, and the course and end of each case' },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Cognito access token (AWS) or a dev-login token (npm start); groups from cognito:groups.',
        },
      },
      schemas: { Problem: jsonSchema(problemSchema, 'output') },
    },
  };
}
