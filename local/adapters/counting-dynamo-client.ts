// Counts the requests a DynamoDB client sends, the way they are billed roughly, so a run against a real or
// local table can be compared with MemoryLoanStore's `stats` and turned into a cost forecast.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface DynamoOperationCounts {
  /** Get, Query and Scan requests (one per page); batch and transactional gets count each item. */
  reads: number;
  /** Put, Update and Delete requests; batch and transactional writes count each item. */
  writes: number;
}

type Input = Record<string, any>;

// The document client runs the plain client's command under it, so both names of each operation are listed.
const SINGLE_READS = new Set(['GetCommand', 'GetItemCommand', 'QueryCommand', 'ScanCommand']);
const SINGLE_WRITES = new Set(['PutCommand', 'PutItemCommand', 'UpdateCommand', 'UpdateItemCommand', 'DeleteCommand', 'DeleteItemCommand']);

function itemsOf(commandName: string, input: Input): { reads: number; writes: number } {
  if (SINGLE_READS.has(commandName)) return { reads: 1, writes: 0 };
  if (SINGLE_WRITES.has(commandName)) return { reads: 0, writes: 1 };
  switch (commandName) {
    case 'BatchWriteCommand':
    case 'BatchWriteItemCommand':
      return { reads: 0, writes: sumOfLengths(input.RequestItems) };
    case 'BatchGetCommand':
    case 'BatchGetItemCommand':
      return { reads: Object.values(input.RequestItems ?? {}).reduce((n: number, r: any) => n + (r?.Keys?.length ?? 0), 0), writes: 0 };
    case 'TransactWriteCommand':
    case 'TransactWriteItemsCommand':
      return { reads: 0, writes: input.TransactItems?.length ?? 0 };
    case 'TransactGetCommand':
    case 'TransactGetItemsCommand':
      return { reads: input.TransactItems?.length ?? 0, writes: 0 };
    default:
      // Table management (CreateTable, DescribeTable, ...) is not item traffic.
      return { reads: 0, writes: 0 };
  }
}

function sumOfLengths(requestItems: Record<string, unknown[]> | undefined): number {
  return Object.values(requestItems ?? {}).reduce((n, list) => n + (list?.length ?? 0), 0);
}

/** Installs a counting middleware on the client; the returned object keeps counting as the client is used. */
export function countDynamoOperations(client: DynamoDBDocumentClient): DynamoOperationCounts {
  const counts: DynamoOperationCounts = { reads: 0, writes: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const { reads, writes } = itemsOf(String(context.commandName ?? ''), (args.input ?? {}) as Input);
      counts.reads += reads;
      counts.writes += writes;
      return next(args);
    },
    { step: 'initialize', name: 'countDynamoOperations', override: true },
  );
  return counts;
}
