// The body both machine Web Workers share (./machine-worker.entry.ts for the
// JIT tests, scripts/bench/browser-machine.worker.ts for the bench): on each
// request, compile machine.wasm as the app's engine worker does, load the
// default image, create a machine with the JIT on or off, and answer what
// `work` makes of it, or the error.
import type { BootImage } from '../../src/engine/images';
import { Machine } from '../../src/engine/machine';
import { loadWebBootImage } from '../../src/engine/web/images';
import { compileWebMachineModule } from '../../src/engine/web/machine-module';

export interface MachineJob { wasmUrl: string; jit: boolean }
export type MachineJobReply<R> = ({ ok: true } & R) | { ok: false; error: string };

/** The worker's global scope, typed without the DOM. */
interface WorkerScope<Q, R> {
  onmessage: ((event: { data: Q }) => void) | null;
  postMessage(reply: MachineJobReply<R>): void;
}

export function serveMachineJobs<Q extends MachineJob, R>(work: (machine: Machine, image: BootImage, request: Q) => R): void {
  const scope = globalThis as unknown as WorkerScope<Q, R>;
  scope.onmessage = ({ data }) => {
    void (async () => {
      try {
        const [module, image] = await Promise.all([compileWebMachineModule(data.wasmUrl), loadWebBootImage('default')]);
        const machine = await Machine.create(module, { jit: data.jit });
        scope.postMessage({ ok: true, ...work(machine, image, data) });
      } catch (err) {
        scope.postMessage({ ok: false, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) });
      }
    })();
  };
}
