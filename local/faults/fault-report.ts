// The counts a fault-injection run prints: faults injected by kind, retries, duplicates prevented, messages lost.
import { FAULT_KINDS, type FaultKind } from './fault-ledger.js';
import type { FaultRunResult } from './fault-run.js';
import type { Comparison } from './run-comparison.js';

export interface ReportHeading {
  title: string;
  from: Date;
  until: Date;
}

export function formatFaultReport(heading: ReportHeading, run: FaultRunResult, comparison: Comparison): string {
  const { ledger } = run;
  const lines: string[] = [];
  const row = (label: string, value: number | string, indent = 2) =>
    lines.push(`${' '.repeat(indent)}${label.padEnd(62 - indent)}${String(value).padStart(8)}`);
  const store = run.store === 'dynamodb' ? 'DynamoDB Local' : 'in-memory store';
  lines.push(
    `${heading.title}: ${comparison.loans} loans, ${day(heading.from)} to ${day(heading.until)}, local engine + ${store}, ${run.seconds.toFixed(0)} s`,
  );

  lines.push('  faults injected');
  for (const kind of Object.keys(FAULT_KINDS) as FaultKind[]) {
    const n = ledger.injected.get(kind) ?? 0;
    if (n > 0) row(FAULT_KINDS[kind], n, 4);
  }
  row('total', ledger.totalInjected(), 4);

  lines.push('  retries');
  for (const [what, n] of [...ledger.stateMachineRetries].sort()) row(`state machine, ${what}`, n, 4);
  row('DynamoDB SDK, request attempts after the first', ledger.sdkRetries, 4);
  const client = [...ledger.clientRetries.values()].reduce((a, b) => a + b, 0);
  row("bank's and agents' client, calls sent again", client, 4);
  row('total', ledger.totalRetries(), 4);

  lines.push('  duplicates prevented');
  row('sends found SENT by a retried step (not sent again)', ledger.alreadySent, 4);
  row('in-doubt sends found at the provider (not sent again)', ledger.inDoubtReconciled, 4);
  row('payment notices received twice, applied once', comparison.duplicatePaymentsIgnored, 4);
  row('total', ledger.alreadySent + ledger.inDoubtReconciled + comparison.duplicatePaymentsIgnored, 4);
  row('in-doubt sends the provider never took, sent by the retry', ledger.inDoubtResent, 4);

  lines.push('  outcome');
  row('messages expected (fault-free reference run)', comparison.messages.expected);
  row('messages sent', comparison.messages.sent);
  row('messages lost (must be 0)', comparison.messages.lost.length);
  row('messages sent twice (must be 0)', comparison.messages.sentTwice.length);
  row('messages not in the reference (must be 0)', comparison.messages.unexpected.length);
  row('tasks expected / created', `${comparison.tasks.expected} / ${comparison.tasks.created}`);
  row(
    'tasks missing, created twice, unexpected (must be 0)',
    comparison.tasks.missing.length + comparison.tasks.createdTwice.length + comparison.tasks.unexpected.length,
  );
  row('payments expected / applied', `${comparison.payments.expected} / ${comparison.payments.applied}`);
  row('call outcomes expected / reaching their loan', `${comparison.callOutcomes.expected} / ${comparison.callOutcomes.recorded}`);
  row('executions failed for good (must be 0)', comparison.failedExecutions.length);
  row('loans flagged for operations (must be 0)', comparison.flaggedLoans.length);
  if (run.clientRefusals.length > 0) row('calls of the bank and the agents refused for good', run.clientRefusals.length);
  lines.push('  moments');
  for (const moment of run.moments) lines.push(`    ${moment}`);
  return lines.join('\n');
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}
