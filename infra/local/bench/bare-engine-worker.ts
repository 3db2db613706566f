import { parentPort } from 'node:worker_threads';
import { bareEngineRateHere } from './bare-engine.js';

const { rate } = await bareEngineRateHere();
parentPort?.postMessage(rate);
