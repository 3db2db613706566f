// RFC 9457 problem details: what went wrong, for which field. Only errors below 500 say more than a title.
import { ClientError, ValidationError } from '../errors.js';

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors: { field: string; reason: string }[];
  /** Extension members of some problems (RFC 9457 section 3.2). */
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

/** `LoanNotFoundError` → `/problems/loan-not-found`: a stable type per error class. */
function problemType(error: ClientError): string {
  const slug = error.name
    .replace(/Error$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
  return `/problems/${slug}`;
}

/** Extra members some client errors carry (RFC 9457 extensions), e.g. when a blocked call is allowed again. */
export function extensionsOf(error: ClientError): Record<string, unknown> | undefined {
  return (error as ClientError & { extensions?: Record<string, unknown> }).extensions;
}

export function problemOf(error: unknown, instance: string): ProblemDetails {
  if (error instanceof ClientError && error.statusCode < 500) {
    const errors =
      error instanceof ValidationError
        ? error.issues
        : error.field
          ? [{ field: error.field, reason: error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message }]
          : [];
    return {
      ...extensionsOf(error),
      type: problemType(error),
      title: TITLES[error.statusCode] ?? 'Client Error',
      status: error.statusCode,
      detail: error.message,
      instance,
      errors,
    };
  }
  return { type: 'about:blank', title: TITLES[500]!, status: 500, detail: 'The request could not be completed; it has been logged.', instance, errors: [] };
}
