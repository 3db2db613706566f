import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { countDynamoOperations } from '../../functions/adapters/counting-dynamo-client.js';
import { DynamoLoanStore } from '../../functions/adapters/dynamo-loan-store.js';
import { MemoryLoanStore } from '../../functions/adapters/memory-loan-store.js';
import { createAdvanceLoanHandler } from '../../functions/advance-loan.js';
import { createAwaitEventHandler } from '../../functions/await-event.js';
import { ClientError } from '../../functions/errors.js';
import { createFlagForOperationsHandler } from '../../functions/flag-for-operations.js';
import { createOnboardLoanHandler } from '../../functions/onboard-loan.js';
import type { Clock, LoanStore, WorkflowControl } from '../../functions/ports.js';
import { createRecordCallbackOutcomeHandler } from '../../functions/record-callback-outcome.js';
import { createRecordPaymentHandler } from '../../functions/record-payment.js';
import { createReportLoanEventHandler } from '../../functions/report-loan-event.js';
import type { Product } from '../../workflows/domain/types.js';
import { loadAllPolicies } from '../../workflows/policy/load-policy.js';
import type { FollowUpPolicy } from '../../workflows/policy/policy-schema.js';
import { synthesizeDefinition } from '../asl.js';
import { createLocalDynamoClient, ensureTable, startDynamoDbLocal } from './dynamodb-local.js';
import { invokeInProcess } from './lambda-invoker.js';
import { LocalStepFunctions, type World } from './local-step-functions.js';
import { outboxSenders, type OutboxSink } from './outbox-senders.js';
import { VirtualClocks } from './virtual-clocks.js';

// The local runtime runs on this machine's Node 20 by design (the Lambdas run Node 22): silence the SDK's notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface LocalAppOptions {
  /** `memory` swaps DynamoDB Local for MemoryLoanStore (same contract) for large what-if runs. */
  store?: 'dynamodb' | 'memory';
  /** Folder for DynamoDB Local's data; in memory when absent. */
  dataDir?: string;
  /** Use an already running DynamoDB Local instead of starting one. */
  endpoint?: string;
  tableName?: string;
  time: { kind: 'virtual'; start: Date; until: Date } | { kind: 'wall' };
  outbox: OutboxSink;
  logLevel?: LogLevel;
  /** Builds the simulated borrowers and agents once the API exists. */
  world?: (app: { store: LoanStore; api: LocalApi }) => World;
  /** Replaces the shipped policy of these products (what-if runs: `npm run simulate -- --policy FILE`). */
  policies?: Partial<Record<Product, FollowUpPolicy>>;
}

/** The API entry points, called in-process; a client error (4xx) is thrown as an ApiError. */
export interface LocalApi {
  onboardLoan(input: unknown): Promise<any>;
  recordPayment(input: unknown): Promise<any>;
  recordCallbackOutcome(input: unknown): Promise<any>;
  reportEvent(input: unknown): Promise<any>;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly errorName: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface LocalApp {
  store: LoanStore;
  runtime: LocalStepFunctions;
  clocks?: VirtualClocks;
  clock: Clock;
  api: LocalApi;
  endpoint: string;
  /** What the run consumed, for cost forecasts: counted, not estimated. */
  usage(): { stateTransitions: number; lambdaInvocations: Record<string, number>; dynamoReads: number; dynamoWrites: number };
  stop(): Promise<void>;
}

/**
 * The whole system on one machine: DynamoDB Local, the synthesized state machine on the local engine, the
 * Lambda handlers in-process, and an outbox instead of SNS and SES.
 */
export async function startLocalApp(options: LocalAppOptions): Promise<LocalApp> {
  const useMemory = options.store === 'memory';
  const dynamo = options.endpoint || useMemory ? undefined : await startDynamoDbLocal({ dataDir: options.dataDir });
  const endpoint = useMemory ? 'memory' : (options.endpoint ?? dynamo!.endpoint);
  const db = useMemory ? undefined : createLocalDynamoClient(endpoint);
  const tableName = options.tableName ?? 'loan-followup';
  if (db) await ensureTable(db, tableName);
  const dynamoOperations = db ? countDynamoOperations(db) : undefined;

  const clocks = options.time.kind === 'virtual' ? new VirtualClocks(options.time.start) : undefined;
  const clock: Clock = clocks ? clocks.clock : () => new Date();
  const memoryStore = useMemory ? new MemoryLoanStore() : undefined;
  const store: LoanStore = memoryStore ?? new DynamoLoanStore(db!, tableName);
  const lambdaInvocations: Record<string, number> = {};
  const invoke = (name: string, handler: Parameters<typeof invokeInProcess>[1], input: unknown) => {
    lambdaInvocations[name] = (lambdaInvocations[name] ?? 0) + 1;
    return invokeInProcess(name, handler, input);
  };
  const logger = new Logger({ serviceName: 'loan-followup', logLevel: options.logLevel ?? 'SILENT' });
  const policies = { ...loadAllPolicies(), ...options.policies };
  const senders = outboxSenders(options.outbox, clock);
  let runtime: LocalStepFunctions | undefined;
  const workflow: WorkflowControl = {
    startExecution: (input) => runtime!.startExecution(input),
    sendTaskSuccess: (token, output) => runtime!.sendTaskSuccess(token, output),
  };
  const ports = { store, clock, logger, workflow, policies: (p: keyof typeof policies) => policies[p], ...senders };

  const advanceLoan = createAdvanceLoanHandler(ports);
  const awaitEvent = createAwaitEventHandler(ports);
  const flagForOperations = createFlagForOperationsHandler(ports);
  const api: LocalApi = {
    onboardLoan: callApi(invoke, 'onboard-loan', createOnboardLoanHandler(ports)),
    recordPayment: callApi(invoke, 'record-payment', createRecordPaymentHandler(ports)),
    recordCallbackOutcome: callApi(invoke, 'record-callback-outcome', createRecordCallbackOutcomeHandler(ports)),
    reportEvent: callApi(invoke, 'report-loan-event', createReportLoanEventHandler(ports)),
  };
  const world = options.world?.({ store, api });
  runtime = new LocalStepFunctions(
    synthesizeDefinition() as never,
    {
      advanceLoan: (input) => invoke('advance-loan', advanceLoan, input),
      awaitEvent: (input) => invoke('await-event', awaitEvent, input),
      flagForOperations: (input) => invoke('flag-for-operations', flagForOperations, input),
    },
    options.time.kind === 'virtual' ? { kind: 'virtual', clocks: clocks!, world, until: options.time.until } : { kind: 'wall' },
  );
  return {
    store,
    runtime,
    clocks,
    clock,
    api,
    endpoint,
    usage: () => ({
      stateTransitions: runtime!.totalTransitions,
      lambdaInvocations: { ...lambdaInvocations },
      dynamoReads: memoryStore ? memoryStore.stats.reads : (dynamoOperations?.reads ?? 0),
      dynamoWrites: memoryStore ? memoryStore.stats.writes : (dynamoOperations?.writes ?? 0),
    }),
    stop: async () => {
      await runtime!.stop();
      db?.destroy();
      await dynamo?.stop();
    },
  };
}

function callApi(invoke: (name: string, handler: any, input: unknown) => Promise<any>, name: string, handler: (event: any, context: any) => Promise<unknown>) {
  return async (input: unknown) => {
    const result = await invoke(name, handler, input);
    const error = (result as { error?: { name: string; statusCode: number; message: string; field?: string } } | null)?.error;
    if (error) throw new ApiError(error.statusCode, error.name, error.message, error.field);
    return result;
  };
}

export { ClientError };
