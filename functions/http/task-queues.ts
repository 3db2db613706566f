import { contactsBorrower } from '../../workflows/compliance/call-gate.js';
import { TASK_QUEUE_IDS, type TaskPurpose, type TaskQueueId } from '../../workflows/domain/types.js';
import type { Group } from './principal.js';

/**
 * The work queues of the console and the groups that work each. Which tasks a queue holds is the domain's
 * (workflows/domain/task-queue.ts: every task carries its queue; collection calls go by tier of days past due).
 */
export const TASK_QUEUES = {
  callback: { groups: ['agent', 'senior', 'risk', 'admin'] },
  field: { groups: ['agent', 'senior', 'risk', 'admin'] },
  /** DPD 1-30: the agents. */
  collection_early: { groups: ['agent', 'senior', 'risk', 'admin'] },
  /** DPD 31-60: the senior collectors. */
  collection_middle: { groups: ['senior', 'risk', 'admin'] },
  /** DPD 61 and on: risk. */
  collection_late: { groups: ['risk', 'admin'] },
  review: { groups: ['risk', 'admin'] },
  legal: { groups: ['legal', 'admin'] },
} as const satisfies Record<TaskQueueId, { groups: readonly Group[] }>;

export type TaskQueue = TaskQueueId;
export const TASK_QUEUE_NAMES: readonly TaskQueue[] = TASK_QUEUE_IDS;

/** The groups that may answer a task of this queue. */
export function groupsOfQueue(queue: TaskQueue): readonly Group[] {
  return TASK_QUEUES[queue].groups;
}

/** Reviews and legal follow-ups are staff work; every other task means contacting the borrower. */
export function isBorrowerContact(purpose: TaskPurpose): boolean {
  return contactsBorrower(purpose);
}
