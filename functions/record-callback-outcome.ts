import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { callVerdict, contactsBorrower, overdueSeqOf } from '../workflows/compliance/call-gate.js';
import { promiseDateProblem } from '../workflows/domain/rules/promises.js';
import { recallDateProblem } from '../workflows/domain/rules/reviews.js';
import { COLLATERAL_CONDITIONS, DECISION_REVIEWS, loanIdOfTask, type CallbackTask, type CallOutcome } from '../workflows/domain/types.js';
import { wakeLoan } from './deliver-event.js';
import { taskForCall } from './call-attempts.js';
import { ConcurrentUpdateError, ContactNotAllowedError, TaskNotFoundError, ValidationError } from './errors.js';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, PolicySource, StoredLoan, WorkflowControl } from './ports.js';
import { callbackOutcomeSchema } from './schemas.js';

/** No answer keeps the task in the queue for another attempt; every other outcome completes it. */
const FINAL_OUTCOMES: CallOutcome[] = ['REACHED', 'WRONG_NUMBER', 'REFUSED'];
/** Two agents recording on one task at once: the one that lost the race reads the task again. */
const RACE_RETRIES = 3;

type Ports = {
  store: Pick<LoanStore, 'getTaskAndLoan' | 'recordCallAttempt' | 'getWaitToken'>;
  workflow: WorkflowControl;
  clock: Clock;
  logger: Logger;
  policies: PolicySource;
};

export interface RecordCallOptions {
  /** Throws if the caller may not answer this task (the API's queue groups); runs on the handler's own read. */
  authorize?: (task: CallbackTask) => void;
}

/**
 * An agent recorded a call: the task is answered once (a second answer is a 409) and the loan is woken. Client
 * errors are thrown; the operations API turns them into problem details. The outcome and the loan's event are
 * written in one transaction, so a failure leaves both or neither; a request sent again with its `requestId`
 * after a failure is answered as the first was, once.
 */
export function recordCallbackOutcome(ports: Ports, options: RecordCallOptions = {}) {
  return async (event: unknown) => {
    const input = parseInput(callbackOutcomeSchema, event);
    const loanId = loanIdOfTask(input.taskId);
    const at = ports.clock(loanId).toISOString();
    const final = FINAL_OUTCOMES.includes(input.outcome);
    for (let race = 0; ; race++) {
      const read = await ports.store.getTaskAndLoan(input.taskId);
      if (read.task) options.authorize?.(read.task);
      const { replayed, task } = taskForCall(input.taskId, read.task, input.requestId);
      if (replayed) return replay(ports, loanId, task);
      ensureValidAnswer(ports, read.loan, task, input, at, final);
      ensureCallAllowed(read.loan, task, at);
      const seenAttempts = task.attempts ?? 0;
      try {
        const result = await ports.store.recordCallAttempt({
          taskId: input.taskId,
          seenAttempts,
          requestId: input.requestId,
          outcome: {
            outcome: input.outcome,
            findings: input.findings,
            final,
            at,
            notes: input.notes,
            by: input.agentId,
            promise: input.promise,
            ...(input.decision ? { decision: input.decision } : {}),
          },
          event: {
            type: 'CALLBACK_OUTCOME',
            eventId: `${input.taskId}#${seenAttempts + 1}`,
            at,
            taskId: input.taskId,
            purpose: task.purpose,
            outcome: input.outcome,
            findings: input.findings,
            final,
            by: input.agentId,
            ...(input.promise ? { promise: input.promise } : {}),
            ...(input.decision ? { decision: input.decision } : {}),
            ...(input.recallDueDate ? { recallDueDate: input.recallDueDate } : {}),
            // The notes stay on the task (free text about the borrower); their hash joins the audit chain.
            ...(input.notes ? { notesSha256: createHash('sha256').update(input.notes).digest('hex') } : {}),
            ...(input.valuation ? { valuation: { value: Math.round(input.valuation.value * 100), condition: input.valuation.condition } } : {}),
          },
        });
        if (result.replayed) return replay(ports, loanId, result.task);
      } catch (error) {
        if (error instanceof ConcurrentUpdateError && race < RACE_RETRIES) continue;
        throw error;
      }
      return { taskId: input.taskId, status: final ? 'DONE' : 'OPEN', delivery: await wakeLoan(ports, loanId) };
    }
  };
}

/** The attempt was recorded by an earlier request that the client never heard back from: answer it again. */
async function replay(ports: Ports, loanId: string, task: CallbackTask) {
  ports.logger.info('call outcome already recorded for this requestId: replayed', { taskId: task.taskId });
  // The first request may have failed before it woke the loan.
  const delivery = await wakeLoan(ports, loanId);
  return { taskId: task.taskId, status: task.status === 'OPEN' ? 'OPEN' : 'DONE', delivery, replayed: true };
}

/**
 * What only the task and the loan can tell: a review that takes a decision is answered with one (and no other
 * task is), a promised date lies between today and the policy's bound in the borrower's time zone, and so does
 * an officer's recall date (recall.minNoticeDays to maxNoticeDays ahead).
 */
function ensureValidAnswer(
  ports: Ports,
  stored: StoredLoan | undefined,
  task: CallbackTask,
  input: { decision?: string; promise?: { date: string }; recallDueDate?: string; valuation?: unknown; outcome: CallOutcome },
  at: string,
  final: boolean,
): void {
  const takesDecision = (DECISION_REVIEWS as readonly string[]).includes(task.purpose);
  if (input.decision && !takesDecision) {
    throw new ValidationError([{ field: 'decision', reason: `is only taken on ${DECISION_REVIEWS.join(' and ')} tasks, not ${task.purpose}` }]);
  }
  if (takesDecision && final && !input.decision) {
    throw new ValidationError([{ field: 'decision', reason: `must say what risk decides on a ${task.purpose}: refer, recall, restructure or continue` }]);
  }
  if (input.valuation && task.purpose !== 'COLLATERAL_REVIEW') {
    throw new ValidationError([{ field: 'valuation', reason: `is only taken on COLLATERAL_REVIEW tasks, not ${task.purpose}` }]);
  }
  if (task.purpose === 'COLLATERAL_REVIEW' && final && input.outcome === 'REACHED' && !input.valuation && stored?.loan.collateral) {
    throw new ValidationError([
      {
        field: 'valuation',
        reason: `must give the collateral's value now and its condition (${COLLATERAL_CONDITIONS.join(', ')}): the loan is secured by a ${stored.loan.collateral.type}`,
      },
    ]);
  }
  if (input.promise && stored) {
    const problem = promiseDateProblem(input.promise.date, at, stored.loan.timezone, ports.policies(stored.loan.product).promises.maxDaysAhead);
    if (problem) throw new ValidationError([{ field: 'promise.date', reason: problem }]);
  }
  if (input.recallDueDate && stored) {
    const problem = recallDateProblem(input.recallDueDate, at, stored.loan.timezone, ports.policies(stored.loan.product).recall);
    if (problem) throw new ValidationError([{ field: 'recallDueDate', reason: problem }]);
  }
}

/**
 * A call is a contact like any message: it passes the compliance gate before it is recorded, so an attempt
 * outside the borrower's hours, over the frequency caps or after an opt-out is refused (409) and the task
 * stays open for a call when the gate allows it. Staff reviews contact nobody and pass.
 */
function ensureCallAllowed(stored: StoredLoan | undefined, task: CallbackTask, at: string): void {
  if (!contactsBorrower(task.purpose)) return;
  if (!stored) throw new TaskNotFoundError(task.taskId);
  const verdict = callVerdict(stored.loan, stored.state, task.purpose, at, overdueSeqOf(task.taskId));
  if (!verdict.allowed) throw new ContactNotAllowedError(task.taskId, verdict);
}
