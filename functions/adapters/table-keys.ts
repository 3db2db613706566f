import type { CallbackTask } from '../../workflows/domain/types.js';

// Single-table layout: every record of a loan shares its partition, so one Query reads the whole loan.
const pk = (loanId: string) => `LOAN#${loanId}`;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export const keys = {
  meta: (loanId: string) => ({ pk: pk(loanId), sk: 'META' }),
  contact: (loanId: string) => ({ pk: pk(loanId), sk: 'CONTACT' }),
  instalment: (loanId: string, seq: number) => ({ pk: pk(loanId), sk: `INST#${pad(seq, 4)}` }),
  task: (loanId: string, taskId: string) => ({ pk: pk(loanId), sk: `TASK#${taskId}` }),
  timeline: (loanId: string, at: string, key: string) => ({ pk: pk(loanId), sk: `EVT#${at}#${key}` }),
  inbox: (loanId: string, at: string, eventId: string) => ({ pk: pk(loanId), sk: `INBOX#${at}#${eventId}` }),
  send: (loanId: string, key: string) => ({ pk: pk(loanId), sk: `SEND#${key}` }),
  legalCase: (loanId: string) => ({ pk: pk(loanId), sk: 'CASE' }),
};

/** Open tasks sit in one queue index, most urgent first. */
export function queueKeys(task: CallbackTask): { gsi1pk: string; gsi1sk: string } {
  return { gsi1pk: 'QUEUE#OPEN', gsi1sk: `${pad(Math.max(0, 999_999 - task.priority), 6)}#${task.dueBy}#${task.taskId}` };
}

/** Task ids are `<loanId>.<occurrence>`; loan ids never contain a dot. */
export function loanIdOfTask(taskId: string): string {
  return taskId.split('.')[0] ?? taskId;
}
