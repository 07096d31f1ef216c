// Starts the engine in a Web Worker and returns its EngineApi (browser main
// thread). The same Engine class runs in Node worker_threads (src/engine/node).
import type { EngineApi } from '../engine-api';
import { wrapWebWorker, type WebComlinkWorker } from './comlink-worker';

export type WebEngine = WebComlinkWorker<EngineApi>;

/** Starts the engine worker: `start` makes it (default: ./machine.worker.ts, an engine without analyses). */
export function startWebEngine(start: () => Worker = () => new Worker(new URL('./machine.worker.ts', import.meta.url), { type: 'module', name: 'prnr-engine' })): WebEngine {
  return wrapWebWorker<EngineApi>(start(), 'engine');
}
