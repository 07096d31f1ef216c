// Starts the engine in a Node worker_thread and returns its EngineApi.
// The same Engine class runs in the browser's Web Worker (src/engine/web).
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { EngineApi } from '../engine-api';
import { failWithWorker, installRpcErrorCodes } from '../rpc';
import { startModuleWorker } from './ts-worker';

export interface NodeEngineWorkerData {
  /** machine.wasm to load instead of wasm/build/machine.wasm. */
  wasmPath?: string;
  /** Guest images directory instead of $PRNR_IMAGES_DIR or public/images. */
  imagesDir?: string;
}

export interface NodeEngine {
  readonly api: Comlink.Remote<EngineApi>;
  /** Stops the worker; the api is unusable afterwards. */
  close(): Promise<void>;
}

const workerUrl = new URL('./machine.worker.ts', import.meta.url);

export function startNodeEngine(options: NodeEngineWorkerData = {}): NodeEngine {
  installRpcErrorCodes();
  const worker = startModuleWorker(workerUrl, { workerData: options });
  const api = Comlink.wrap<EngineApi>(nodeEndpoint(worker));
  // A worker that dies (bad script, crash) must fail pending calls, not hang them.
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`engine worker exited with code ${code}`)));
  });
  return {
    api: failWithWorker(api, failed),
    async close() {
      api[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}
