// A worker thread of the simulation: runs the batches the main thread hands it, one at a time, each in a
// fresh local app (its own engine and store), and reports progress and results as plain messages.
import { parentPort } from 'node:worker_threads';
import { synthesizeDefinition } from '../../infra/asl.js';
import { runBatch, type BatchInput, type BatchProgress, type BatchResult } from './run-batch.js';

export type ToWorker = { type: 'batch'; batch: BatchInput } | { type: 'exit' };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; progress: BatchProgress }
  | { type: 'result'; result: BatchResult }
  | { type: 'error'; index: number; message: string; stack?: string };

const port = parentPort;
if (port) {
  port.on('message', async (message: ToWorker) => {
    if (message.type === 'exit') {
      port.close();
      return;
    }
    try {
      const result = await runBatch(message.batch, (progress) => port.postMessage({ type: 'progress', progress } satisfies FromWorker));
      port.postMessage({ type: 'result', result } satisfies FromWorker);
    } catch (error) {
      port.postMessage({ type: 'error', index: message.batch.index, message: (error as Error).message, stack: (error as Error).stack } satisfies FromWorker);
    }
  });
  // The CDK synth (seconds) happens once per thread, before the clock of the simulation starts.
  synthesizeDefinition();
  port.postMessage({ type: 'ready' } satisfies FromWorker);
}
