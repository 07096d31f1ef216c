// The worker ./machine-worker.ts serves: compiles the machine as the app's
// engine worker does, boots the default image with the JIT on or off, and
// answers its state hashes at the ticks asked.
import { bootConfigFromImage } from '../../src/engine/images';
import { Machine, runToTick } from '../../src/engine/machine';
import { loadWebBootImage } from '../../src/engine/web/images';
import { compileWebMachineModule } from '../../src/engine/web/machine-module';

export interface MachineWorkerRequest { wasmUrl: string; jit: boolean; ticks: string[] }
export type MachineWorkerReply = { ok: true; hashes: string[]; jitExecuted: number } | { ok: false; error: string };

/** The worker's global scope, typed without the DOM. */
interface WorkerScope {
  onmessage: ((event: { data: MachineWorkerRequest }) => void) | null;
  postMessage(reply: MachineWorkerReply): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = ({ data }) => {
  void (async () => {
    try {
      const [module, image] = await Promise.all([compileWebMachineModule(data.wasmUrl), loadWebBootImage('default')]);
      const machine = await Machine.create(module, { jit: data.jit });
      machine.boot(bootConfigFromImage(image));
      const hashes = data.ticks.map((tick) => {
        runToTick(machine, BigInt(tick));
        return machine.stateHash().toString(16).padStart(16, '0');
      });
      scope.postMessage({ ok: true, hashes, jitExecuted: machine.jitStats().executed });
    } catch (err) {
      scope.postMessage({ ok: false, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) });
    }
  })();
};
