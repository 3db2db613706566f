// Worker threads start without the TypeScript loader the main thread runs under (tsx): register it, then
// load the worker itself. Plain JavaScript because it runs before any loader exists.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
