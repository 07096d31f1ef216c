// The server's own derivations of partials, one at a time on a worker
// thread started at the first one (most servers never need it): the
// recording's file is handed over once and kept open there for the next.
import { startComlinkWorker, type ComlinkWorker } from '../engine/node/comlink-worker';
import { resolveImagesDir } from '../engine/node/images';
import { defaultMachineWasmPath } from '../engine/node/machine-module';
import { errorMessage } from '../shared/errors';
import type { PartialKeyFields } from '../shared/server-api';
import type { Derived, DeriveApi } from './derive';

export class PartialVerifier {
  private worker: ComlinkWorker<DeriveApi> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  /** `readFile` gives a stored recording's bytes. */
  constructor(private readonly readFile: (id: string) => Promise<Uint8Array>) {}

  private api(): DeriveApi {
    this.worker ??= startComlinkWorker<DeriveApi>(new URL('./derive.worker.ts', import.meta.url), 'derive', { workerData: { wasmPath: defaultMachineWasmPath, imagesDir: resolveImagesDir() } });
    return this.worker.api as unknown as DeriveApi;
  }

  /** The key's partial as this server derives it, after every derivation asked before. */
  derive(id: string, key: PartialKeyFields): Promise<Derived> {
    const run = this.queue.then(async (): Promise<Derived> => {
      try {
        const api = this.api();
        return await api.derive(id, key, (await api.has(id)) ? undefined : await this.readFile(id));
      } catch (err) {
        return { cannot: `the server failed to derive it: ${errorMessage(err)}` };
      }
    });
    this.queue = run;
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.worker?.close();
  }
}
