import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { pacingRatesFromEnv } from '../pacing/pacing-rates.js';
import { createSendPacer, type SendPacer } from '../pacing/send-pacer.js';
import { env } from './aws-ports.js';
import { DynamoMinuteCounters } from './dynamo-minute-counters.js';

/** The paced path on the table: one counter item a minute per origination identity. */
export function awsPacer(): SendPacer {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return createSendPacer(new DynamoMinuteCounters(db, env('TABLE_NAME')), pacingRatesFromEnv(process.env));
}
