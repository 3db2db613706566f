// LoanStore in memory for large what-if simulations. It keeps DynamoLoanStore's single-table items (same keys,
// same attributes, sort keys in DynamoDB's order), so ordering and upsert quirks match, and counts requests
// the way DynamoDB bills them roughly. Unlike DynamoLoanStore, a decision too large for one transaction is
// still committed all or nothing.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AdvanceDecision, FollowUpSnapshot, FollowUpState, InboundEvent, TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { initialState } from '../../workflows/domain/follow-up-state.js';
import type { CallbackTask, CallOutcome, Contact, Finding, Instalment, Loan } from '../../workflows/domain/types.js';
import { ConcurrentUpdateError, TaskAlreadyAnsweredError, TaskNotFoundError } from '../errors.js';
import type {
  DeliveryReceipt,
  DestinationReceipt,
  LegalCasePackage,
  LegalReferral,
  LoanStore,
  LoanSummary,
  LoanView,
  PromiseToPay,
  ReceiptStore,
  SendRecord,
  StoredLoan,
} from '../ports.js';
import { DEFAULT_QUEUE_LIMIT, expiresAt, keys, loanIdOfTask, loanViewOf, OPEN_QUEUE, queueKeys, REFERRALS_QUEUE, referralOf } from './table-keys.js';

const TRANSACTION_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
/** DynamoDB returns at most 1 MB per Query or Scan page. */
const PAGE_BYTES = 1024 * 1024;

interface Key {
  pk: string;
  sk: string;
}
type Item = Key & Record<string, any>;

/** One item of an all-or-nothing write; `condition` sees the stored item (or undefined). */
type Write =
  | { put: Item; condition?: (existing: Item | undefined) => boolean }
  | { delete: Key }
  | { update: Key; condition: (existing: Item | undefined) => boolean; apply: (existing: Item) => Item };

export class MemoryLoanStore implements LoanStore, ReceiptStore {
  /** Requests as DynamoDB would bill them: one read per Get or Query/Scan page, one write per item written. */
  readonly stats = { reads: 0, writes: 0 };
  private readonly partitions = new Map<string, Map<string, Item>>();

  async createLoan(input: { loan: Loan; contact: Contact; instalments: Instalment[]; requestHash: string; now: string }): Promise<boolean> {
    const { loan } = input;
    const state: FollowUpState = initialState(input.now);
    try {
      this.transact([
        {
          put: { ...keys.meta(loan.loanId), loan, requestHash: input.requestHash, state, version: 0, createdAt: input.now },
          condition: (existing) => existing === undefined,
        },
        { put: { ...keys.contact(loan.loanId), ...input.contact } },
        ...input.instalments.map((i) => ({ put: { ...keys.instalment(loan.loanId, i.seq), ...i } })),
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }

  async getLoan(loanId: string): Promise<StoredLoan | undefined> {
    const item = this.getItem(keys.meta(loanId));
    return item ? { loan: copy(item.loan as Loan), state: copy(item.state as FollowUpState), requestHash: item.requestHash as string } : undefined;
  }

  async listLoans(): Promise<LoanSummary[]> {
    const all = [...this.partitions.values()].flatMap((partition) => [...partition.values()]);
    this.stats.reads += pages(all);
    return all
      .filter((item) => item.sk === 'META')
      .map((item) => {
        const state = item.state as FollowUpState;
        return { loanId: (item.loan as Loan).loanId, status: state.status, generation: state.generation, lastAdvancedAt: state.lastAdvancedAt };
      })
      .sort((a, b) => a.loanId.localeCompare(b.loanId));
  }

  async getContact(loanId: string): Promise<Contact | undefined> {
    const item = this.getItem(keys.contact(loanId));
    return item ? { phone: item.phone as string, email: item.email as string } : undefined;
  }

  async updateContact(loanId: string, contact: Partial<Contact>): Promise<void> {
    const entries = Object.entries(contact).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    // An UpdateItem creates the record when it is missing.
    this.transactOne({ update: keys.contact(loanId), condition: () => true, apply: (item) => ({ ...item, ...Object.fromEntries(entries) }) });
  }

  async getSnapshot(loanId: string): Promise<(FollowUpSnapshot & { version: number }) | undefined> {
    // One Query over the whole partition, as DynamoLoanStore makes it; only what a snapshot uses is gathered.
    const items = this.query(loanId, '', ['INST#', 'META', 'TASK#']);
    const meta = items.find((i) => i.sk === 'META');
    return meta ? snapshotOf(meta, items) : undefined;
  }

  async commitDecision(loanId: string, version: number, decision: AdvanceDecision, consumedEventIds: string[]): Promise<void> {
    const inbox = consumedEventIds.length > 0 ? this.inboxKeys(loanId, consumedEventIds) : [];
    const isOpenTask = (existing: Item | undefined) => existing?.status === 'OPEN';
    // The same items DynamoLoanStore writes; here always in one all-or-nothing step.
    this.transact(
      [
        ...decision.changedInstalments.map((seq) => {
          const inst = decision.instalments.find((i) => i.seq === seq)!;
          return { put: { ...keys.instalment(loanId, seq), ...inst } };
        }),
        ...decision.effects.flatMap((effect): Write[] => {
          if (effect.kind === 'CREATE_TASK') return [{ put: taskItem(effect.task), condition: (existing) => existing === undefined }];
          if (effect.kind === 'UPDATE_TASK') return [{ put: taskItem(effect.task), condition: isOpenTask }];
          return [];
        }),
        ...inbox.map((key) => ({ delete: key })),
        ...decision.timeline.map((e) => ({ put: timelineItem(e) })),
        {
          update: keys.meta(loanId),
          condition: (meta) => meta?.version === version,
          apply: (meta) => ({ ...meta, state: decision.state, version: version + 1 }),
        },
      ],
      Number.POSITIVE_INFINITY,
    );
  }

  async appendTimeline(events: TimelineEvent[]): Promise<void> {
    // One BatchWriteItem per 25 events, as DynamoLoanStore sends them; an earlier batch stays written.
    for (let i = 0; i < events.length; i += BATCH_WRITE_LIMIT) {
      const items = events.slice(i, i + BATCH_WRITE_LIMIT).map(timelineItem);
      this.stats.writes += items.length;
      rejectDuplicateKeys(items, 'Provided list of item keys contains duplicates');
      for (const item of items) this.putItem(item);
    }
  }

  async listTimeline(loanId: string): Promise<TimelineEvent[]> {
    return this.query(loanId, 'EVT#').map((i) => copy(i.event as TimelineEvent));
  }

  async listTasks(loanId: string): Promise<CallbackTask[]> {
    return this.query(loanId, 'TASK#').map((i) => stripKeys<CallbackTask>(i));
  }

  async getTask(taskId: string): Promise<CallbackTask | undefined> {
    const item = this.getItem(keys.task(loanIdOfTask(taskId), taskId));
    return item ? stripKeys<CallbackTask>(item) : undefined;
  }

  async recordTaskOutcome(
    taskId: string,
    outcome: { outcome: CallOutcome; findings: Finding[]; final: boolean; at: string; notes?: string; by: string; promise?: PromiseToPay },
  ): Promise<CallbackTask> {
    const key = keys.task(loanIdOfTask(taskId), taskId);
    try {
      const updated = this.transactOne({
        update: key,
        condition: (existing) => existing?.status === 'OPEN',
        apply: (task) => {
          const common = {
            outcome: outcome.outcome,
            findings: outcome.findings,
            notes: outcome.notes ?? '',
            attempts: ((task.attempts as number | undefined) ?? 0) + 1,
            ...(outcome.promise ? { promise: outcome.promise } : {}),
          };
          if (!outcome.final) return { ...task, ...common, lastAttemptAt: outcome.at, lastAttemptBy: outcome.by };
          // A finished task leaves the open-work queue.
          const { gsi1pk: _g1, gsi1sk: _g2, ...rest } = task;
          return { ...rest, ...common, status: 'DONE', completedAt: outcome.at, completedBy: outcome.by } as Item;
        },
      });
      return stripKeys<CallbackTask>(updated!);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      if (!(await this.getTask(taskId))) throw new TaskNotFoundError(taskId);
      throw new TaskAlreadyAnsweredError(taskId);
    }
  }

  async appendInbox(loanId: string, event: InboundEvent): Promise<void> {
    this.transactOne({ put: { ...keys.inbox(loanId, event.at, event.eventId), event } });
  }

  async listInbox(loanId: string): Promise<InboundEvent[]> {
    return this.query(loanId, 'INBOX#').map((i) => copy(i.event as InboundEvent));
  }

  async setWaitToken(loanId: string, generation: number, token: string): Promise<boolean> {
    try {
      this.transactOne({
        update: keys.meta(loanId),
        condition: (meta) => typeof meta?.state?.generation === 'number' && meta.state.generation <= generation,
        apply: (meta) => ({ ...meta, waitToken: token, waitGeneration: generation }),
      });
      return true;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }

  async getWaitToken(loanId: string): Promise<string | undefined> {
    return this.getItem(keys.meta(loanId))?.waitToken as string | undefined;
  }

  async claimSend(loanId: string, key: string, now: string): Promise<SendRecord | undefined> {
    try {
      this.transactOne({ put: { ...keys.send(loanId, key), key, status: 'CLAIMED', claimedAt: now, expiresAt: expiresAt(now) }, condition: (existing) => existing === undefined });
      return undefined;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      const item = this.getItem(keys.send(loanId, key));
      return item
        ? { key, status: item.status as SendRecord['status'], claimedAt: item.claimedAt as string, ...(item.messageId ? { messageId: item.messageId as string } : {}) }
        : undefined;
    }
  }

  async reclaimSend(loanId: string, key: string, claimedAt: string, now: string): Promise<boolean> {
    try {
      this.transactOne({
        update: keys.send(loanId, key),
        condition: (item) => item?.status === 'CLAIMED' && item.claimedAt === claimedAt,
        apply: (item) => ({ ...item, claimedAt: now, expiresAt: expiresAt(now), attempts: ((item.attempts as number | undefined) ?? 1) + 1 }),
      });
      return true;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }

  async markSent(loanId: string, key: string, messageId: string): Promise<void> {
    this.transactOne({ update: keys.send(loanId, key), condition: () => true, apply: (item) => ({ ...item, status: 'SENT', messageId }) });
  }

  async putReceipt(receipt: DeliveryReceipt): Promise<void> {
    this.transactOne({ put: { ...keys.receipt(receipt.loanId, receipt.key), ...receipt, expiresAt: expiresAt(receipt.acceptedAt) } });
  }

  async getReceipt(loanId: string, key: string): Promise<DeliveryReceipt | undefined> {
    const item = this.getItem(keys.receipt(loanId, key));
    return item ? { loanId, key, messageId: item.messageId as string, acceptedAt: item.acceptedAt as string } : undefined;
  }

  async putDestinationReceipt(receipt: DestinationReceipt): Promise<void> {
    const { destination, messageId, acceptedAt } = receipt;
    this.transactOne({
      update: keys.destinationReceipt(destination, acceptedAt, messageId),
      condition: () => true,
      apply: (item) => ({ ...item, destination, messageId, acceptedAt, expiresAt: expiresAt(acceptedAt) }),
    });
  }

  async listDestinationReceipts(destination: string, from: string, to: string): Promise<DestinationReceipt[]> {
    const partition = this.partitions.get(keys.destinationReceipt(destination, '', '').pk);
    const upper = `${to}~`;
    const items = partition ? sortedKeysOf(partition).filter((sk) => compareKeys(sk, from) >= 0 && compareKeys(sk, upper) <= 0).map((sk) => partition.get(sk)!) : [];
    this.stats.reads += pages(items);
    return items.map((item) => ({
      destination: item.destination as string,
      messageId: item.messageId as string,
      acceptedAt: item.acceptedAt as string,
      ...(item.matchedTo ? { matchedTo: item.matchedTo as string } : {}),
    }));
  }

  async matchDestinationReceipt(receipt: DestinationReceipt, matchedTo: string): Promise<boolean> {
    try {
      this.transactOne({
        update: keys.destinationReceipt(receipt.destination, receipt.acceptedAt, receipt.messageId),
        condition: (item) => item !== undefined && (item.matchedTo === undefined || item.matchedTo === matchedTo),
        apply: (item) => ({ ...item, matchedTo }),
      });
      return true;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }

  async listSentMessageIds(loanId: string): Promise<string[]> {
    return this.query(loanId, 'SEND#')
      .filter((m) => m.status === 'SENT' && typeof m.messageId === 'string')
      .map((m) => m.messageId as string);
  }

  async putLegalCase(pkg: LegalCasePackage): Promise<void> {
    this.transactOne({ put: { ...keys.legalCase(pkg.loanId), gsi1pk: 'REFERRALS', gsi1sk: `${pkg.referredAt}#${pkg.caseId}`, casePackage: pkg } });
  }

  async getLegalCase(loanId: string): Promise<LegalCasePackage | undefined> {
    const item = this.getItem(keys.legalCase(loanId));
    return item ? copy(item.casePackage as LegalCasePackage) : undefined;
  }

  async markFlagged(loanId: string, reason: string, now: string): Promise<void> {
    try {
      this.transactOne({ update: keys.meta(loanId), condition: (meta) => meta !== undefined, apply: (meta) => ({ ...meta, flagged: { reason, at: now } }) });
    } catch (error) {
      // DynamoLoanStore lets the SDK's error through for a missing loan.
      if (error instanceof ConcurrentUpdateError) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      throw error;
    }
  }

  async listOpenTasks(options: { purposes?: readonly string[]; limit?: number } = {}): Promise<CallbackTask[]> {
    const limit = options.limit ?? DEFAULT_QUEUE_LIMIT;
    const wanted = options.purposes ? new Set(options.purposes) : undefined;
    const queued = this.indexQuery(OPEN_QUEUE);
    return queued
      .filter((item) => !wanted || wanted.has(item.purpose as string))
      .slice(0, limit)
      .map((item) => stripKeys<CallbackTask>(item));
  }

  async listReferrals(): Promise<LegalReferral[]> {
    return this.indexQuery(REFERRALS_QUEUE)
      .reverse()
      .map((item) => referralOf(copy(item.casePackage as LegalCasePackage)));
  }

  async getLoanView(loanId: string): Promise<LoanView | undefined> {
    return loanViewOf(copy(this.query(loanId)));
  }

  /** A Query on gsi1 for one partition, in index sort-key order (the index holds only items with both keys). */
  private indexQuery(gsi1pk: string): Item[] {
    const items = [...this.partitions.values()]
      .flatMap((partition) => [...partition.values()])
      .filter((item) => item.gsi1pk === gsi1pk && typeof item.gsi1sk === 'string')
      .sort((a, b) => compareKeys(a.gsi1sk as string, b.gsi1sk as string) || compareKeys(a.pk, b.pk) || compareKeys(a.sk, b.sk));
    this.stats.reads += pages(items);
    return items;
  }

  private inboxKeys(loanId: string, eventIds: string[]): Key[] {
    const wanted = new Set(eventIds);
    return this.query(loanId, 'INBOX#')
      .filter((i) => wanted.has((i.event as InboundEvent).eventId))
      .map((i) => ({ pk: i.pk, sk: i.sk }));
  }

  // getItem and query hand out the stored items themselves: every public method copies what it returns.

  /** A consistent GetItem. */
  private getItem(key: Key): Item | undefined {
    this.stats.reads += 1;
    return this.partitions.get(key.pk)?.get(key.sk);
  }

  /**
   * A Query on the loan's partition, in sort-key order. `gather` (ascending key prefixes) keeps only the items
   * the caller looks at; the read is still counted for everything the Query returns.
   */
  private query(loanId: string, prefix = '', gather?: string[]): Item[] {
    const partition = this.partitions.get(keys.meta(loanId).pk);
    const items: Item[] = [];
    if (partition) {
      const sorted = sortedKeysOf(partition);
      for (const start of prefix === '' && gather ? gather : [prefix]) {
        for (let i = start === '' ? 0 : firstAtOrAfter(sorted, start); i < sorted.length && sorted[i]!.startsWith(start); i++) items.push(partition.get(sorted[i]!)!);
      }
    }
    // The whole partition's size is kept as items come and go; a prefix range is measured item by item.
    const bytes = prefix === '' && partition ? partitionBytes.get(partition) : undefined;
    if (partition && bytes === undefined && gather) throw new Error('a gathering Query needs the partition size');
    this.stats.reads += bytes === undefined ? pages(items) : Math.max(1, Math.ceil(bytes / PAGE_BYTES));
    return items;
  }

  private putItem(item: Item): Item {
    let partition = this.partitions.get(item.pk);
    if (!partition) this.partitions.set(item.pk, (partition = new Map()));
    const stored = storable(item);
    const previous = partition.get(item.sk);
    partitionBytes.set(partition, (partitionBytes.get(partition) ?? 0) + sizeOf(stored) - (previous ? sizeOf(previous) : 0));
    if (!previous) {
      const sorted = sortedKeys.get(partition);
      if (sorted?.length === partition.size) sorted.splice(firstAtOrAfter(sorted, item.sk), 0, item.sk);
      else sortedKeys.delete(partition);
    }
    partition.set(item.sk, stored);
    return stored;
  }

  private deleteItem(key: Key): void {
    const partition = this.partitions.get(key.pk);
    const previous = partition?.get(key.sk);
    if (!partition || !previous) return;
    partition.delete(key.sk);
    partitionBytes.set(partition, (partitionBytes.get(partition) ?? 0) - sizeOf(previous));
    const sorted = sortedKeys.get(partition);
    if (sorted?.length === partition.size + 1) sorted.splice(firstAtOrAfter(sorted, key.sk), 1);
    else sortedKeys.delete(partition);
  }

  private transactOne(write: Write): Item | undefined {
    return this.transact([write])[0];
  }

  /**
   * Writes every item or none, like TransactWriteItems: ValidationException for too many items or two writes
   * to one item, ConcurrentUpdateError when a condition fails. Returns the stored items (undefined for deletes).
   */
  private transact(writes: Write[], limit = TRANSACTION_LIMIT): (Item | undefined)[] {
    this.stats.writes += writes.length;
    if (writes.length > limit) throw validationError(`Member must have length less than or equal to ${limit}`);
    const targets = writes.map((w) => ('put' in w ? { pk: w.put.pk, sk: w.put.sk } : 'delete' in w ? w.delete : w.update));
    rejectDuplicateKeys(targets, 'Transaction request cannot include multiple operations on one item');
    const existing = targets.map((key) => this.partitions.get(key.pk)?.get(key.sk));
    const codes = writes.map((w, i) => ('condition' in w && w.condition && !w.condition(existing[i]) ? 'ConditionalCheckFailed' : 'None'));
    if (codes.includes('ConditionalCheckFailed')) throw new ConcurrentUpdateError(`a conditional write failed: ${codes.join(',')}`);
    return writes.map((w, i) => {
      if ('delete' in w) {
        this.deleteItem(w.delete);
        return undefined;
      }
      // An update of a missing item creates it, as UpdateItem does.
      return this.putItem('put' in w ? w.put : w.apply({ ...existing[i], ...w.update }));
    });
  }
}

function snapshotOf(meta: Item, items: Item[]): FollowUpSnapshot & { version: number } {
  const instalments = items.filter((i) => i.sk.startsWith('INST#')).map((i) => stripKeys<Instalment>(i));
  const openTasks = items.filter((i) => i.sk.startsWith('TASK#') && i.status === 'OPEN').map((i) => stripKeys<CallbackTask>(i));
  return { loan: copy(meta.loan as Loan), state: copy(meta.state as FollowUpState), instalments, openTasks, version: meta.version as number };
}

function stripKeys<T>(item: Record<string, any>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return copy(rest) as T;
}

function taskItem(task: CallbackTask): Item {
  return { ...keys.task(task.loanId, task.taskId), ...task, ...(task.status === 'OPEN' ? queueKeys(task) : {}) };
}

function timelineItem(event: TimelineEvent): Item {
  return { ...keys.timeline(event.loanId, event.at, event.key), event };
}

function rejectDuplicateKeys(targets: Key[], message: string): void {
  const seen = new Set<string>();
  for (const { pk, sk } of targets) {
    const id = `${pk}\u0000${sk}`;
    if (seen.has(id)) throw validationError(message);
    seen.add(id);
  }
}

/** The error DynamoDB answers a malformed request with (the SDK names it ValidationException). */
function validationError(message: string): Error {
  const error = new Error(message);
  error.name = 'ValidationException';
  return error;
}

// Each partition's sort keys in DynamoDB's order, kept up to date as keys come and go: a loan's partition
// grows by its whole history, and sorting it again for every Query made long simulations quadratic.
const sortedKeys = new WeakMap<Map<string, Item>, string[]>();
const partitionBytes = new WeakMap<Map<string, Item>, number>();

function sortedKeysOf(partition: Map<string, Item>): string[] {
  let sorted = sortedKeys.get(partition);
  if (!sorted || sorted.length !== partition.size) sortedKeys.set(partition, (sorted = [...partition.keys()].sort(compareKeys)));
  return sorted;
}

/** Index of the first key not before `prefix` (binary search). */
function firstAtOrAfter(sorted: string[], prefix: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareKeys(sorted[mid]!, prefix) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function copy<T>(value: T): T {
  return clonePlain(value, false);
}

/** A private copy as the document client would store it: undefined attributes and list members dropped. */
function storable<T>(value: T): T {
  return clonePlain(value, true);
}

/**
 * Objects and arrays the store made for itself. They are never changed once stored (a write stores new
 * objects), so a later write may share them instead of copying them again: updating a loan's META item then
 * copies its top level, not the whole follow-up state under it.
 */
const privateCopies = new WeakSet<object>();

/**
 * Deep copy of plain JSON-like data, as structuredClone would make it but several times faster (the store
 * copies every item in and out). Anything that is not a plain object, array or primitive goes through
 * structuredClone, so behaviour is the same for every value.
 */
function clonePlain<T>(value: T, forStore: boolean): T {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol') return structuredClone(value);
    return value;
  }
  if (forStore && privateCopies.has(value)) return value;
  if (Array.isArray(value)) {
    // A list of plain values (the follow-up state's `done` keys, findings) is copied in one go.
    if (allPlainValues(value)) {
      const flat = value.slice();
      if (forStore) privateCopies.add(flat);
      return flat as T;
    }
    const out: unknown[] = [];
    for (const member of value) {
      if (forStore && member === undefined) continue;
      out.push(clonePlain(member, forStore));
    }
    if (forStore) privateCopies.add(out);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const cloned = structuredClone(value);
    return forStore ? dropUndefined(cloned) : cloned;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (forStore && member === undefined) continue;
    out[key] = clonePlain(member, forStore);
  }
  if (forStore) privateCopies.add(out);
  return out as T;
}

/** Only strings, numbers, booleans and nulls (a hole reads as undefined, so a sparse list is not). */
function allPlainValues(list: unknown[]): boolean {
  for (let i = 0; i < list.length; i++) {
    const value = list[i];
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'boolean' && value !== null) return false;
  }
  return true;
}

function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map(dropUndefined) as T;
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) delete (value as Record<string, unknown>)[k];
      else (value as Record<string, unknown>)[k] = dropUndefined(v);
    }
  }
  return value;
}

/**
 * JSON sizes of stored items and of the private objects in them: they never change (a write stores a new
 * item), so each is measured once. An item that shares parts with the one it replaces (a META update keeps
 * the loan and the follow-up state) is measured from its top-level attributes and the known parts' sizes.
 */
const jsonSizes = new WeakMap<object, number>();

/** `JSON.stringify(item).length`. */
function sizeOf(item: Item): number {
  let size = jsonSizes.get(item);
  if (size !== undefined) return size;
  if (typeof (item as { toJSON?: unknown }).toJSON === 'function') size = JSON.stringify(item).length;
  else {
    let members = 0;
    size = 2;
    for (const key of Object.keys(item)) {
      const value = item[key];
      if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
      size += JSON.stringify(key).length + 1 + memberSize(value);
      members += 1;
    }
    size += Math.max(0, members - 1);
  }
  jsonSizes.set(item, size);
  return size;
}

function memberSize(value: unknown): number {
  if (value === null || typeof value !== 'object') return JSON.stringify(value).length;
  let size = jsonSizes.get(value);
  if (size === undefined) {
    size = JSON.stringify(value).length;
    if (privateCopies.has(value)) jsonSizes.set(value, size);
  }
  return size;
}

/** Pages a Query or Scan over these items would take (1 MB each, at least one). */
function pages(items: Item[]): number {
  const bytes = items.reduce((n, item) => n + sizeOf(item), 0);
  return Math.max(1, Math.ceil(bytes / PAGE_BYTES));
}

/** DynamoDB orders sort keys by UTF-8 bytes, i.e. by code point; JS `<` compares UTF-16 units. */
function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
