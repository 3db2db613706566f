// Named errors: the state machine's Retry/Catch match on `name`, the middleware exposes only those below 500.

export class ClientError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: names the field and the reason. */
export class ValidationError extends ClientError {
  constructor(
    readonly issues: { field: string; reason: string }[],
  ) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '), 400, issues[0]?.field);
  }
}

export class LoanNotFoundError extends ClientError {
  constructor(loanId: string) {
    super(`loanId: no loan ${loanId}`, 404, 'loanId');
  }
}

export class TaskNotFoundError extends ClientError {
  constructor(taskId: string) {
    super(`taskId: no task ${taskId}`, 404, 'taskId');
  }
}

export class LoanConflictError extends ClientError {
  constructor(loanId: string) {
    super(`loanId: loan ${loanId} already exists with different details`, 409, 'loanId');
  }
}

export class TaskAlreadyAnsweredError extends ClientError {
  constructor(taskId: string) {
    super(`taskId: task ${taskId} is already answered or closed`, 409, 'taskId');
  }
}

export class LoanClosedError extends ClientError {
  constructor(loanId: string) {
    super(`loanId: loan ${loanId} is closed`, 409, 'loanId');
  }
}

/** Another writer moved the loan's version; the step is safe to retry. */
export class ConcurrentUpdateError extends Error {
  override name = 'ConcurrentUpdateError';
}

/** A dependency (SNS, SES, DynamoDB) failed in a way worth retrying. */
export class TransientDependencyError extends Error {
  override name = 'TransientDependencyError';
}
