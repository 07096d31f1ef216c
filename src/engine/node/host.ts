// The Engine's host in Node: the machine compiled from wasm/build, images and
// recordings from the file system, Node's codecs and clock. The engine's
// worker_thread serves an Engine on it (machine.worker.ts); the CLI runs one
// on its own thread (createNodeEngine), which costs no worker start.
import type { AnalysisRuntime } from '../../shared/analysis';
import type { AnalysisCache } from '../analyze/run';
import { Engine, type EngineHost } from '../engine';
import type { StartReplayWorker } from '../replay/pool';
import { nodeOpenOptions } from './codecs';
import { loadNodeAnalysisFiles, loadNodeBootImage } from './images';
import { nodeLiveHost } from './live-host';
import { compileMachineModule } from './machine-module';
import { FileSource } from './recording-file';

export interface NodeHostOptions {
  /** machine.wasm to load instead of wasm/build/machine.wasm. */
  wasmPath?: string;
  /** Guest images directory instead of $PRNR_IMAGES_DIR or public/images. */
  imagesDir?: string;
  /** Replay workers for verifySlices (./replay-pool.ts nodeReplayWorkers); without, slices verify on the engine's thread. */
  replayWorkers?: StartReplayWorker;
  replayJobs?: number;
  /**
   * The analyses analyze() runs (src/analysis's runtime, from a caller that
   * may import it), with replay workers that carry them (./replay-pool.ts
   * nodeReplayWorkers of the CLI's workers/analysis.worker.ts) for a
   * parallel analysis, and where partials are kept (default: in memory).
   */
  analyses?: { runtime: AnalysisRuntime; workers?: StartReplayWorker; cache?: AnalysisCache };
}

export function nodeEngineHost(options: NodeHostOptions = {}): EngineHost {
  return {
    loadModule: () => compileMachineModule(options.wasmPath),
    loadImage: (name, onProgress) => loadNodeBootImage(name, { imagesDir: options.imagesDir, onProgress }),
    live: nodeLiveHost,
    codecs: nodeOpenOptions,
    openFile: (path) => FileSource.open(path),
    replayWorkers: options.replayWorkers,
    replayJobs: options.replayJobs,
    analyses: options.analyses && {
      runtime: options.analyses.runtime,
      workers: options.analyses.workers,
      loadInputs: (image) => loadNodeAnalysisFiles(image, { imagesDir: options.imagesDir }),
      cache: options.analyses.cache,
    },
  };
}

/** An Engine on this thread: the same API the engine worker serves (engine-host.ts), without the worker. */
export function createNodeEngine(options: NodeHostOptions = {}): Engine {
  return new Engine(nodeEngineHost(options));
}
