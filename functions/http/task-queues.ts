import type { TaskPurpose } from '../../workflows/domain/types.js';
import type { Group } from './principal.js';

/** The work queues of the console: which task purposes each holds and which groups work it. */
export const TASK_QUEUES = {
  callback: { purposes: ['FIRST_CONTACT', 'DAY30_CHECK', 'DAY60_CHECK', 'PERIODIC', 'COLLECTION'], groups: ['agent', 'risk', 'admin'] },
  field: { purposes: ['FIELD_VISIT'], groups: ['agent', 'risk', 'admin'] },
  review: { purposes: ['RESTRUCTURE_REVIEW', 'COLLATERAL_REVIEW'], groups: ['risk', 'admin'] },
} as const satisfies Record<string, { purposes: readonly TaskPurpose[]; groups: readonly Group[] }>;

export type TaskQueue = keyof typeof TASK_QUEUES;
export const TASK_QUEUE_NAMES = Object.keys(TASK_QUEUES) as TaskQueue[];

export function queueOf(purpose: TaskPurpose): TaskQueue {
  return TASK_QUEUE_NAMES.find((q) => (TASK_QUEUES[q].purposes as readonly string[]).includes(purpose)) ?? 'callback';
}

/** Reviews are staff work; every other task means contacting the borrower. */
export function isBorrowerContact(purpose: TaskPurpose): boolean {
  return queueOf(purpose) !== 'review';
}
