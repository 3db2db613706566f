import { parentPort } from 'node:worker_threads';
import { bareEngine } from './bare-engine.js';

// Warms up, says so, runs on 'go' (every thread at once) and reports its run.
const engine = await bareEngine();
parentPort?.once('message', async () => parentPort?.postMessage(await engine.run()));
parentPort?.postMessage('ready');
