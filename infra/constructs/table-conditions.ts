import { QUEUE_VIEW_ATTRIBUTES, REFERRAL_ATTRIBUTE, TABLE_SCHEMA, TASK_ATTRIBUTES } from '../../functions/adapters/table-schema.js';
import type { TableAction, TableCondition } from './loan-table.js';

/**
 * IAM conditions that hold a role to its own kind of item where the table's keys let a condition say so.
 *
 * What a condition can see: `dynamodb:LeadingKeys` (the partition key) and `dynamodb:Attributes` (the top-level
 * attribute names a request names: the item's, the update's, the condition's, the projection's), with
 * `dynamodb:Select`. It cannot see a sort key. Every record of a loan shares the partition `LOAN#<id>`, so
 * within a loan IAM cannot tell the record from the contact, a task, the timeline or the case package: an
 * attribute condition limits which fields a role may write or read there, and a PutItem under it may still
 * replace any item of the partition with one made of those fields. Receipts have partitions of their own
 * (`RECEIPT#<loan>`, `SMSDEST#<hash>`), so their recorder is held to them outright.
 */

const { partitionKey, sortKey } = TABLE_SCHEMA;
const { partitionKey: indexPartitionKey, sortKey: indexSortKey } = TABLE_SCHEMA.queueIndex;
/** A query of the index names its keys; the table's keys are in every index too. */
const INDEX_KEYS = [indexPartitionKey, indexSortKey, partitionKey, sortKey];

/** Requests that name only these top-level attributes besides the keys (writes: item, update and condition). */
export function namesOnly(attributes: readonly string[], keys: readonly string[] = [partitionKey, sortKey]): TableCondition {
  return { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...new Set([...keys, ...attributes])] } };
}

/** Reads that ask for these attributes only: the request must name them (Select SPECIFIC_ATTRIBUTES). */
export function readsOnly(attributes: readonly string[], keys?: readonly string[]): TableCondition {
  return { ...namesOnly(attributes, keys), StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } };
}

/** Items of the partitions whose key begins with one of these prefixes, and no other. */
export function partitionsOnly(prefixes: readonly string[]): TableCondition {
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } };
}

/**
 * A route that only drops an event in a loan's inbox (LoanStore.appendInbox, functions/deliver-event.ts): the
 * inbox item (`event`) and the record's count (`inboxPending`, under a condition on `state`). It may write no
 * loan terms, contact, task, case package, timeline record, token or version.
 */
export const INBOX_WRITER: Partial<Record<TableAction, TableCondition>> = {
  PutItem: namesOnly(['event']),
  UpdateItem: namesOnly(['inboxPending', 'state']),
};

/** The receipt recorder: receipts of sends (`RECEIPT#<loan>`) and of SMS by destination (`SMSDEST#<hash>`). */
export const RECEIPT_WRITER: Partial<Record<TableAction, TableCondition>> = {
  PutItem: partitionsOnly(['RECEIPT#', 'SMSDEST#']),
  UpdateItem: partitionsOnly(['RECEIPT#', 'SMSDEST#']),
};

/** The work queue: the task fields through the index, and of each loan its record's loan and state and its schedule. */
export const QUEUE_READER = {
  table: { Query: readsOnly(['sk', ...QUEUE_VIEW_ATTRIBUTES]) } as Partial<Record<TableAction, TableCondition>>,
  index: readsOnly(TASK_ATTRIBUTES, INDEX_KEYS),
};

/** The legal referral list: the summary stored beside each case package, through the index only. */
export const REFERRAL_READER = { index: readsOnly([REFERRAL_ATTRIBUTE], INDEX_KEYS) };
