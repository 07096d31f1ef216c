// The Chromium side of `npm run bench -- --only browser-machine`
// (./browser-machine.ts bundles it): in a dedicated Web Worker, unpaced,
// compile machine.wasm as the app's engine worker does, boot the default
// image and time cpubench (./cpubench-run.ts), with the JIT on or off
// (e2e/helpers/machine-worker-scope.ts).
import { bootConfigFromImage } from '../../src/engine/images';
import { serveMachineJobs, type MachineJob, type MachineJobReply } from '../../e2e/helpers/machine-worker-scope';
import { runCpubench, type CpubenchRun } from './cpubench-run';

export type BrowserMachineRequest = MachineJob;
export type BrowserMachineReply = MachineJobReply<{ run: CpubenchRun }>;

serveMachineJobs((machine, image) => ({ run: runCpubench(machine, bootConfigFromImage(image), image.manifest.prompt, () => performance.now()) }));
