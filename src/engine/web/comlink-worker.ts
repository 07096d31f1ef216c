// A Web Worker serving an API through Comlink, as the page (or another worker)
// starts it: the engine (engine-client.ts) and the replay pool (replay-pool.ts).
import * as Comlink from 'comlink';
import { failWithWorker, installRpcErrorCodes } from '../rpc';

export interface WebComlinkWorker<T> {
  readonly api: Comlink.Remote<T>;
  /** Stops the worker; the api is unusable afterwards. */
  close(): Promise<void>;
}

/** Wraps a started module worker; one that fails to load fails pending calls instead of hanging them. */
export function wrapWebWorker<T>(worker: Worker, name: string): WebComlinkWorker<T> {
  installRpcErrorCodes();
  const api = Comlink.wrap<T>(worker);
  const failed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => reject(new Error(`${name} worker failed: ${event.message || 'could not load'}`)), { once: true });
  });
  return {
    api: failWithWorker(api, failed),
    async close() {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
