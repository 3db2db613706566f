import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MinuteCounters } from '../pacing/send-pacer.js';
import { expiresAt, keys } from './table-keys.js';
import { retryDynamoErrorsAsTransient } from './transient-dynamo-errors.js';

/** A minute's counter lives a day: long enough for any send it paced, then DynamoDB's TTL removes it. */
const COUNTER_TTL_DAYS = 1;

/**
 * The pacing counters as items of their own partition per identity (`PACE#<channel>#<identity>`, one item a
 * minute): at most a channel's rate of writes a second on one partition, far under its 1,000.
 */
export class DynamoMinuteCounters implements MinuteCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    retryDynamoErrorsAsTransient(db);
  }

  async take(key: string, minuteStart: string, capacity: number, from: number): Promise<number | null> {
    if (from >= capacity) return null;
    const Key = keys.paceCounter(key, minuteStart);
    const ttl = expiresAt(minuteStart, COUNTER_TTL_DAYS);
    if (from > 0) {
      // Catch the counter up to the first slot not yet gone by (DynamoDB has no max() in an update).
      const caughtUp = await this.update({
        TableName: this.tableName,
        Key,
        UpdateExpression: 'SET taken = :next, expiresAt = :ttl',
        ConditionExpression: 'attribute_not_exists(taken) OR taken < :from',
        ExpressionAttributeValues: { ':next': from + 1, ':from': from, ':ttl': ttl },
      });
      if (caughtUp !== null) return from;
    }
    const taken = await this.update({
      TableName: this.tableName,
      Key,
      UpdateExpression: 'SET taken = if_not_exists(taken, :zero) + :one, expiresAt = :ttl',
      ConditionExpression: 'attribute_not_exists(taken) OR taken < :capacity',
      ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':capacity': capacity, ':ttl': ttl },
    });
    return taken === null ? null : taken - 1;
  }

  /** The counter after the update, or null when its condition did not hold. */
  private async update(input: ConstructorParameters<typeof UpdateCommand>[0]): Promise<number | null> {
    try {
      const out = await this.db.send(new UpdateCommand({ ...input, ReturnValues: 'UPDATED_NEW' }));
      return Number(out.Attributes?.taken);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return null;
      throw error;
    }
  }
}
