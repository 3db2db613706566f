// Step Functions task tokens (.waitForTaskToken), which aws-local-stepfunctions does not emulate.
import { randomFillSync } from 'node:crypto';

/** Same name and message as the SDK's TaskTimedOut: the token was already answered, or never existed. */
export class TaskTimedOut extends Error {
  override name = 'TaskTimedOut' as const;
  constructor() {
    super("Task Timed Out: 'Provided task does not exist anymore'");
  }
}

export class InvalidToken extends Error {
  override name = 'InvalidToken' as const;
  constructor(detail: string) {
    super(`Invalid Token: '${detail}'`);
  }
}

export interface TaskTokenMeta {
  executionName: string;
  stateName: string;
}

interface PendingTask extends TaskTokenMeta {
  resolve(output: unknown): void;
  reject(error: Error): void;
}

const TOKEN_PREFIX = 'local-tt-';
const TOKEN_FORMAT = /^local-tt-[A-Za-z0-9_-]{43}$/;
const TOKEN_BYTES = 32;

// 32 random bytes per token, drawn from the system 256 tokens at a time (one call per token cost a tenth of
// a millisecond in a simulation that issues a token at every wait).
const pool = Buffer.alloc(TOKEN_BYTES * 256);
let poolOffset = pool.length;

function randomTokenBytes(): Buffer {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += TOKEN_BYTES;
  return pool.subarray(poolOffset - TOKEN_BYTES, poolOffset);
}

/**
 * The error an answer or a time-out settles a task with, as the engine's Retry/Catch see it. Its stack would
 * only show this registry, and capturing it took about 4% of a virtual-clock run whose handlers do nothing
 * (every wait ends in a time-out), so none is captured.
 */
function namedError(name: string, message: string): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    const error = new Error(message);
    error.name = name;
    return error;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export class TaskTokenRegistry {
  private readonly tasks = new Map<string, PendingTask>();

  issue(meta: TaskTokenMeta): { token: string; settled: Promise<unknown> } {
    const token = TOKEN_PREFIX + randomTokenBytes().toString('base64url');
    const settled = new Promise<unknown>((resolve, reject) => {
      this.tasks.set(token, { ...meta, resolve, reject });
    });
    // Callers may settle before anyone awaits; the rejection still reaches whoever awaits later.
    settled.catch(() => undefined);
    return { token, settled };
  }

  sendTaskSuccess(token: string, output: unknown): void {
    this.take(token).resolve(output);
  }

  sendTaskFailure(token: string, error = 'States.TaskFailed', cause = ''): void {
    this.take(token).reject(namedError(error, cause));
  }

  /** What the engine would do when the task's TimeoutSeconds elapses. */
  timeOut(token: string): void {
    this.take(token).reject(namedError('States.Timeout', 'Task timed out'));
  }

  /**
   * Forgets the tokens of an execution that ended or was aborted: later answers get TaskTimedOut, and
   * whoever still awaits `settled` is released with an 'ExecutionAborted' error instead of hanging.
   */
  cancelAll(executionName: string): number {
    let removed = 0;
    for (const [token, task] of this.tasks) {
      if (task.executionName !== executionName) continue;
      this.tasks.delete(token);
      task.reject(namedError('ExecutionAborted', `Execution ${executionName} ended while ${task.stateName} waited`));
      removed += 1;
    }
    return removed;
  }

  pending(): number {
    return this.tasks.size;
  }

  private take(token: string): PendingTask {
    if (typeof token !== 'string' || !TOKEN_FORMAT.test(token)) {
      throw new InvalidToken(typeof token === 'string' ? token.slice(0, 64) : String(token));
    }
    const task = this.tasks.get(token);
    if (!task) throw new TaskTimedOut();
    this.tasks.delete(token);
    return task;
  }
}
