// A faulted run against the fault-free reference of the same portfolio: faults may change when something
// happens, never whether. So messages are compared by id (loan, purpose, occurrence, channel), tasks by id,
// never by time.
import type { FaultRunResult } from './fault-run.js';

export interface Comparison {
  loans: number;
  messages: { expected: number; sent: number; lost: string[]; sentTwice: string[]; unexpected: string[] };
  tasks: { expected: number; created: number; missing: string[]; createdTwice: string[]; unexpected: string[] };
  payments: { expected: number; applied: number; missing: string[]; appliedTwice: string[] };
  /** Call outcomes the agents recorded, as the loans' timelines hold them (CALLBACK_COMPLETED / CALLBACK_ATTEMPTED). */
  callOutcomes: { expected: number; recorded: number; missing: string[]; recordedTwice: string[]; unexpected: string[]; wrongTime: string[] };
  /** Notices the bank sent twice, each applied once. */
  duplicatePaymentsIgnored: number;
  /** Executions that ended FAILED, in any runtime. */
  failedExecutions: string[];
  /** Executions of the last runtime neither SUCCEEDED nor RUNNING (waiting beyond the horizon). */
  unfinishedExecutions: string[];
  flaggedLoans: string[];
}

export function compareRuns(reference: FaultRunResult, faulted: FaultRunResult): Comparison {
  const loanIds = new Set(faulted.loans.map((l) => l.loanId));
  const inRun = <T extends { loanId: string }>(items: T[]) => items.filter((i) => loanIds.has(i.loanId));

  const expectedMessages = countBy(inRun(reference.outbox).map((m) => m.messageId));
  const sentMessages = countBy(faulted.outbox.map((m) => m.messageId));
  const referenceTasks = inRun(reference.loans).flatMap((l) => l.tasks.map((t) => t.taskId));
  const faultedTasks = faulted.loans.flatMap((l) => l.tasks.map((t) => t.taskId));
  const referenceTaskSet = new Set(referenceTasks);
  const faultedTaskSet = new Set(faultedTasks);
  const taskRecords = countBy(faulted.loans.flatMap((l) => l.timeline.filter((e) => e.type === 'CALLBACK_CREATED').map((e) => e.key)));
  const recordsOf = (run: FaultRunResult, types: string[]) =>
    inRun(run.loans).flatMap((l) => l.timeline.filter((e) => types.includes(e.type)).map((e) => `${l.loanId}/${e.key}`));
  const expectedPayments = countBy(recordsOf(reference, ['PAYMENT_RECEIVED']));
  const appliedPayments = countBy(recordsOf(faulted, ['PAYMENT_RECEIVED']));
  const CALLS = ['CALLBACK_COMPLETED', 'CALLBACK_ATTEMPTED'];
  const expectedCalls = countBy(recordsOf(reference, CALLS));
  const recordedCalls = countBy(recordsOf(faulted, CALLS));
  // An agent's call happens when the agent makes it, faults or not: a retried request must not change its time.
  const callTimes = (run: FaultRunResult) =>
    new Map(inRun(run.loans).flatMap((l) => l.timeline.filter((e) => CALLS.includes(e.type)).map((e) => [`${l.loanId}/${e.key}`, e.at] as const)));
  const expectedCallTimes = callTimes(reference);
  const recordedCallTimes = callTimes(faulted);
  const messages = diffCounts(expectedMessages, sentMessages);
  const payments = diffCounts(expectedPayments, appliedPayments);
  const calls = diffCounts(expectedCalls, recordedCalls);
  const lastRuntime = Math.max(...faulted.executions.map((e) => e.runtime));
  const duplicated = new Set(faulted.duplicatedPayments.map((p) => `${p.loanId}/${p.paymentId}`));

  return {
    loans: loanIds.size,
    messages: {
      expected: expectedMessages.size,
      sent: total(sentMessages),
      lost: messages.missing,
      sentTwice: messages.twice,
      unexpected: messages.unexpected,
    },
    tasks: {
      expected: referenceTaskSet.size,
      created: faultedTasks.length,
      missing: [...referenceTaskSet].filter((id) => !faultedTaskSet.has(id)),
      createdTwice: [...countBy(faultedTasks)]
        .filter(([, n]) => n > 1)
        .map(([id]) => id)
        .concat([...taskRecords].filter(([, n]) => n > 1).map(([key]) => key)),
      unexpected: [...faultedTaskSet].filter((id) => !referenceTaskSet.has(id)),
    },
    payments: {
      expected: expectedPayments.size,
      applied: total(appliedPayments),
      missing: payments.missing,
      appliedTwice: payments.twice,
    },
    callOutcomes: {
      expected: expectedCalls.size,
      recorded: total(recordedCalls),
      missing: calls.missing,
      recordedTwice: calls.twice,
      unexpected: calls.unexpected,
      wrongTime: [...recordedCallTimes]
        .filter(([key, at]) => expectedCallTimes.has(key) && expectedCallTimes.get(key) !== at)
        .map(([key, at]) => `${key}: at ${at}, the agent called at ${expectedCallTimes.get(key)}`),
    },
    duplicatePaymentsIgnored: [...appliedPayments].filter(([key, n]) => n === 1 && duplicated.has(key.replace(/\/PAYMENT_RECEIVED:/, '/'))).length,
    failedExecutions: faulted.executions
      .filter((e) => e.status === 'FAILED')
      .map((e) => {
        const loanId = e.name.replace(/-g\d+$/, '');
        const flagged = faulted.loans.find((l) => l.loanId === loanId)?.flagged;
        return `${e.name}: ${flagged ? `flagged ${flagged.reason}; ` : ''}failures: ${faulted.lastFailures.get(loanId) ?? e.error ?? ''}`;
      }),
    unfinishedExecutions: faulted.executions
      .filter((e) => e.runtime === lastRuntime && e.status !== 'SUCCEEDED' && e.status !== 'RUNNING')
      .map((e) => `${e.name}: ${e.status}`),
    flaggedLoans: faulted.loans.filter((l) => l.flagged).map((l) => `${l.loanId}: ${l.flagged!.reason}`),
  };
}

/** Keys the reference has and the run has not, the run has more than once, and the run has and the reference has not. */
function diffCounts(expected: Map<string, number>, actual: Map<string, number>): { missing: string[]; twice: string[]; unexpected: string[] } {
  return {
    missing: [...expected.keys()].filter((key) => !actual.has(key)),
    twice: [...actual].filter(([, n]) => n > 1).map(([key]) => key),
    unexpected: [...actual.keys()].filter((key) => !expected.has(key)),
  };
}

function countBy(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

function total(counts: Map<string, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}
