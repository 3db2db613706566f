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
  constructor(readonly issues: { field: string; reason: string }[]) {
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

export class LegalCaseNotFoundError extends ClientError {
  constructor(caseId: string) {
    super(`caseId: no legal case ${caseId}`, 404, 'caseId');
  }
}

export class LegalCaseClosedError extends ClientError {
  constructor(caseId: string) {
    super(`caseId: legal case ${caseId} is closed`, 409, 'caseId');
  }
}

/** The loan's state rules a restructure out (with the legal team, closed, restructured too often). */
export class RestructureNotAllowedError extends ClientError {
  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`, 409, field);
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

/** The compliance gate forbids contacting the borrower now: the task stays open for a later call. */
export class ContactNotAllowedError extends ClientError {
  /** RFC 9457 extension members: the rules that blocked and when a call is allowed again. */
  readonly extensions: { blockedBy: string[]; retryAt: string | null; compliance: string };

  constructor(taskId: string, verdict: { codes: string[]; reasons: string[]; retryAt: string | null; compliance: string }) {
    super(
      `taskId: calling the borrower of task ${taskId} is not allowed now (${verdict.reasons.join('; ')})${verdict.retryAt ? `; allowed again at ${verdict.retryAt}` : ''}`,
      409,
      'taskId',
    );
    this.extensions = { blockedBy: verdict.codes, retryAt: verdict.retryAt, compliance: verdict.compliance };
  }
}

/**
 * A send was claimed by an earlier attempt that never recorded the outcome, and the provider's receipts cannot
 * tell yet whether the message went: the step is retried once receipts have had time to arrive.
 */
export class SendInDoubtError extends Error {
  override name = 'SendInDoubtError';
}

/** A re-rating to the rating the loan already has. */
export class RiskRatingUnchangedError extends ClientError {
  constructor(loanId: string, rating: string) {
    super(`riskRating: loan ${loanId} is already rated ${rating}`, 409, 'riskRating');
  }
}
