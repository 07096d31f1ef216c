// Starts the engine in a Web Worker and returns its EngineApi (browser main
// thread). The same Engine class runs in Node worker_threads (src/engine/node).
import * as Comlink from 'comlink';
import type { EngineApi } from '../engine-api';
import { failWithWorker, installRpcErrorCodes } from '../rpc';

export interface WebEngine {
  readonly api: Comlink.Remote<EngineApi>;
  /** Stops the worker; the api is unusable afterwards. */
  close(): void;
}

export function startWebEngine(): WebEngine {
  installRpcErrorCodes();
  const worker = new Worker(new URL('./machine.worker.ts', import.meta.url), { type: 'module', name: 'prnr-engine' });
  const api = Comlink.wrap<EngineApi>(worker);
  // A worker that fails to load must fail pending calls, not hang them.
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => reject(new Error(`engine worker failed: ${event.message || 'could not load'}`)), { once: true });
  });
  return {
    api: failWithWorker(api, failed),
    close() {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
