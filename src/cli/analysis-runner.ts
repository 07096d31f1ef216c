// Running analyses for the CLI (trace, analyze, diff): open the recording,
// read the image's profile and System.map, and analyse on a pool of worker
// threads that carry the analyses (workers/analysis.worker.ts), with every
// slice's partial cached beside the recording (or in -o DIR): a second run
// reads them back and starts no worker, boots no image. With a queue the
// slices run on `prnr worker` processes instead (queue/runner.ts); the cache
// and the merge are the same.
import { createAnalysisRuntime } from '../analysis/runtime';
import { analyzeRecording, type AnalysisOutcome, type AnalysisProgress } from '../engine/analyze/run';
import { layeredCache, serverOfLink, serverPartials } from '../engine/analyze/server-partials';
import { AnalysisStore, defaultAnalysisDir } from '../engine/node/analysis-store';
import { loadNodeAnalysisFiles } from '../engine/node/images';
import { openRecordingFile } from '../engine/node/recording-file';
import type { AnalysisRuntime, DimensionRequest } from '../shared/analysis';
import type { Recording } from '../shared/recording/reader';
import type { QueueTarget } from './queue/connection';
import { startSliceRunner, type SliceRunner } from './queue/runner';

const analysisWorker = new URL('./workers/analysis.worker.ts', import.meta.url);

export interface RunAnalysesOptions {
  file: string;
  /** The URL the file was fetched from, if it was: queued jobs name it for workers on other machines. */
  url?: string;
  requests: DimensionRequest[];
  /** Workers, already checked against the host (jobs.ts). */
  jobs: number;
  /** Where results and the cache go (default: FILE.analysis beside the recording). */
  dir?: string;
  /** One replay pass per dimension (the benchmark's comparison), not one feeding all. */
  separate?: boolean;
  /** Run the slices on this BullMQ queue's workers instead of local threads. */
  queue?: QueueTarget;
  onProgress?(progress: AnalysisProgress): void;
  /** A note for the user (a queue with no worker yet). */
  onNote?(line: string): void;
}

export interface AnalysesRun {
  rec: Recording;
  outcome: AnalysisOutcome;
  store: AnalysisStore;
  runtime: AnalysisRuntime;
  /** Workers that ran slices (0 when everything came from the cache). */
  workers: number;
}

export async function runAnalyses(o: RunAnalysesOptions): Promise<AnalysesRun> {
  const { recording: rec, recovery } = openRecordingFile(o.file);
  const runtime = createAnalysisRuntime();
  const store = new AnalysisStore(o.dir ?? defaultAnalysisDir(o.file));
  const inputs = await loadNodeAnalysisFiles(rec.header.image.name);
  // A share link's partials are shared through its server too (engine/analyze/server-partials.ts).
  const server = o.url ? serverOfLink(o.url) : undefined;
  const remote = server ? serverPartials(server.origin, server.id, o.onNote) : undefined;
  let pool: SliceRunner | undefined;
  try {
    const outcome = await analyzeRecording({
      rec,
      requests: o.requests,
      runtime,
      inputs,
      separate: o.separate,
      cache: remote ? layeredCache(store, remote) : store,
      onProgress: o.onProgress,
      analyzer: async () => (pool = await startSliceRunner({ file: o.file, url: o.url, rec, recovery, jobs: o.jobs, entry: analysisWorker, queue: o.queue, runtime, onNote: o.onNote })),
    });
    return { rec, outcome, store, runtime, workers: pool?.size ?? 0 };
  } finally {
    await pool?.close();
  }
}
