// The Chromium side of `npm run bench -- --only browser-machine`
// (./browser-machine.ts bundles it): in a dedicated Web Worker, unpaced,
// compile machine.wasm as the app's engine worker does, boot the default
// image and time cpubench (./cpubench-run.ts), with the JIT on or off.
import { bootConfigFromImage } from '../../src/engine/images';
import { Machine } from '../../src/engine/machine';
import { loadWebBootImage } from '../../src/engine/web/images';
import { compileWebMachineModule } from '../../src/engine/web/machine-module';
import { runCpubench, type CpubenchRun } from './cpubench-run';

export interface BrowserMachineRequest { wasmUrl: string; jit: boolean }
export type BrowserMachineReply = { ok: true; run: CpubenchRun } | { ok: false; error: string };

/** The worker's global scope, typed without the DOM. */
interface WorkerScope {
  onmessage: ((event: { data: BrowserMachineRequest }) => void) | null;
  postMessage(reply: BrowserMachineReply): void;
}

const scope = globalThis as unknown as WorkerScope;

scope.onmessage = ({ data }) => {
  void (async () => {
    try {
      const [module, image] = await Promise.all([compileWebMachineModule(data.wasmUrl), loadWebBootImage('default')]);
      const machine = await Machine.create(module, { jit: data.jit });
      scope.postMessage({ ok: true, run: runCpubench(machine, bootConfigFromImage(image), image.manifest.prompt, () => performance.now()) });
    } catch (err) {
      scope.postMessage({ ok: false, error: err instanceof Error ? `${err.message}\n${err.stack}` : String(err) });
    }
  })();
};
