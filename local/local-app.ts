import { Logger } from '@aws-lambda-powertools/logger';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalMacSigner } from './adapters/local-mac-signer.js';
import { localSfnClient } from './adapters/local-sfn-client.js';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { SfnWorkflowControl } from '../functions/adapters/sfn-workflow-control.js';
import { createUnsubscribeLinks, type UnsubscribeLinks } from '../functions/unsubscribe/unsubscribe-links.js';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { countDynamoOperations } from './adapters/counting-dynamo-client.js';
import { DynamoLoanStore } from '../functions/adapters/dynamo-loan-store.js';
import { MemoryLoanStore } from './adapters/memory-loan-store.js';
import { createAdvanceLoanHandler } from '../functions/advance-loan.js';
import { createAwaitEventHandler } from '../functions/await-event.js';
import { createFlagForOperationsHandler } from '../functions/flag-for-operations.js';
import type { AnchorSigner, AnchorStore, AuditHeadSource, AuditSigner, Clock, LoanStore, WorkflowControl } from '../functions/ports.js';
import { anchorAuditHeads, type AnchorRun } from '../functions/anchor-audit-heads.js';
import { DirectoryAnchorStore, LocalAnchorSigner, localAuditKeys, MemoryAnchorStore } from './adapters/local-audit.js';
import { shadowClients, shadowMacSigner, shadowSenders, type ShadowClients } from './adapters/shadow-aws-adapters.js';
import { macAuditSigner } from '../functions/audit/audit-signer.js';
import type { Product } from '../workflows/domain/types.js';
import { loadAllPolicies } from '../workflows/policy/load-policy.js';
import { DynamoMinuteCounters } from '../functions/adapters/dynamo-minute-counters.js';
import { DEFAULT_PACING_RATES } from '../functions/pacing/pacing-rates.js';
import { createSendPacer, type PacingRates } from '../functions/pacing/send-pacer.js';
import { MemoryMinuteCounters } from './adapters/memory-minute-counters.js';
import type { FollowUpPolicy } from '../workflows/policy/policy-schema.js';
import { synthesizeDefinition } from '../infra/asl.js';
import { createLocalDynamoClient, ensureTable, startDynamoDbLocal } from './dynamodb-local.js';
import { invokeInProcess } from './lambda-invoker.js';
import { createLocalApi, type LocalApi } from './local-api.js';
import { LocalStepFunctions, STATE_MACHINE_ARN, type World } from './local-step-functions.js';
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
  world?: (app: { store: LoanStore; api: LocalApi; clocks?: VirtualClocks }) => World;
  /** Phone numbers on the local SMS opt-out list (borrowers who replied STOP), as SNS keeps one. */
  smsOptOuts?: ReadonlySet<string>;
  /** Where the unsubscribe links under emails point until `setPublicUrl` (default http://localhost:8787). */
  publicUrl?: string;
  /** Replaces the shipped policy of these products (what-if runs: `npm run simulate -- --policy FILE`). */
  policies?: Partial<Record<Product, FollowUpPolicy>>;
  /** Store `memory`: carry on with this store's data (an app restarted in the same process, as the fault suite does). */
  memoryStore?: MemoryLoanStore;
  /** Where the anchor job writes the audit heads' anchors (e.g. .local/audit-anchors); in memory when absent. */
  auditAnchorsDir?: string;
  /** Fault injection (local/faults/); absent in every other run. */
  faults?: LocalAppFaults;
  /** Sees each Lambda invocation as it starts, with its input (`npm run capacity` times them on the loan's clock). */
  onInvoke?: (name: string, input: unknown) => void;
  /** How fast each channel may send (the paced path); AWS's defaults for a new account when absent. */
  pacing?: PacingRates;
  /** Sees the DynamoDB client every handler uses (the least-privilege test observes its calls). */
  onDynamoClient?: (db: DynamoDBDocumentClient) => void;
  /**
   * When set, the handlers reach the engine through SfnWorkflowControl over an SDK client it serves, and the SNS,
   * SES and KMS adapters run beside the local stand-ins on clients that send nothing: these are their clients.
   */
  onAwsClients?: (clients: { sfn: SFNClient } & ShadowClients) => void;
}

/** Where the fault-injection suite hooks in. `app.store` and the world's store stay as they are. */
export interface LocalAppFaults {
  /** Wraps the ports the handlers are built with (senders that fail, a store that throttles, a power cut). */
  ports?<P extends object>(ports: P): P;
  /** Instruments the DynamoDB client once the table exists (an SDK middleware that throttles). */
  dynamoClient?(client: DynamoDBDocumentClient): void;
  /** Sees every in-process invocation and how it ends (to count what the state machine retries). */
  invocation?(name: string, input: unknown, outcome: Promise<unknown>): void;
}

export interface LocalApp {
  store: LoanStore;
  runtime: LocalStepFunctions;
  clocks?: VirtualClocks;
  clock: Clock;
  api: LocalApi;
  endpoint: string;
  /** Signs the unsubscribe link under every email and checks it when it comes back. */
  unsubscribe: UnsubscribeLinks;
  /**
   * The audit trail's local keys and anchors (the keys kept with the data): the heads' MAC signer, the anchors'
   * signer and store, and one run of the anchor job (its time: `at`, default now).
   */
  audit: { signer: AuditSigner; anchorSigner: AnchorSigner; anchors: AnchorStore; anchor(at?: Date): Promise<AnchorRun> };
  /** The operations server's address, once it listens: the unsubscribe links point there. */
  setPublicUrl(url: string): void;
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
  if (db) options.faults?.dynamoClient?.(db);
  if (db) options.onDynamoClient?.(db);
  const dynamoOperations = db ? countDynamoOperations(db) : undefined;

  const clocks = options.time.kind === 'virtual' ? new VirtualClocks(options.time.start) : undefined;
  const clock: Clock = clocks ? clocks.clock : () => new Date();
  const memoryStore = useMemory ? (options.memoryStore ?? new MemoryLoanStore()) : undefined;
  const store: LoanStore & AuditHeadSource = memoryStore ?? new DynamoLoanStore(db!, tableName);
  const lambdaInvocations: Record<string, number> = {};
  const invoke = (name: string, handler: Parameters<typeof invokeInProcess>[1], input: unknown) => {
    lambdaInvocations[name] = (lambdaInvocations[name] ?? 0) + 1;
    options.onInvoke?.(name, input);
    const outcome = invokeInProcess(name, handler, input);
    options.faults?.invocation?.(name, input, outcome);
    return outcome;
  };
  const logger = new Logger({ serviceName: 'loan-followup', logLevel: options.logLevel ?? 'SILENT' });
  const policies = { ...loadAllPolicies(), ...options.policies };
  // Observed runs (options.onAwsClients) put the production adapters and SDK clients between the handlers and
  // the local engine, and run the SNS, SES and KMS adapters beside their local stand-ins, to see what they send.
  const shadows = options.onAwsClients ? shadowClients() : undefined;
  const macSigner = (local: LocalMacSigner, keyId: string) => (shadows ? shadowMacSigner(shadows, local, keyId) : local);
  const outbox = outboxSenders(options.outbox, clock, { smsOptOuts: options.smsOptOuts });
  const senders = shadows ? { ...outbox, ...shadowSenders(shadows, outbox) } : outbox;
  let publicUrl = options.publicUrl ?? 'http://localhost:8787';
  const unsubscribe = createUnsubscribeLinks({ baseUrl: () => publicUrl, signer: macSigner(new LocalMacSigner(localMacKey(options.dataDir)), 'unsubscribe') });
  let runtime: LocalStepFunctions | undefined;
  const engine: WorkflowControl = {
    startExecution: (input) => runtime!.startExecution(input),
    sendTaskSuccess: (token, output) => runtime!.sendTaskSuccess(token, output),
  };
  const sfn = shadows ? localSfnClient(() => engine) : undefined;
  if (sfn && shadows) options.onAwsClients?.({ sfn, ...shadows });
  const workflow: WorkflowControl = sfn ? new SfnWorkflowControl(sfn, STATE_MACHINE_ARN) : engine;
  const auditKeys = localAuditKeys(options.dataDir);
  const auditSigner = macAuditSigner(macSigner(new LocalMacSigner(auditKeys.headKey), 'audit'));
  const anchorSigner = new LocalAnchorSigner(auditKeys.anchorKey);
  const anchors: AnchorStore = options.auditAnchorsDir ? new DirectoryAnchorStore(options.auditAnchorsDir) : new MemoryAnchorStore();
  // The pacing counters live with the loans: items of the table on DynamoDB Local, a map with the memory store.
  const pacer = createSendPacer(
    db ? new DynamoMinuteCounters(db, tableName) : new MemoryMinuteCounters(memoryStore?.stats),
    options.pacing ?? DEFAULT_PACING_RATES,
  );
  const plainPorts = { store, clock, logger, workflow, policies: (p: keyof typeof policies) => policies[p], unsubscribe, auditSigner, pacer, ...senders };
  const ports = options.faults?.ports ? options.faults.ports(plainPorts) : plainPorts;

  const advanceLoan = createAdvanceLoanHandler(ports);
  const awaitEvent = createAwaitEventHandler(ports);
  const flagForOperations = createFlagForOperationsHandler(ports);
  // The commands through the same route Lambdas API Gateway invokes (functions/lambda/api-*.ts).
  const api = createLocalApi(invoke, ports);
  const world = options.world?.({ store, api, clocks });
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
    unsubscribe,
    audit: {
      signer: auditSigner,
      anchorSigner,
      anchors,
      anchor: (at = new Date()) => anchorAuditHeads({ heads: store, anchors, signer: anchorSigner, clock: () => at }),
    },
    setPublicUrl: (url) => void (publicUrl = url),
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

/** The key of the local unsubscribe links: kept with the data, so links in earlier emails still work after a restart. */
function localMacKey(dataDir: string | undefined): Buffer {
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'unsubscribe.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  const key = randomBytes(32);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

export { ApiError, type LocalApi } from './local-api.js';
