import type { CallbackTask, TaskPurpose, TaskQueueId } from './types.js';

const QUEUE_OF_PURPOSE: Record<TaskPurpose, TaskQueueId> = {
  FIRST_CONTACT: 'callback',
  DAY30_CHECK: 'callback',
  DAY60_CHECK: 'callback',
  PERIODIC: 'callback',
  COLLECTION: 'collection_early',
  FIELD_VISIT: 'field',
  COLLATERAL_REVIEW: 'review',
  RESTRUCTURE_REVIEW: 'review',
  RECALL_REVIEW: 'review',
  PRE_LEGAL_REVIEW: 'review',
  LEGAL_FOLLOW_UP: 'legal',
};

/** The queue a task of this purpose goes to when nothing else decides (collection calls go by tier). */
export function defaultQueueOf(purpose: TaskPurpose): TaskQueueId {
  return QUEUE_OF_PURPOSE[purpose];
}

/** The queue a stored task is in: the one it was created in, or its purpose's for tasks stored before queues were. */
export function queueOfTask(task: Pick<CallbackTask, 'purpose' | 'queue'>): TaskQueueId {
  return task.queue ?? defaultQueueOf(task.purpose);
}

/** The purposes a queue can hold (used to read the work-queue index, which is keyed by purpose). */
export function purposesOfQueue(queue: TaskQueueId): TaskPurpose[] {
  if (queue.startsWith('collection_')) return ['COLLECTION'];
  return (Object.keys(QUEUE_OF_PURPOSE) as TaskPurpose[]).filter((p) => QUEUE_OF_PURPOSE[p] === queue);
}

/** Tiers of a collection episode by days past due: who calls. */
export function collectionQueue(dpd: number, tiers: { middleFromDpd: number; lateFromDpd: number }): TaskQueueId {
  if (dpd >= tiers.lateFromDpd) return 'collection_late';
  if (dpd >= tiers.middleFromDpd) return 'collection_middle';
  return 'collection_early';
}
