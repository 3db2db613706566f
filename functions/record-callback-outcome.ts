import type { Logger } from '@aws-lambda-powertools/logger';
import { callVerdict, contactsBorrower, overdueSeqOf } from '../workflows/compliance/call-gate.js';
import type { CallOutcome } from '../workflows/domain/types.js';
import { deliverEvent } from './deliver-event.js';
import { ContactNotAllowedError, TaskAlreadyAnsweredError, TaskNotFoundError } from './errors.js';
import { parseInput } from './parse-input.js';
import type { Clock, LoanStore, WorkflowControl } from './ports.js';
import { callbackOutcomeSchema } from './schemas.js';
import { withMiddleware } from './with-middleware.js';

/** No answer keeps the task in the queue for another attempt; every other outcome completes it. */
const FINAL_OUTCOMES: CallOutcome[] = ['REACHED', 'WRONG_NUMBER', 'REFUSED'];

/** An agent recorded a call: the task is answered once (a second answer is a 409) and the loan is woken. */
export function createRecordCallbackOutcomeHandler(ports: { store: LoanStore; workflow: WorkflowControl; clock: Clock; logger: Logger }) {
  return withMiddleware(ports.logger, recordCallbackOutcome(ports));
}

/** The handler without its middleware: client errors are thrown (the operations API turns them into problem details). */
export function recordCallbackOutcome(ports: { store: LoanStore; workflow: WorkflowControl; clock: Clock; logger: Logger }) {
  return async (event: unknown) => {
    const input = parseInput(callbackOutcomeSchema, event);
    const loanId = input.taskId.split('.')[0]!;
    const at = ports.clock(loanId).toISOString();
    const final = FINAL_OUTCOMES.includes(input.outcome);
    await ensureCallAllowed(ports.store, input.taskId, loanId, at);
    const task = await ports.store.recordTaskOutcome(input.taskId, { outcome: input.outcome, findings: input.findings, final, at, notes: input.notes, by: input.agentId, promise: input.promise });
    const attempts = (task as { attempts?: number }).attempts ?? 1;
    const delivery = await deliverEvent(ports, loanId, {
      type: 'CALLBACK_OUTCOME',
      eventId: `${input.taskId}#${attempts}`,
      at,
      taskId: input.taskId,
      purpose: task.purpose,
      outcome: input.outcome,
      findings: input.findings,
      final,
      by: input.agentId,
      ...(input.promise ? { promise: input.promise } : {}),
    });
    return { taskId: input.taskId, status: final ? 'DONE' : 'OPEN', delivery };
  };
}

/**
 * A call is a contact like any message: it passes the compliance gate before it is recorded, so an attempt
 * outside the borrower's hours, over the frequency caps or after an opt-out is refused (409) and the task
 * stays open for a call when the gate allows it. Staff reviews contact nobody and pass.
 */
async function ensureCallAllowed(store: LoanStore, taskId: string, loanId: string, at: string): Promise<void> {
  const task = await store.getTask(taskId);
  if (!task) throw new TaskNotFoundError(taskId);
  if (task.status !== 'OPEN') throw new TaskAlreadyAnsweredError(taskId);
  if (!contactsBorrower(task.purpose)) return;
  const stored = await store.getLoan(loanId);
  if (!stored) throw new TaskNotFoundError(taskId);
  const verdict = callVerdict(stored.loan, stored.state, task.purpose, at, overdueSeqOf(taskId));
  if (!verdict.allowed) throw new ContactNotAllowedError(taskId, verdict);
}
