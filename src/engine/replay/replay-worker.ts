// The replay worker's API, runtime-neutral: a worker opens the recording it is
// given (shared, not copied, where the host can share memory), boots the image
// once, and replays and verifies the slices the pool (pool.ts) hands it. Each
// host has a small entry that exposes it over its message port:
// src/engine/node/replay.worker.ts (worker_threads) and
// src/engine/web/replay.worker.ts (Web Workers).
import type { AnalysisInputs, AnalysisRuntime, DimensionRequest } from '../../shared/analysis';
import { PrnrError } from '../../shared/errors';
import type { ImageManifest } from '../../shared/image-manifest';
import { openRecording, type OpenOptions } from '../../shared/recording/reader';
import { bytesSource, type RecordingSource } from '../../shared/recording/source';
import { analyzeSlice, type SliceAnalysis } from '../analyze/slice-analysis';
import type { BootFiles } from '../images';
import type { JitStats } from '../jit/jit';
import { joinTranslationHub, type ReceiveNow, type TranslationPort } from '../jit/translation-share';
import { withBlobCache } from './blob-cache';
import { bootConfigForImage, bootConfigForRecording } from './boot';
import { ReplayMachine, type SliceResult } from './replay-machine';

export interface ReplayWorkerInit {
  /** The recording file's bytes (ideally a view of a SharedArrayBuffer: every worker reads it without a copy)... */
  data?: Uint8Array;
  /** ...or its path, for hosts that open files (each worker reads only what its slices need). */
  path?: string;
  recovery: boolean;
  files: BootFiles;
  /**
   * The image's manifest, when the caller verified `files` against its
   * content hashes (the image loader does): the worker checks the files
   * against the recording by it instead of hashing 11 MB again.
   */
  manifest?: ImageManifest;
  /** True when the caller read and checked every blob of exactly these bytes already: the worker does not hash blobs again. */
  blobsVerified?: boolean;
  /** The compiled machine (shared with the caller, so it compiles once). */
  module: WebAssembly.Module;
  /** A port to the pool's hub of compiled JIT code (../jit/translation-share.ts), transferred; without, this worker compiles alone. */
  jitPort?: TranslationPort;
}

/** The host's primitives for reading a recording: SHA-256, and where it has them, inflate and signature checks. */
export type RecordingCodecs = Pick<OpenOptions, 'sha256' | 'deflate' | 'verifySignature'>;

export interface ReplayWorkerApi {
  /** Opens the recording (validated by the caller: state roots are not recomputed; blobs are checked as they are read) and boots. */
  init(init: ReplayWorkerInit): Promise<void>;
  replaySlice(index: number): SliceResult;
  /** Replays and verifies a slice with the hooks the requests need, feeding each request's dimension (analyze/slice-analysis.ts). */
  analyzeSlice(index: number, requests: DimensionRequest[], inputs: AnalysisInputs): SliceAnalysis;
  /** What this worker's JIT did since init (all zero with the JIT off). */
  jitStats(): JitStats;
}

/**
 * `openFile` opens a recording by path, on hosts that have files; `analyses`
 * are the dimensions analyzeSlice can run, handed in by whoever composes the
 * worker (the engine does not import src/analysis, docs/design.md 1);
 * `receiveNow` is the host's synchronous receive on a port, where it has one
 * (Node), so translations other workers compile reach this one mid-slice.
 */
export function createReplayWorker(codecs: RecordingCodecs, openFile?: (path: string) => RecordingSource | Promise<RecordingSource>, analyses?: AnalysisRuntime, receiveNow?: ReceiveNow): ReplayWorkerApi {
  let machine: ReplayMachine | undefined;
  let leaveHub: (() => void) | undefined;
  return {
    async init(init) {
      if (init.jitPort) {
        leaveHub?.();
        leaveHub = joinTranslationHub(init.jitPort, receiveNow);
      }
      let source: RecordingSource;
      if (init.data) source = bytesSource(init.data);
      else if (init.path !== undefined && openFile) source = await openFile(init.path);
      else throw new PrnrError('REPLAY_NO_RECORDING', init.path === undefined ? 'replay worker: init() needs the recording' : 'replay worker: this host cannot open files; pass the bytes');
      // Roots were checked by the caller; every blob a restore reads is still checked against its hash, unless the caller checked them all.
      const opened = openRecording(source, { ...codecs, recovery: init.recovery, verifyRoots: false, verifyBlobs: !init.blobsVerified });
      // Decoded pages are kept: a worker restores the snapshots of its share of the slices again and again, verify after verify.
      const rec = withBlobCache(opened).rec;
      const config = init.manifest ? bootConfigForImage(rec.header, { manifest: init.manifest, files: init.files }) : bootConfigForRecording(rec.header, init.files, codecs.sha256);
      machine = await ReplayMachine.create(init.module, rec, config, codecs.sha256);
    },
    replaySlice(index) {
      if (!machine) throw new PrnrError('REPLAY_NOT_READY', 'replay worker: init() first');
      return machine.replaySlice(index);
    },
    analyzeSlice(index, requests, inputs) {
      if (!machine) throw new PrnrError('REPLAY_NOT_READY', 'replay worker: init() first');
      if (!analyses) throw new PrnrError('ANALYSIS_UNAVAILABLE', 'this replay worker was started without analyses');
      return analyzeSlice(machine, index, requests, analyses, inputs);
    },
    jitStats() {
      if (!machine) throw new PrnrError('REPLAY_NOT_READY', 'replay worker: init() first');
      return machine.machine.jitStats();
    },
  };
}
