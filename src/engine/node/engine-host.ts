// Starts the engine in a Node worker_thread and returns its EngineApi.
// The same Engine class runs in the browser's Web Worker (src/engine/web).
import type { EngineApi } from '../engine-api';
import { startComlinkWorker, type ComlinkWorker } from './comlink-worker';
import { resolveImagesDir } from './images';
import { defaultMachineWasmPath } from './machine-module';

export interface NodeEngineWorkerData {
  /** machine.wasm to load instead of wasm/build/machine.wasm. */
  wasmPath?: string;
  /** Guest images directory instead of $PRNR_IMAGES_DIR or public/images. */
  imagesDir?: string;
}

export type NodeEngine = ComlinkWorker<EngineApi>;

const workerUrl = new URL('./machine.worker.ts', import.meta.url);

export function startNodeEngine(options: NodeEngineWorkerData = {}): NodeEngine {
  // Resolved here: the worker runs as a bundle, whose own paths are not the sources' (bundled-worker.ts).
  const workerData: Required<NodeEngineWorkerData> = { wasmPath: options.wasmPath ?? defaultMachineWasmPath, imagesDir: resolveImagesDir(options.imagesDir) };
  return startComlinkWorker<EngineApi>(workerUrl, 'engine', { workerData });
}
