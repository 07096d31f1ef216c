// A worker_thread running a module that exposes an API through Comlink: how
// Node hosts start their engine and replay workers (started as bundles, see
// bundled-worker.ts).
import type { WorkerOptions } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { failWithWorker, installRpcErrorCodes } from '../rpc';
import { startBundledWorker } from './bundled-worker';

export interface ComlinkWorker<T> {
  readonly api: Comlink.Remote<T>;
  /** Stops the worker; the api is unusable afterwards. */
  close(): Promise<void>;
}

/** Starts `url` in a worker_thread; a worker that dies (bad script, crash) fails pending calls instead of hanging them. */
export function startComlinkWorker<T>(url: URL, name: string, options: WorkerOptions = {}): ComlinkWorker<T> {
  installRpcErrorCodes();
  const worker = startBundledWorker(url, options);
  const api = Comlink.wrap<T>(nodeEndpoint(worker));
  const failed = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`${name} worker exited with code ${code}`)));
  });
  return {
    api: failWithWorker(api, failed),
    async close() {
      api[Comlink.releaseProxy]();
      await worker.terminate();
    },
  };
}
