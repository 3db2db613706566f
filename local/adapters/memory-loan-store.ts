// LoanStore in memory for large what-if simulations. It keeps DynamoLoanStore's single-table items (same keys,
// same attributes, sort keys in DynamoDB's order), so ordering and upsert quirks match, and counts requests
// the way DynamoDB bills them roughly. Unlike DynamoLoanStore, a decision too large for one transaction is
// still committed all or nothing.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { AdvanceDecision, FollowUpState, InboundEvent, TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { initialState } from '../../workflows/domain/follow-up-state.js';
import { queueOfTask } from '../../workflows/domain/task-queue.js';
import { loanIdOfTask, type CallbackTask, type Contact, type Instalment, type Loan, type TaskQueueId } from '../../workflows/domain/types.js';
import { ConcurrentUpdateError, LoanClosedError, LoanNotFoundError } from '../../functions/errors.js';
import type { AuditHead } from '../../workflows/audit/audit-head.js';
import type {
  AuditHeadSource,
  CallAttempt,
  ChainedAppend,
  ConsumedEvent,
  PinnedStep,
  StoredSnapshot,
  DeliveryReceipt,
  DestinationReceipt,
  LegalCasePackage,
  LegalReferral,
  LoanStore,
  LoanSummary,
  LoanView,
  QueueView,
  ReceiptStore,
  SendRecord,
  StoredLoan,
} from '../../functions/ports.js';
import { refusedCallAttempt } from '../../functions/call-attempts.js';
import { QUEUE_VIEW_ATTRIBUTES, REFERRAL_ATTRIBUTE, TASK_ATTRIBUTES } from '../../functions/adapters/table-schema.js';
import {
  contactOf,
  DEFAULT_QUEUE_LIMIT,
  expiresAt,
  keys,
  SNAPSHOT_RANGE,
  loanViewOf,
  OPEN_QUEUE,
  QUEUE_VIEW_RANGE,
  queueKeys,
  queueViewOf,
  REFERRALS_QUEUE,
  referralOf,
} from '../../functions/adapters/table-keys.js';

const TRANSACTION_LIMIT = 100;
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

export class MemoryLoanStore implements LoanStore, ReceiptStore, AuditHeadSource {
  /** Requests as DynamoDB would bill them: one read per Get or Query/Scan page, one write per item written. */
  readonly stats = { reads: 0, writes: 0 };
  /**
   * Sees every item written or deleted: its partition key and its queue-index key before and after (undefined
   * when the item is not in the index). `npm run capacity` counts writes per partition with it.
   */
  onItemWrite?: (write: { pk: string; indexBefore?: string; indexAfter?: string }) => void;
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

  /** Every loan's audit head (the anchor job's full scan). */
  async listAuditHeads(): Promise<{ loanId: string; head: AuditHead }[]> {
    const all = [...this.partitions.values()].flatMap((partition) => [...partition.values()]);
    this.stats.reads += pages(all);
    return all
      .filter((item) => item.sk === 'META' && (item.state as FollowUpState).auditHead)
      .map((item) => ({ loanId: (item.loan as Loan).loanId, head: copy((item.state as FollowUpState).auditHead!) }));
  }

  async getContact(loanId: string): Promise<Contact | undefined> {
    const item = this.getItem(keys.contact(loanId));
    return item ? contactOf(item) : undefined;
  }

  async updateContact(loanId: string, contact: Partial<Contact>): Promise<void> {
    const entries = Object.entries(contact).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    // An UpdateItem creates the record when it is missing.
    this.transactOne({ update: keys.contact(loanId), condition: () => true, apply: (item) => ({ ...item, ...Object.fromEntries(entries) }) });
  }

  async getSnapshot(loanId: string): Promise<StoredSnapshot | undefined> {
    // One Query over SNAPSHOT_RANGE, as DynamoLoanStore makes it (its filter drops items, not pages read).
    const partition = this.partitions.get(keys.meta(loanId).pk);
    this.stats.reads += partition ? pagesOfBytes(snapshotRangeBytes.get(partition) ?? 0) : 1;
    const inboxItems = partition ? group(partition, 'INBOX#').items : [];
    const meta = partition?.get('META');
    if (!partition || !meta) return undefined;
    const openTasks: CallbackTask[] = [];
    for (const task of withoutKeys(group(partition, 'TASK#'))) if (task.attributes.status === 'OPEN') openTasks.push(copyAttributes<CallbackTask>(task));
    return {
      loan: copy(meta.loan as Loan),
      state: copy(meta.state as FollowUpState),
      instalments: withoutKeys(group(partition, 'INST#')).map((i) => copyAttributes<Instalment>(i)),
      openTasks,
      version: meta.version as number,
      inbox: inboxItems.map((i) => copy(i.event as InboundEvent)),
      ...(meta.pinnedStep ? { pinnedStep: copy(meta.pinnedStep as PinnedStep) } : {}),
    };
  }

  async pinStep(loanId: string, step: PinnedStep): Promise<void> {
    this.transactOne({
      update: keys.meta(loanId),
      condition: (meta) => meta?.version === step.version,
      apply: (meta) => ({ ...meta, pinnedStep: { ...step } }),
    });
  }

  async commitDecision(loanId: string, version: number, decision: AdvanceDecision, consumed: ConsumedEvent[]): Promise<void> {
    const inbox = consumed.map((e) => keys.inbox(loanId, e.at, e.eventId));
    // A task is rewritten only as the snapshot saw it: still open, and no call recorded on it since.
    const unchangedOpenTask = (task: CallbackTask) => (existing: Item | undefined) => existing?.status === 'OPEN' && existing.attempts === task.attempts;
    // The same items DynamoLoanStore writes; here always in one all-or-nothing step.
    this.transact(
      [
        ...decision.changedInstalments.map((seq) => {
          const inst = decision.instalments.find((i) => i.seq === seq)!;
          return { put: { ...keys.instalment(loanId, seq), ...inst } };
        }),
        ...decision.effects.flatMap((effect): Write[] => {
          if (effect.kind === 'CREATE_TASK') return [{ put: taskItem(effect.task), condition: (existing) => existing === undefined }];
          if (effect.kind === 'UPDATE_TASK') return [{ put: taskItem(effect.task), condition: unchangedOpenTask(effect.task) }];
          return [];
        }),
        ...inbox.map((key) => ({ delete: key })),
        ...(decision.removedInstalments ?? []).map((seq) => ({ delete: keys.instalment(loanId, seq) })),
        ...decision.timeline.map((e) => ({ put: timelineItem(e) })),
        {
          update: keys.meta(loanId),
          condition: (meta) => meta?.version === version,
          // The events consumed leave the count AwaitEvent looks at.
          apply: ({ pinnedStep: _pinned, ...meta }) => ({
            ...meta,
            state: decision.state,
            version: version + 1,
            ...(inbox.length > 0 ? { inboxPending: ((meta.inboxPending as number | undefined) ?? 0) - inbox.length } : {}),
          }),
        },
      ],
      Number.POSITIVE_INFINITY,
    );
  }

  async appendTimeline(events: TimelineEvent[]): Promise<void> {
    // One PutItem per event, as DynamoLoanStore sends them; each stays written.
    for (const item of events.map(timelineItem)) {
      this.stats.writes += 1;
      this.putItem(item);
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

  async getTaskAndLoan(taskId: string): Promise<{ task: CallbackTask | undefined; loan: StoredLoan | undefined }> {
    return { task: await this.getTask(taskId), loan: await this.getLoan(loanIdOfTask(taskId)) };
  }

  async recordCallAttempt(attempt: CallAttempt): Promise<{ replayed: false } | { replayed: true; task: CallbackTask }> {
    const { taskId, seenAttempts, requestId, outcome, event } = attempt;
    const loanId = loanIdOfTask(taskId);
    try {
      this.transact([
        {
          update: keys.task(loanId, taskId),
          condition: (task) =>
            task?.status === 'OPEN' &&
            ((task.attempts as number | undefined) ?? 0) === seenAttempts &&
            !(requestId && (task.requestIds as string[] | undefined)?.includes(requestId)),
          apply: (task) => {
            const common = {
              outcome: outcome.outcome,
              findings: outcome.findings,
              notes: outcome.notes ?? '',
              attempts: seenAttempts + 1,
              ...(outcome.promise ? { promise: outcome.promise } : {}),
              ...(outcome.decision ? { decision: outcome.decision } : {}),
              ...(requestId ? { requestIds: [...((task.requestIds as string[] | undefined) ?? []), requestId] } : {}),
            };
            if (!outcome.final) return { ...task, ...common, lastAttemptAt: outcome.at, lastAttemptBy: outcome.by };
            // A finished task leaves the open-work queue.
            const { gsi1pk: _g1, gsi1sk: _g2, ...rest } = task;
            return { ...rest, ...common, status: 'DONE', completedAt: outcome.at, completedBy: outcome.by } as Item;
          },
        },
        this.inboxPut(loanId, event),
        this.inboxCount(loanId),
      ]);
      return { replayed: false };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      return refusedCallAttempt(attempt, await this.getTask(taskId), error.message);
    }
  }

  async appendInbox(loanId: string, event: InboundEvent): Promise<void> {
    try {
      this.transact([this.inboxPut(loanId, event), this.inboxCount(loanId)]);
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      // The refusal returns the loan's record (ReturnValuesOnConditionCheckFailure): no read of its own.
      const meta = this.peek(keys.meta(loanId));
      if (!meta) throw new LoanNotFoundError(loanId);
      if (isClosed(meta)) throw new LoanClosedError(loanId);
      // The same event is in the inbox already.
    }
  }

  /** An inbox event, put once. */
  private inboxPut(loanId: string, event: InboundEvent): Write {
    return { put: { ...keys.inbox(loanId, event.at, event.eventId), event }, condition: (existing) => existing === undefined };
  }

  /** One more event on the loan's record for AwaitEvent to see (setWaitToken), if the loan is open. */
  private inboxCount(loanId: string): Write {
    return {
      update: keys.meta(loanId),
      condition: (meta) => meta !== undefined && !isClosed(meta),
      apply: (meta) => ({ ...meta, inboxPending: ((meta.inboxPending as number | undefined) ?? 0) + 1 }),
    };
  }

  async listInbox(loanId: string): Promise<InboundEvent[]> {
    const items = this.query(loanId, 'INBOX#');
    return items.map((i) => copy(i.event as InboundEvent));
  }

  async setWaitToken(loanId: string, generation: number, token: string): Promise<'STALE' | 'WAITING' | 'EVENTS_PENDING'> {
    try {
      const [meta] = this.transact([
        {
          update: keys.meta(loanId),
          condition: (meta) => typeof meta?.state?.generation === 'number' && meta.state.generation <= generation,
          apply: (meta) => ({ ...meta, waitToken: token, waitGeneration: generation, inboxPending: meta.inboxPending ?? 0 }),
        },
      ]);
      return (meta!.inboxPending as number) > 0 ? 'EVENTS_PENDING' : 'WAITING';
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return 'STALE';
      throw error;
    }
  }

  async getWaitToken(loanId: string): Promise<string | undefined> {
    return this.getItem(keys.meta(loanId))?.waitToken as string | undefined;
  }

  async claimSend(loanId: string, key: string, now: string): Promise<SendRecord | undefined> {
    try {
      this.transactOne({
        put: { ...keys.send(loanId, key), key, status: 'CLAIMED', claimedAt: now, expiresAt: expiresAt(now) },
        condition: (existing) => existing === undefined,
      });
      return undefined;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      const item = this.getItem(keys.send(loanId, key));
      return item
        ? {
            key,
            status: item.status as SendRecord['status'],
            claimedAt: item.claimedAt as string,
            ...(item.messageId ? { messageId: item.messageId as string } : {}),
          }
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
    const items = partition
      ? sortedKeysOf(partition)
          .filter((sk) => compareKeys(sk, from) >= 0 && compareKeys(sk, upper) <= 0)
          .map((sk) => partition.get(sk)!)
      : [];
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
    this.transactOne({
      put: {
        ...keys.legalCase(pkg.loanId),
        gsi1pk: 'REFERRALS',
        gsi1sk: `${pkg.referredAt}#${pkg.caseId}`,
        casePackage: pkg,
        [REFERRAL_ATTRIBUTE]: referralOf(pkg),
      },
    });
  }

  async getLegalCase(loanId: string): Promise<LegalCasePackage | undefined> {
    const item = this.getItem(keys.legalCase(loanId));
    return item ? copy(item.casePackage as LegalCasePackage) : undefined;
  }

  async markFlagged(loanId: string, reason: string, now: string, chained?: ChainedAppend): Promise<void> {
    if (chained) {
      const { from, to, records } = chained;
      const headAsRead = (meta: Item | undefined) => {
        const head = (meta?.state as FollowUpState | undefined)?.auditHead;
        return meta !== undefined && (from ? head?.seq === from.seq && head.hash === from.hash : head === undefined);
      };
      this.transact([
        ...records.map((e): Write => ({ put: timelineItem(e), condition: (existing) => existing === undefined })),
        {
          update: keys.meta(loanId),
          condition: headAsRead,
          apply: (meta) => ({ ...meta, flagged: { reason, at: now }, state: { ...(meta.state as FollowUpState), auditHead: to } }),
        },
      ]);
      return;
    }
    try {
      this.transactOne({ update: keys.meta(loanId), condition: (meta) => meta !== undefined, apply: (meta) => ({ ...meta, flagged: { reason, at: now } }) });
    } catch (error) {
      // DynamoLoanStore lets the SDK's error through for a missing loan.
      if (error instanceof ConcurrentUpdateError) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      throw error;
    }
  }

  async anonymiseContact(loanId: string, now: string, chained: ChainedAppend): Promise<void> {
    const { from, to, records } = chained;
    const headAsRead = (meta: Item | undefined) => {
      const head = (meta?.state as FollowUpState | undefined)?.auditHead;
      return meta !== undefined && (from ? head?.seq === from.seq && head.hash === from.hash : head === undefined);
    };
    this.transact([
      { put: { ...keys.contact(loanId), phone: '', email: '', anonymisedAt: now }, condition: () => true },
      ...records.map((e): Write => ({ put: timelineItem(e), condition: (existing) => existing === undefined })),
      { update: keys.meta(loanId), condition: headAsRead, apply: (meta) => ({ ...meta, state: { ...(meta.state as FollowUpState), auditHead: to } }) },
    ]);
  }

  async listOpenTasks(options: { purposes?: readonly string[]; queues?: readonly TaskQueueId[]; limit?: number } = {}): Promise<CallbackTask[]> {
    const limit = options.limit ?? DEFAULT_QUEUE_LIMIT;
    const wanted = options.purposes ? new Set(options.purposes) : undefined;
    const queued = this.indexQuery(OPEN_QUEUE);
    return queued
      .filter((item) => !wanted || wanted.has(item.purpose as string))
      .map((item) => stripKeys<CallbackTask>(projected(item, TASK_ATTRIBUTES)))
      .filter((task) => !options.queues || options.queues.includes(queueOfTask(task)))
      .slice(0, limit);
  }

  async listReferrals(): Promise<LegalReferral[]> {
    // The index projects the summary beside each package, never the package.
    return this.indexQuery(REFERRALS_QUEUE)
      .reverse()
      .flatMap((item) => (item[REFERRAL_ATTRIBUTE] ? [copy(item[REFERRAL_ATTRIBUTE] as LegalReferral)] : []));
  }

  async getLoanView(loanId: string): Promise<LoanView | undefined> {
    return loanViewOf(copy(this.query(loanId)));
  }

  async getQueueView(loanId: string): Promise<QueueView | undefined> {
    const { from, to } = QUEUE_VIEW_RANGE;
    const items = this.query(loanId).filter((item) => compareKeys(item.sk, from) >= 0 && compareKeys(item.sk, to) <= 0);
    return queueViewOf(copy(items.map((item) => projected(item, ['sk', ...QUEUE_VIEW_ATTRIBUTES]))));
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

  // getItem and query hand out the stored items themselves: every public method copies what it returns.

  /** A consistent GetItem. */
  private getItem(key: Key): Item | undefined {
    this.stats.reads += 1;
    return this.peek(key);
  }

  /** The stored item, as a write's condition sees it: no read of its own. */
  private peek(key: Key): Item | undefined {
    return this.partitions.get(key.pk)?.get(key.sk);
  }

  /** A Query on the loan's partition (the whole of it, or the keys that begin with `prefix`), in sort-key order. */
  private query(loanId: string, prefix = ''): Item[] {
    const partition = this.partitions.get(keys.meta(loanId).pk);
    if (!partition) {
      this.stats.reads += 1;
      return [];
    }
    if (prefix === '') {
      this.stats.reads += pagesOfBytes(partitionBytes.get(partition)!);
      return sortedKeysOf(partition).map((sk) => partition.get(sk)!);
    }
    const found = group(partition, prefix);
    this.stats.reads += pagesOfBytes((found.bytes ??= found.items.reduce((n, item) => n + sizeOf(item), 0)));
    return found.items;
  }

  private putItem(item: Item): Item {
    let partition = this.partitions.get(item.pk);
    if (!partition) this.partitions.set(item.pk, (partition = new Map()));
    const previous = partition.get(item.sk);
    const stored = storable(item, previous);
    const change = lastStoredSize - (previous ? sizeOf(previous) : 0);
    partitionBytes.set(partition, (partitionBytes.get(partition) ?? 0) + change);
    if (inSnapshotRange(item.sk)) snapshotRangeBytes.set(partition, (snapshotRangeBytes.get(partition) ?? 0) + change);
    forgetGroups(partition, item.sk);
    if (!previous) {
      const sorted = sortedKeys.get(partition);
      if (sorted?.length === partition.size) sorted.splice(firstAtOrAfter(sorted, item.sk), 0, item.sk);
      else sortedKeys.delete(partition);
    }
    partition.set(item.sk, stored);
    this.onItemWrite?.({ pk: item.pk, indexBefore: previous?.gsi1pk as string | undefined, indexAfter: stored.gsi1pk as string | undefined });
    return stored;
  }

  private deleteItem(key: Key): void {
    const partition = this.partitions.get(key.pk);
    const previous = partition?.get(key.sk);
    if (!partition || !previous) return;
    partition.delete(key.sk);
    partitionBytes.set(partition, (partitionBytes.get(partition) ?? 0) - sizeOf(previous));
    if (inSnapshotRange(key.sk)) snapshotRangeBytes.set(partition, (snapshotRangeBytes.get(partition) ?? 0) - sizeOf(previous));
    forgetGroups(partition, key.sk);
    const sorted = sortedKeys.get(partition);
    if (sorted?.length === partition.size + 1) sorted.splice(firstAtOrAfter(sorted, key.sk), 1);
    else sortedKeys.delete(partition);
    this.onItemWrite?.({ pk: key.pk, indexBefore: previous.gsi1pk as string | undefined });
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
    const existing = targets.map((key) => this.peek(key));
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

/** An item's attributes without its table keys (pk, sk and the index keys), and whether all are plain values. */
interface Attributes {
  attributes: Record<string, unknown>;
  flat: boolean;
}

function isClosed(meta: Item): boolean {
  return (meta.state as FollowUpState).status === 'CLOSED';
}

function attributesOf(item: Record<string, any>): Attributes {
  const attributes: Record<string, unknown> = {};
  let flat = true;
  for (const key of Object.keys(item)) {
    if (key === 'pk' || key === 'sk' || key === 'gsi1pk' || key === 'gsi1sk') continue;
    const value = item[key];
    if (value !== null && typeof value === 'object') flat = false;
    attributes[key] = value;
  }
  return { attributes, flat };
}

/** A caller's copy: a flat item (an instalment) with a spread, several times faster than member by member. */
function copyAttributes<T>({ attributes, flat }: Attributes): T {
  return (flat ? { ...attributes } : copy(attributes)) as T;
}

/** The item as a Query with a projection of these attributes returns it (DynamoLoanStore's projectionOf). */
function projected(item: Item, names: readonly string[]): Item {
  const out: Record<string, unknown> = {};
  for (const name of names) if (item[name] !== undefined) out[name] = item[name];
  return out as Item;
}

/** A copy of the item without its table keys. */
function stripKeys<T>(item: Record<string, any>): T {
  return copyAttributes<T>(attributesOf(item));
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

type Partition = Map<string, Item>;

// Each partition's sort keys in DynamoDB's order, kept up to date as keys come and go: a loan's partition
// grows by its whole history, and sorting it again for every Query made long simulations quadratic.
const sortedKeys = new WeakMap<Partition, string[]>();
const partitionBytes = new WeakMap<Partition, number>();
/** Bytes of the items in the key range a snapshot reads (SNAPSHOT_RANGE), kept as items come and go. */
const snapshotRangeBytes = new WeakMap<Partition, number>();

function inSnapshotRange(sk: string): boolean {
  return compareKeys(sk, SNAPSHOT_RANGE.from) >= 0 && compareKeys(sk, SNAPSHOT_RANGE.to) <= 0;
}

function sortedKeysOf(partition: Partition): string[] {
  let sorted = sortedKeys.get(partition);
  if (!sorted || sorted.length !== partition.size) sortedKeys.set(partition, (sorted = [...partition.keys()].sort(compareKeys)));
  return sorted;
}

/**
 * The items under a sort-key prefix that Queries asked for, per partition, in key order: kept
 * until an item under that prefix changes. Every step reads the loan's instalments, tasks and inbox, and most
 * steps change none of them.
 */
interface Group {
  items: Item[];
  /** Measured when a Query counts its pages (a snapshot counts its whole key range instead). */
  bytes?: number;
  /** The items' attributes without their keys, made when first asked for (see withoutKeys). */
  withoutKeys?: Attributes[];
}

const prefixGroups = new WeakMap<Partition, Map<string, Group>>();

/**
 * The group's items without their keys, made once for as long as the group lasts (every step reads the whole
 * schedule), from each item's own, made once for as long as it is stored (a group is made again when one of
 * its items changes).
 */
function withoutKeys(group: Group): Attributes[] {
  return (group.withoutKeys ??= group.items.map(storedAttributesOf));
}

const storedAttributes = new WeakMap<Item, Attributes>();

function storedAttributesOf(item: Item): Attributes {
  let found = storedAttributes.get(item);
  if (!found) storedAttributes.set(item, (found = attributesOf(item)));
  return found;
}

function group(partition: Partition, prefix: string): Group {
  let groups = prefixGroups.get(partition);
  if (!groups) prefixGroups.set(partition, (groups = new Map()));
  let found = groups.get(prefix);
  if (!found) {
    const sorted = sortedKeysOf(partition);
    const items: Item[] = [];
    for (let i = firstAtOrAfter(sorted, prefix); i < sorted.length && sorted[i]!.startsWith(prefix); i++) items.push(partition.get(sorted[i]!)!);
    groups.set(prefix, (found = { items }));
  }
  return found;
}

/** Drops the groups an item under `sk` belongs to (it was written or deleted). */
function forgetGroups(partition: Partition, sk: string): void {
  const groups = prefixGroups.get(partition);
  if (!groups) return;
  for (const prefix of groups.keys()) if (sk.startsWith(prefix)) groups.delete(prefix);
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

/** A copy for a caller: stored values are plain JSON-like data (see storable). */
function copy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    // A list of plain values (the follow-up state's `done` keys, findings) is copied in one go.
    if (allPlainValues(value)) return value.slice() as T;
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
    return out as T;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key]);
  return out as T;
}

/**
 * Sizes of stored items and of the objects directly under them. Stored values are never changed (a write
 * stores new ones), so each is measured once, and an item that keeps a member of the one it replaces (an
 * update of META keeps the loan and, for a wait token, the follow-up state) shares it instead of copying it.
 */
const storedSizes = new WeakMap<object, number>();

/**
 * The item as the store keeps it: a private copy, as the document client would store it (undefined
 * attributes and list members dropped), measured as it is copied. Members it shares with `previous`, the item
 * it replaces, are kept as they are.
 */
function storable(item: Item, previous?: Item): Item {
  const out: Record<string, unknown> = {};
  let size = 2;
  let members = 0;
  for (const key of Object.keys(item)) {
    const value = item[key];
    if (value === undefined) continue;
    let stored: unknown;
    let memberSize: number;
    if (previous !== undefined && value !== null && typeof value === 'object' && previous[key] === value) {
      stored = value;
      memberSize = storedSizes.get(value)!;
    } else {
      measured = 0;
      stored = storeValue(value);
      memberSize = measured;
      if (stored !== null && typeof stored === 'object') storedSizes.set(stored, memberSize);
    }
    out[key] = stored;
    size += key.length + 3 + memberSize;
    members += 1;
  }
  size += Math.max(0, members - 1);
  storedSizes.set(out, size);
  lastStoredSize = size;
  return out as Item;
}

/** The size of the item storable made last. */
let lastStoredSize = 0;

/** What storeValue has measured so far (see jsonLength). */
let measured = 0;

/** A private copy of `value` (undefined members dropped); adds its JSON length to `measured`. */
function storeValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      measured += value.length + 2;
      return value;
    case 'number':
      measured += Number.isFinite(value) ? String(value).length : 4;
      return value;
    case 'boolean':
      measured += value ? 4 : 5;
      return value;
    case 'object':
      break;
    case 'function':
    case 'symbol':
      return structuredClone(value);
    default:
      return value;
  }
  if (value === null) {
    measured += 4;
    return null;
  }
  if (Array.isArray(value)) {
    if (allPlainValues(value)) {
      // A list of plain values (the follow-up state's `done` keys) is measured in one loop and copied in one go.
      let size = 2 + Math.max(0, value.length - 1);
      for (let i = 0; i < value.length; i++) {
        const member = value[i];
        size +=
          typeof member === 'string'
            ? member.length + 2
            : member === null
              ? 4
              : typeof member === 'boolean'
                ? member
                  ? 4
                  : 5
                : Number.isFinite(member)
                  ? String(member).length
                  : 4;
      }
      measured += size;
      return value.slice();
    }
    const out: unknown[] = [];
    for (const member of value) if (member !== undefined) out.push(storeValue(member));
    measured += 2 + Math.max(0, out.length - 1);
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const cloned = dropUndefined(structuredClone(value));
    measured += JSON.stringify(cloned)?.length ?? 0;
    return cloned;
  }
  const out: Record<string, unknown> = {};
  let members = 0;
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member === undefined) continue;
    measured += key.length + 3;
    out[key] = storeValue(member);
    members += 1;
  }
  measured += 2 + Math.max(0, members - 1);
  return out;
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
 * The item's JSON length (`JSON.stringify(item).length`, escapes not counted), measured when it was stored:
 * close enough to DynamoDB's item size to count 1 MB Query pages.
 */
function sizeOf(item: Item): number {
  let size = storedSizes.get(item);
  if (size === undefined) storedSizes.set(item, (size = JSON.stringify(item).length));
  return size;
}

function pagesOfBytes(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / PAGE_BYTES));
}

/** Pages a Query or Scan over these items would take (1 MB each, at least one). */
function pages(items: Item[]): number {
  let bytes = 0;
  for (const item of items) bytes += sizeOf(item);
  return pagesOfBytes(bytes);
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
