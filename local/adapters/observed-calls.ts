// Which AWS actions each function's code actually sends, as IAM authorizes them: a transaction is
// authorized per item (PutItem, UpdateItem, DeleteItem, ConditionCheckItem), a Query on an index separately
// from one on the table. The least-privilege test compares this with what the template grants.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { currentFunction, trackCurrentFunction } from '../lambda-invoker.js';

type Input = Record<string, any>;

// The document client's middleware sees the plain client's command names (UpdateItemCommand for an
// UpdateCommand); both are listed, as in counting-dynamo-client.ts.
const SINGLE: Record<string, string> = {
  GetCommand: 'GetItem',
  GetItemCommand: 'GetItem',
  PutCommand: 'PutItem',
  PutItemCommand: 'PutItem',
  UpdateCommand: 'UpdateItem',
  UpdateItemCommand: 'UpdateItem',
  DeleteCommand: 'DeleteItem',
  DeleteItemCommand: 'DeleteItem',
  QueryCommand: 'Query',
  ScanCommand: 'Scan',
  BatchGetCommand: 'BatchGetItem',
  BatchGetItemCommand: 'BatchGetItem',
  BatchWriteCommand: 'BatchWriteItem',
  BatchWriteItemCommand: 'BatchWriteItem',
};
const TRANSACTIONS = new Set(['TransactWriteCommand', 'TransactWriteItemsCommand', 'TransactGetCommand', 'TransactGetItemsCommand']);
const IN_TRANSACTION: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

/** The IAM actions one document-client command needs; `Query (index)` for a Query on a secondary index. */
export function iamActionsOf(commandName: string, input: Input): string[] {
  if (TRANSACTIONS.has(commandName)) {
    return (input.TransactItems ?? []).flatMap((item: Input) => Object.keys(item).map((kind) => IN_TRANSACTION[kind] ?? `unknown ${kind}`));
  }
  const action = SINGLE[commandName];
  if (!action) return [];
  return [action === 'Query' && input.IndexName ? 'Query (index)' : action];
}

/** Records, per function (the invocation the call is made in), the table actions the client sends. */
export function observeTableCalls(client: DynamoDBDocumentClient): Map<string, Set<string>> {
  const observed = new Map<string, Set<string>>();
  trackCurrentFunction();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const fn = currentFunction.getStore();
      if (fn) {
        const actions = observed.get(fn) ?? new Set<string>();
        for (const action of iamActionsOf(String(context.commandName ?? ''), (args.input ?? {}) as Input)) actions.add(action);
        observed.set(fn, actions);
      }
      return next(args);
    },
    { step: 'initialize', name: 'observeTableCalls', override: true },
  );
  return observed;
}

/** Any SDK v3 client: what the observer needs of it. */
interface SdkClient {
  middlewareStack: { add: (...args: any[]) => void };
}

/**
 * Records, per function, the actions an SDK client sends as `<service>:<Action>` (the IAM action of each of these
 * services' commands is its command's name): `states:StartExecution`, `sns:Publish`, `ses:SendEmail`, `kms:GenerateMac`.
 */
export function observeSdkCalls(client: SdkClient, service: string, into = new Map<string, Set<string>>()): Map<string, Set<string>> {
  trackCurrentFunction();
  client.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
      const fn = currentFunction.getStore();
      if (fn) into.set(fn, (into.get(fn) ?? new Set<string>()).add(`${service}:${String(context.commandName).replace(/Command$/, '')}`));
      return next(args);
    },
    { step: 'initialize', name: `observe-${service}`, priority: 'high' },
  );
  return into;
}
