// The replay pool on worker_threads (../replay/pool.ts schedules; each worker
// runs ./replay.worker.ts).
import { availableParallelism } from 'node:os';
import type { BootFiles } from '../images';
import { ReplayPool, type StartReplayWorker } from '../replay/pool';
import type { ReplayWorkerApi } from '../replay/replay-worker';
import { startComlinkWorker } from './comlink-worker';
import { compileMachineModule } from './machine-module';

/** The Node replay worker's entry, for hosts that start workers from inside a bundle (whose own URL is not the sources'). */
export const nodeReplayWorkerUrl = new URL('./replay.worker.ts', import.meta.url);

export interface NodeReplayPoolOptions {
  /** The recording file's path (each worker opens it and reads what its slices need)... */
  path?: string;
  /** ...or its bytes (ideally a view of a SharedArrayBuffer: workers share it without a copy). */
  data?: Uint8Array;
  recovery: boolean;
  files: BootFiles;
  /** Number of workers (default: available cores, at most 4). */
  jobs?: number;
  wasmPath?: string;
  /** The workers' entry (default: ./replay.worker.ts; one with analyses: src/cli/workers/analysis.worker.ts). */
  entry?: URL;
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Starts Node replay workers from `entry` (default: ./replay.worker.ts). */
export function nodeReplayWorkers(entry: URL = nodeReplayWorkerUrl): StartReplayWorker {
  return () => startComlinkWorker<ReplayWorkerApi>(entry, 'replay');
}

/** Starts a pool of worker_threads, each with the recording opened and the image booted. */
export async function startNodeReplayPool(options: NodeReplayPoolOptions): Promise<ReplayPool> {
  const module = await compileMachineModule(options.wasmPath);
  return ReplayPool.start({ data: options.data, path: options.path, recovery: options.recovery, files: options.files, module }, options.jobs ?? defaultJobs(), nodeReplayWorkers(options.entry));
}
