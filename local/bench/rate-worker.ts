import { parentPort, workerData } from 'node:worker_threads';
import { prepare, type RateSubject } from './threaded-rate.js';

// Warms up, says so, runs on 'go' (every thread at once) and reports its run.
const subject = await prepare((workerData as { subject: RateSubject }).subject);
parentPort?.once('message', async () => parentPort?.postMessage(await subject.run()));
parentPort?.postMessage('ready');
