import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { AdvanceDecision, FollowUpState, InboundEvent, TimelineEvent } from '../../workflows/domain/follow-up-state.js';
import { initialState } from '../../workflows/domain/follow-up-state.js';
import { queueOfTask } from '../../workflows/domain/task-queue.js';
import { loanIdOfTask, type CallbackTask, type Contact, type Instalment, type Loan, type TaskQueueId } from '../../workflows/domain/types.js';
import { ConcurrentUpdateError, LoanClosedError, LoanNotFoundError } from '../errors.js';
import { QUEUE_VIEW_ATTRIBUTES, REFERRAL_ATTRIBUTE, TABLE_SCHEMA, TASK_ATTRIBUTES } from './table-schema.js';
import type { AuditHead } from '../../workflows/audit/audit-head.js';
import type {
  AuditHeadSource,
  CallAttempt,
  ChainedAppend,
  ConsumedEvent,
  PinnedStep,
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
} from '../ports.js';
import { refusedCallAttempt } from '../call-attempts.js';
import { retryDynamoErrorsAsTransient } from './transient-dynamo-errors.js';
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
} from './table-keys.js';

const TRANSACTION_LIMIT = 100;
const TIMELINE_PUTS_IN_FLIGHT = 25;

/** See SNAPSHOT_RANGE. Every item a snapshot needs has the attribute asked for; anything else that passes is ignored. */
const SNAPSHOT_FILTER = {
  FilterExpression: 'attribute_exists(#event) OR attribute_exists(#dueDate) OR attribute_exists(#version) OR #status = :open',
  ExpressionAttributeNames: { '#event': 'event', '#dueDate': 'dueDate', '#version': 'version', '#status': 'status' },
  ExpressionAttributeValues: { ':open': 'OPEN' },
};

/** A loan's partition key is this prefix and its id (table-keys `keys.meta`). */
const LOAN_PREFIX = 'LOAN#';

export class DynamoLoanStore implements LoanStore, ReceiptStore, AuditHeadSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    // Throttling and server errors the SDK could not retry away reach the handlers as TransientDependencyError.
    retryDynamoErrorsAsTransient(db);
  }

  async createLoan(input: { loan: Loan; contact: Contact; instalments: Instalment[]; requestHash: string; now: string }): Promise<boolean> {
    const { loan } = input;
    const state: FollowUpState = initialState(input.now);
    try {
      await this.transact([
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.meta(loan.loanId), loan, requestHash: input.requestHash, state, version: 0, createdAt: input.now },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.tableName, Item: { ...keys.contact(loan.loanId), ...input.contact } } },
        ...input.instalments.map((i) => ({ Put: { TableName: this.tableName, Item: { ...keys.instalment(loan.loanId, i.seq), ...i } } })),
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError) return false;
      throw error;
    }
  }

  async getLoan(loanId: string): Promise<StoredLoan | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.meta(loanId), ConsistentRead: true }));
    return Item ? storedLoanOf(Item) : undefined;
  }

  async listLoans(): Promise<LoanSummary[]> {
    const out: LoanSummary[] = [];
    let start: Record<string, any> | undefined;
    do {
      const result = await this.db.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'sk = :meta',
          ExpressionAttributeValues: { ':meta': 'META' },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of result.Items ?? []) {
        const state = item.state as FollowUpState;
        out.push({ loanId: (item.loan as Loan).loanId, status: state.status, generation: state.generation, lastAdvancedAt: state.lastAdvancedAt });
      }
      start = result.LastEvaluatedKey;
    } while (start);
    return out.sort((a, b) => a.loanId.localeCompare(b.loanId));
  }

  /**
   * Every loan's audit head, for the anchor job: a Scan of the loans' records that asks for `state.auditHead`
   * only (its role may read nothing else: Select SPECIFIC_ATTRIBUTES, attributes pk, sk, state), in `segments`
   * parallel scan segments. Eventually consistent: a head a moment old is still a genuine head.
   */
  async listAuditHeads(segments = 1): Promise<{ loanId: string; head: AuditHead }[]> {
    const scanSegment = async (segment: number) => {
      const out: { loanId: string; head: AuditHead }[] = [];
      let start: Record<string, any> | undefined;
      do {
        const result = await this.db.send(
          new ScanCommand({
            TableName: this.tableName,
            Select: 'SPECIFIC_ATTRIBUTES',
            ProjectionExpression: '#pk, #state.#head',
            FilterExpression: '#sk = :meta',
            ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#state': 'state', '#head': 'auditHead' },
            ExpressionAttributeValues: { ':meta': 'META' },
            ExclusiveStartKey: start,
            ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
          }),
        );
        for (const item of result.Items ?? []) {
          const head = (item.state as { auditHead?: AuditHead } | undefined)?.auditHead;
          if (head) out.push({ loanId: (item.pk as string).slice(LOAN_PREFIX.length), head });
        }
        start = result.LastEvaluatedKey;
      } while (start);
      return out;
    };
    return (await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)))).flat();
  }

  async getContact(loanId: string): Promise<Contact | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contact(loanId), ConsistentRead: true }));
    return Item ? contactOf(Item) : undefined;
  }

  async updateContact(loanId: string, contact: Partial<Contact>): Promise<void> {
    const entries = Object.entries(contact).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return;
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.contact(loanId),
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
      }),
    );
  }

  async getSnapshot(loanId: string) {
    const items = await this.queryAll(loanId, SNAPSHOT_RANGE, SNAPSHOT_FILTER);
    const inbox = items.filter((i) => i.sk.startsWith('INBOX#'));
    const meta = items.find((i) => i.sk === 'META');
    if (!meta) return undefined;
    const instalments = items.filter((i) => i.sk.startsWith('INST#')).map((i) => stripKeys<Instalment>(i));
    const openTasks = items.filter((i) => i.sk.startsWith('TASK#') && i.status === 'OPEN').map((i) => stripKeys<CallbackTask>(i));
    return {
      loan: meta.loan as Loan,
      state: meta.state as FollowUpState,
      instalments,
      openTasks,
      version: meta.version as number,
      inbox: inbox.map((i) => i.event as InboundEvent),
      ...(meta.pinnedStep ? { pinnedStep: meta.pinnedStep as PinnedStep } : {}),
    };
  }

  async commitDecision(loanId: string, version: number, decision: AdvanceDecision, consumed: ConsumedEvent[]): Promise<void> {
    const inbox = consumed.map((e) => keys.inbox(loanId, e.at, e.eventId));
    const items: Record<string, unknown>[] = [
      ...decision.changedInstalments.map((seq) => {
        const inst = decision.instalments.find((i) => i.seq === seq)!;
        return { Put: { TableName: this.tableName, Item: { ...keys.instalment(loanId, seq), ...inst } } };
      }),
      ...decision.effects.flatMap((effect) => {
        if (effect.kind === 'CREATE_TASK') {
          return [{ Put: { TableName: this.tableName, Item: taskItem(effect.task), ConditionExpression: 'attribute_not_exists(pk)' } }];
        }
        if (effect.kind === 'UPDATE_TASK') {
          // Rewritten only as the snapshot saw it: still open, and no call recorded on it since.
          const attempts = effect.task.attempts;
          return [
            {
              Put: {
                TableName: this.tableName,
                Item: taskItem(effect.task),
                ConditionExpression: `#s = :open AND ${attempts === undefined ? 'attribute_not_exists(attempts)' : 'attempts = :attempts'}`,
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':open': 'OPEN', ...(attempts === undefined ? {} : { ':attempts': attempts }) },
              },
            },
          ];
        }
        return [];
      }),
      ...inbox.map((key) => ({ Delete: { TableName: this.tableName, Key: key } })),
      ...(decision.removedInstalments ?? []).map((seq) => ({ Delete: { TableName: this.tableName, Key: keys.instalment(loanId, seq) } })),
    ];
    // Timeline records are idempotent puts: written first, outside the transaction, when it would be too large.
    const timelinePuts = decision.timeline.map((e) => ({ Put: { TableName: this.tableName, Item: timelineItem(e) } }));
    if (items.length + timelinePuts.length + 1 <= TRANSACTION_LIMIT) items.push(...timelinePuts);
    else await this.appendTimeline(decision.timeline);
    const metaUpdate = {
      Update: {
        TableName: this.tableName,
        Key: keys.meta(loanId),
        // The events consumed leave the count AwaitEvent looks at.
        UpdateExpression: `SET #state = :state, #version = :next${inbox.length > 0 ? ' ADD inboxPending :consumed' : ''} REMOVE pinnedStep`,
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#state': 'state', '#version': 'version' },
        ExpressionAttributeValues: {
          ':state': decision.state,
          ':version': version,
          ':next': version + 1,
          ...(inbox.length > 0 ? { ':consumed': -inbox.length } : {}),
        },
      },
    };
    if (items.length + 1 > TRANSACTION_LIMIT) {
      // Rare (a long-sleeping loan catching up): chunks, each guarded by the version, the state update last,
      // so a stale step writes nothing at all.
      const versionCheck = {
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.meta(loanId),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': version },
        },
      };
      for (let i = 0; i < items.length; i += TRANSACTION_LIMIT - 1) await this.transact([versionCheck, ...items.slice(i, i + TRANSACTION_LIMIT - 1)]);
      await this.transact([metaUpdate]);
      return;
    }
    await this.transact([...items, metaUpdate]);
  }

  async appendTimeline(events: TimelineEvent[]): Promise<void> {
    // One PutItem per record, 25 at a time: no BatchWriteItem, which could also delete (IAM cannot tell).
    for (let i = 0; i < events.length; i += TIMELINE_PUTS_IN_FLIGHT) {
      const chunk = events.slice(i, i + TIMELINE_PUTS_IN_FLIGHT);
      await Promise.all(chunk.map((e) => this.db.send(new PutCommand({ TableName: this.tableName, Item: timelineItem(e) }))));
    }
  }

  async listTimeline(loanId: string): Promise<TimelineEvent[]> {
    const items = await this.queryAll(loanId, 'EVT#');
    return items.map((i) => i.event as TimelineEvent);
  }

  async listTasks(loanId: string): Promise<CallbackTask[]> {
    return (await this.queryAll(loanId, 'TASK#')).map((i) => stripKeys<CallbackTask>(i));
  }

  async getTask(taskId: string): Promise<CallbackTask | undefined> {
    const loanId = loanIdOfTask(taskId);
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.task(loanId, taskId), ConsistentRead: true }));
    return Item ? stripKeys<CallbackTask>(Item) : undefined;
  }

  async getTaskAndLoan(taskId: string): Promise<{ task: CallbackTask | undefined; loan: StoredLoan | undefined }> {
    const loanId = loanIdOfTask(taskId);
    const taskKey = keys.task(loanId, taskId);
    const found: Record<string, any>[] = [];
    let wanted: Record<string, any>[] = [taskKey, keys.meta(loanId)];
    // BatchGetItem may leave keys unprocessed under load: ask again for those.
    while (wanted.length > 0) {
      const result = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted, ConsistentRead: true } } }));
      found.push(...(result.Responses?.[this.tableName] ?? []));
      wanted = (result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, any>[] | undefined) ?? [];
    }
    const task = found.find((i) => i.sk === taskKey.sk);
    const meta = found.find((i) => i.sk === 'META');
    return { task: task ? stripKeys<CallbackTask>(task) : undefined, loan: meta ? storedLoanOf(meta) : undefined };
  }

  async recordCallAttempt(attempt: CallAttempt): Promise<{ replayed: false } | { replayed: true; task: CallbackTask }> {
    const { taskId, seenAttempts, requestId, outcome, event } = attempt;
    const loanId = loanIdOfTask(taskId);
    const set = outcome.final ? ['#s = :done', 'completedAt = :at', 'completedBy = :by'] : ['lastAttemptAt = :at', 'lastAttemptBy = :by'];
    set.push('outcome = :o', 'findings = :f', 'notes = :n', 'attempts = :next');
    if (outcome.promise) set.push('promise = :p');
    if (outcome.decision) set.push('decision = :d');
    if (requestId) set.push('requestIds = list_append(if_not_exists(requestIds, :none), :rid)');
    const condition = ['attribute_exists(pk)', '#s = :open', seenAttempts === 0 ? '(attribute_not_exists(attempts) OR attempts = :seen)' : 'attempts = :seen'];
    if (requestId) condition.push('NOT contains(requestIds, :ridValue)');
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.task(loanId, taskId),
                // A finished task leaves the work-queue index.
                UpdateExpression: `SET ${set.join(', ')}${outcome.final ? ' REMOVE gsi1pk, gsi1sk' : ''}`,
                ConditionExpression: condition.join(' AND '),
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: {
                  ':open': 'OPEN',
                  ':o': outcome.outcome,
                  ':f': outcome.findings,
                  ':at': outcome.at,
                  ':by': outcome.by,
                  ':n': outcome.notes ?? '',
                  ':seen': seenAttempts,
                  ':next': seenAttempts + 1,
                  ...(outcome.final ? { ':done': 'DONE' } : {}),
                  ...(outcome.promise ? { ':p': outcome.promise } : {}),
                  ...(outcome.decision ? { ':d': outcome.decision } : {}),
                  ...(requestId ? { ':none': [], ':rid': [requestId], ':ridValue': requestId } : {}),
                },
              },
            },
            this.inboxPut(loanId, event),
            this.inboxCount(loanId),
          ],
        }),
      );
      return { replayed: false };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const task = await this.getTask(taskId);
      return refusedCallAttempt(attempt, task, error.CancellationReasons?.map((r) => r.Code ?? 'None').join(',') ?? 'unknown');
    }
  }

  async appendInbox(loanId: string, event: InboundEvent): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [this.inboxPut(loanId, event), this.inboxCount(loanId)] as never }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [put, meta] = error.CancellationReasons ?? [];
      if (meta?.Code === 'ConditionalCheckFailed') throw meta.Item ? new LoanClosedError(loanId) : new LoanNotFoundError(loanId);
      // The same event is in the inbox already.
      if (put?.Code === 'ConditionalCheckFailed') return;
      throw error;
    }
  }

  /** An inbox event, put once. */
  private inboxPut(loanId: string, event: InboundEvent) {
    return {
      Put: { TableName: this.tableName, Item: { ...keys.inbox(loanId, event.at, event.eventId), event }, ConditionExpression: 'attribute_not_exists(pk)' },
    };
  }

  /**
   * One more event on the loan's record for AwaitEvent to see (setWaitToken), if the loan is open. A refusal
   * returns the record, which tells a closed loan from one that does not exist.
   */
  private inboxCount(loanId: string) {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.meta(loanId),
        UpdateExpression: 'ADD inboxPending :one',
        ConditionExpression: 'attribute_exists(pk) AND #state.#status <> :closed',
        ExpressionAttributeNames: { '#state': 'state', '#status': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':closed': 'CLOSED' },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    };
  }

  async listInbox(loanId: string): Promise<InboundEvent[]> {
    const items = await this.queryAll(loanId, 'INBOX#');
    return items.map((i) => i.event as InboundEvent);
  }

  async setWaitToken(loanId: string, generation: number, token: string): Promise<'STALE' | 'WAITING' | 'EVENTS_PENDING'> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.meta(loanId),
          UpdateExpression: 'SET waitToken = :t, waitGeneration = :g, inboxPending = if_not_exists(inboxPending, :zero)',
          ConditionExpression: 'attribute_exists(pk) AND #state.#gen <= :g',
          ExpressionAttributeNames: { '#state': 'state', '#gen': 'generation' },
          ExpressionAttributeValues: { ':t': token, ':g': generation, ':zero': 0 },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return (Attributes?.inboxPending ?? 0) > 0 ? 'EVENTS_PENDING' : 'WAITING';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'STALE';
      throw error;
    }
  }

  async getWaitToken(loanId: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.meta(loanId), ProjectionExpression: 'waitToken', ConsistentRead: true }),
    );
    return Item?.waitToken as string | undefined;
  }

  async claimSend(loanId: string, key: string, now: string): Promise<SendRecord | undefined> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.send(loanId, key), key, status: 'CLAIMED', claimedAt: now, expiresAt: expiresAt(now) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.send(loanId, key), ConsistentRead: true }));
      return Item ? sendRecordOf(key, Item) : undefined;
    }
  }

  async reclaimSend(loanId: string, key: string, claimedAt: string, now: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.send(loanId, key),
          UpdateExpression: 'SET claimedAt = :now, expiresAt = :exp, attempts = if_not_exists(attempts, :one) + :one',
          ConditionExpression: '#s = :claimed AND claimedAt = :was',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':now': now, ':exp': expiresAt(now), ':one': 1, ':claimed': 'CLAIMED', ':was': claimedAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markSent(loanId: string, key: string, messageId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.send(loanId, key),
        UpdateExpression: 'SET #s = :sent, messageId = :m',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':sent': 'SENT', ':m': messageId },
      }),
    );
  }

  async putReceipt(receipt: DeliveryReceipt): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.receipt(receipt.loanId, receipt.key), ...receipt, expiresAt: expiresAt(receipt.acceptedAt) },
      }),
    );
  }

  async getReceipt(loanId: string, key: string): Promise<DeliveryReceipt | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.receipt(loanId, key), ConsistentRead: true }));
    return Item ? { loanId, key, messageId: Item.messageId as string, acceptedAt: Item.acceptedAt as string } : undefined;
  }

  async putDestinationReceipt(receipt: DestinationReceipt): Promise<void> {
    const { matchedTo: _m, ...fields } = receipt;
    // A repeated log event must not undo a match made in between.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.destinationReceipt(receipt.destination, receipt.acceptedAt, receipt.messageId),
        UpdateExpression: 'SET destination = :d, messageId = :m, acceptedAt = :a, expiresAt = :exp',
        ExpressionAttributeValues: { ':d': fields.destination, ':m': fields.messageId, ':a': fields.acceptedAt, ':exp': expiresAt(fields.acceptedAt) },
      }),
    );
  }

  async listDestinationReceipts(destination: string, from: string, to: string): Promise<DestinationReceipt[]> {
    const out: DestinationReceipt[] = [];
    let start: Record<string, any> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          // `~` sorts after `#` and every id character, so the upper bound takes every message of `to`.
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': keys.destinationReceipt(destination, '', '').pk, ':from': from, ':to': `${to}~` },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of result.Items ?? []) out.push(destinationReceiptOf(item));
      start = result.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async matchDestinationReceipt(receipt: DestinationReceipt, matchedTo: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.destinationReceipt(receipt.destination, receipt.acceptedAt, receipt.messageId),
          UpdateExpression: 'SET matchedTo = :to',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(matchedTo) OR matchedTo = :to)',
          ExpressionAttributeValues: { ':to': matchedTo },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listSentMessageIds(loanId: string): Promise<string[]> {
    const markers = await this.queryAll(loanId, 'SEND#');
    return markers.filter((m) => m.status === 'SENT' && typeof m.messageId === 'string').map((m) => m.messageId as string);
  }

  async putLegalCase(pkg: LegalCasePackage): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.legalCase(pkg.loanId),
          gsi1pk: 'REFERRALS',
          gsi1sk: `${pkg.referredAt}#${pkg.caseId}`,
          casePackage: pkg,
          [REFERRAL_ATTRIBUTE]: referralOf(pkg),
        },
      }),
    );
  }

  async getLegalCase(loanId: string): Promise<LegalCasePackage | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.legalCase(loanId), ConsistentRead: true }));
    return Item?.casePackage as LegalCasePackage | undefined;
  }

  async pinStep(loanId: string, step: PinnedStep): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.meta(loanId),
          UpdateExpression: 'SET pinnedStep = :p',
          ConditionExpression: '#version = :v',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':p': step, ':v': step.version },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new ConcurrentUpdateError(`the loan moved past version ${step.version}`);
      throw error;
    }
  }

  async markFlagged(loanId: string, reason: string, now: string, chained?: ChainedAppend): Promise<void> {
    if (chained) {
      const { from, to, records } = chained;
      await this.transact([
        ...records.map((e) => ({ Put: { TableName: this.tableName, Item: timelineItem(e), ConditionExpression: 'attribute_not_exists(pk)' } })),
        {
          Update: {
            TableName: this.tableName,
            Key: keys.meta(loanId),
            UpdateExpression: 'SET flagged = :f, #state.#head = :to',
            // The head as read: a step committed since would have moved it.
            ConditionExpression: from
              ? 'attribute_exists(pk) AND #state.#head.#seq = :seq AND #state.#head.#hash = :hash'
              : 'attribute_exists(pk) AND attribute_not_exists(#state.#head)',
            ExpressionAttributeNames: { '#state': 'state', '#head': 'auditHead', ...(from ? { '#seq': 'seq', '#hash': 'hash' } : {}) },
            ExpressionAttributeValues: { ':f': { reason, at: now }, ':to': to, ...(from ? { ':seq': from.seq, ':hash': from.hash } : {}) },
          },
        },
      ]);
      return;
    }
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.meta(loanId),
        UpdateExpression: 'SET flagged = :f',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':f': { reason, at: now } },
      }),
    );
  }

  async anonymiseContact(loanId: string, now: string, chained: ChainedAppend): Promise<void> {
    const { from, to, records } = chained;
    await this.transact([
      // A Put, not an Update: whatever the record held (plate, VIN, description) is gone, not only the named fields.
      { Put: { TableName: this.tableName, Item: { ...keys.contact(loanId), phone: '', email: '', anonymisedAt: now } } },
      ...records.map((e) => ({ Put: { TableName: this.tableName, Item: timelineItem(e), ConditionExpression: 'attribute_not_exists(pk)' } })),
      {
        Update: {
          TableName: this.tableName,
          Key: keys.meta(loanId),
          UpdateExpression: 'SET #state.#head = :to',
          ConditionExpression: from
            ? 'attribute_exists(pk) AND #state.#head.#seq = :seq AND #state.#head.#hash = :hash'
            : 'attribute_exists(pk) AND attribute_not_exists(#state.#head)',
          ExpressionAttributeNames: { '#state': 'state', '#head': 'auditHead', ...(from ? { '#seq': 'seq', '#hash': 'hash' } : {}) },
          ExpressionAttributeValues: { ':to': to, ...(from ? { ':seq': from.seq, ':hash': from.hash } : {}) },
        },
      },
    ]);
  }

  async listOpenTasks(options: { purposes?: readonly string[]; queues?: readonly TaskQueueId[]; limit?: number } = {}): Promise<CallbackTask[]> {
    const limit = options.limit ?? DEFAULT_QUEUE_LIMIT;
    const wanted = options.purposes ? new Set(options.purposes) : undefined;
    const out: CallbackTask[] = [];
    // Only the task fields: the index projects nothing else, and the queue's role may read nothing else.
    for await (const items of this.queueIndexPages(OPEN_QUEUE, projectionOf(TASK_ATTRIBUTES))) {
      for (const item of items) {
        if (wanted && !wanted.has(item.purpose as string)) continue;
        const task = stripKeys<CallbackTask>(item);
        if (options.queues && !options.queues.includes(queueOfTask(task))) continue;
        out.push(task);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  async listReferrals(): Promise<LegalReferral[]> {
    const out: LegalReferral[] = [];
    // The summary stored beside each package (the index projects it, never the package).
    const pages = this.queueIndexPages(REFERRALS_QUEUE, { ...projectionOf([REFERRAL_ATTRIBUTE]), ScanIndexForward: false });
    for await (const items of pages) for (const item of items) if (item[REFERRAL_ATTRIBUTE]) out.push(item[REFERRAL_ATTRIBUTE] as LegalReferral);
    return out;
  }

  /** The pages of one partition of the gsi1 index (the work queue, the referrals). */
  private async *queueIndexPages(partition: string, extra: Record<string, unknown> = {}): AsyncGenerator<Record<string, any>[]> {
    let start: Record<string, any> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: TABLE_SCHEMA.queueIndex.name,
          KeyConditionExpression: 'gsi1pk = :partition',
          ExpressionAttributeValues: { ':partition': partition },
          ExclusiveStartKey: start,
          ...extra,
        }),
      );
      yield result.Items ?? [];
      start = result.LastEvaluatedKey;
    } while (start);
  }

  async getLoanView(loanId: string): Promise<LoanView | undefined> {
    return loanViewOf(await this.queryAll(loanId));
  }

  async getQueueView(loanId: string): Promise<QueueView | undefined> {
    // The instalments and the record (INST# < META, nothing between), and of them only what the queue shows.
    const projection = projectionOf(['sk', ...QUEUE_VIEW_ATTRIBUTES]);
    const items = await this.queryAll(loanId, QUEUE_VIEW_RANGE, undefined, projection);
    return queueViewOf(items);
  }

  /** Every item of the loan's partition, or of the keys that begin with `prefix` or lie in a range, page by page. */
  private async queryAll(
    loanId: string,
    keysWanted?: string | { from: string; to: string },
    filter?: { FilterExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> },
    projection?: ReturnType<typeof projectionOf>,
  ): Promise<Record<string, any>[]> {
    const out: Record<string, any>[] = [];
    const condition =
      keysWanted === undefined
        ? { KeyConditionExpression: 'pk = :pk', values: {} }
        : typeof keysWanted === 'string'
          ? { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', values: { ':prefix': keysWanted } }
          : { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to', values: { ':from': keysWanted.from, ':to': keysWanted.to } };
    let start: Record<string, any> | undefined;
    do {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: condition.KeyConditionExpression,
          ...(filter ? { FilterExpression: filter.FilterExpression, ExpressionAttributeNames: filter.ExpressionAttributeNames } : {}),
          ...(projection ? { ...projection, ExpressionAttributeNames: { ...filter?.ExpressionAttributeNames, ...projection.ExpressionAttributeNames } } : {}),
          ExpressionAttributeValues: { ':pk': keys.meta(loanId).pk, ...condition.values, ...filter?.ExpressionAttributeValues },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
    } while (start);
    return out;
  }

  private async transact(items: Record<string, unknown>[]): Promise<void> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items as never }));
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
        throw new ConcurrentUpdateError(`a conditional write failed: ${error.CancellationReasons.map((r) => r.Code).join(',')}`);
      }
      throw error;
    }
  }
}

function sendRecordOf(key: string, item: Record<string, any>): SendRecord {
  return {
    key,
    status: item.status as SendRecord['status'],
    claimedAt: item.claimedAt as string,
    ...(item.messageId ? { messageId: item.messageId as string } : {}),
  };
}

function destinationReceiptOf(item: Record<string, any>): DestinationReceipt {
  return {
    destination: item.destination as string,
    messageId: item.messageId as string,
    acceptedAt: item.acceptedAt as string,
    ...(item.matchedTo ? { matchedTo: item.matchedTo as string } : {}),
  };
}

/**
 * Reads only these top-level attributes (Select SPECIFIC_ATTRIBUTES, named as an IAM dynamodb:Attributes
 * condition sees them; see infra/constructs/table-conditions.ts).
 */
function projectionOf(names: readonly string[]) {
  return {
    Select: 'SPECIFIC_ATTRIBUTES' as const,
    ProjectionExpression: names.map((_, i) => `#p${i}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#p${i}`, name])),
  };
}

function storedLoanOf(meta: Record<string, any>): StoredLoan {
  return { loan: meta.loan as Loan, state: meta.state as FollowUpState, requestHash: meta.requestHash as string };
}

function stripKeys<T = any>(item: Record<string, any>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

function taskItem(task: CallbackTask): Record<string, unknown> {
  return { ...keys.task(task.loanId, task.taskId), ...task, ...(task.status === 'OPEN' ? queueKeys(task) : {}) };
}

function timelineItem(event: TimelineEvent): Record<string, unknown> {
  return { ...keys.timeline(event.loanId, event.at, event.key), event };
}
