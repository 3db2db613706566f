import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/** The function whose invocation the current code runs in (what a call to AWS made from it is charged to). */
export const currentFunction = new AsyncLocalStorage<string>();

// Off unless something observes calls: async context tracking slows every promise of the process (a third
// on a simulation), so a simulation never turns it on.
let tracking = false;

/** Charges what each in-process invocation calls to its function, for currentFunction's readers. */
export function trackCurrentFunction(): void {
  tracking = true;
}

/**
 * Runs `fn` charged to no function: the simulated world, which the engine calls from inside a loan's execution
 * (and so inside whichever invocation's context that execution carries), reads the store as nobody's Lambda.
 */
export function outsideFunction<T>(fn: () => T): T {
  return tracking ? currentFunction.exit(fn) : fn();
}

type AnyHandler = (event: any, context: Context) => Promise<unknown>;

let requestCounter = 0;

/** Calls a handler in-process the way the Lambda runtime would: JSON in, JSON out, a fresh context. */
export async function invokeInProcess(functionName: string, handler: AnyHandler, event: unknown): Promise<any> {
  requestCounter += 1;
  const context: Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: `local-${requestCounter}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  const call = () => handler(JSON.parse(JSON.stringify(event ?? null)), context);
  const result = await (tracking ? currentFunction.run(functionName, call) : call());
  return result === undefined ? null : JSON.parse(JSON.stringify(result));
}
