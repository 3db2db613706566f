import { ClientError } from '../errors.js';

export class UnauthorizedError extends ClientError {
  constructor(message = 'Authorization: a valid bearer token is required') {
    super(message, 401, 'Authorization');
  }
}

export class ForbiddenError extends ClientError {
  constructor(message: string, field?: string) {
    super(message, 403, field);
  }
}

export class RouteNotFoundError extends ClientError {
  constructor(method: string, path: string) {
    super(`no route ${method} ${path}`, 404);
  }
}

export class UnsupportedMediaTypeError extends ClientError {
  constructor(expected: string) {
    super(`Content-Type: must be ${expected}`, 415, 'Content-Type');
  }
}

export class PayloadTooLargeError extends ClientError {
  constructor(message: string, field?: string) {
    super(message, 413, field);
  }
}

export class NotFoundError extends ClientError {
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, 404, field);
  }
}
