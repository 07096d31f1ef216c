// The replay pool on Web Workers (../replay/pool.ts schedules; each worker
// runs ./replay.worker.ts). Started from the page or from the engine's own
// worker; the recording is shared without a copy where the page is
// cross-origin isolated (a SharedArrayBuffer), copied into each worker otherwise.
import type { StartReplayWorker } from '../replay/pool';
import type { ReplayWorkerApi } from '../replay/replay-worker';
import { jitDefault } from '../machine';
import { wrapWebWorker } from './comlink-worker';
import { workerNameWithJit } from './jit-setting';

/** How many replay workers run at once by default: the cores the browser reports, at most 4. */
export function defaultWebJobs(): number {
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

export const webReplayWorkers: StartReplayWorker = (index) =>
  wrapWebWorker<ReplayWorkerApi>(new Worker(new URL('./replay.worker.ts', import.meta.url), { type: 'module', name: workerNameWithJit(`prnr-replay-${index}`, jitDefault()) }), 'replay');
