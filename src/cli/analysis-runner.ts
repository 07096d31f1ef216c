// Running analyses for the CLI (trace, analyze, diff): open the recording,
// read the image's profile and System.map, and analyse on a pool of worker
// threads that carry the analyses (workers/analysis.worker.ts), with every
// slice's partial cached beside the recording (or in -o DIR): a second run
// reads them back and starts no worker, boots no image.
import { createAnalysisRuntime } from '../analysis/runtime';
import { analyzeRecording, type AnalysisOutcome, type AnalysisProgress } from '../engine/analyze/run';
import { AnalysisStore, defaultAnalysisDir } from '../engine/node/analysis-store';
import { loadNodeAnalysisFiles } from '../engine/node/images';
import { openRecordingFile } from '../engine/node/recording-file';
import { loadRecordingBootFiles } from '../engine/node/recording-image';
import { startNodeReplayPool } from '../engine/node/replay-pool';
import type { ReplayPool } from '../engine/replay/pool';
import type { AnalysisRuntime, DimensionRequest } from '../shared/analysis';
import type { Recording } from '../shared/recording/reader';

const analysisWorker = new URL('./workers/analysis.worker.ts', import.meta.url);

export interface RunAnalysesOptions {
  file: string;
  requests: DimensionRequest[];
  /** Workers, already checked against the host (jobs.ts). */
  jobs: number;
  /** Where results and the cache go (default: FILE.analysis beside the recording). */
  dir?: string;
  /** One replay pass per dimension (the benchmark's comparison), not one feeding all. */
  separate?: boolean;
  onProgress?(progress: AnalysisProgress): void;
}

export interface AnalysesRun {
  rec: Recording;
  outcome: AnalysisOutcome;
  store: AnalysisStore;
  runtime: AnalysisRuntime;
  /** Workers started (0 when everything came from the cache). */
  workers: number;
}

export async function runAnalyses(o: RunAnalysesOptions): Promise<AnalysesRun> {
  const { recording: rec, recovery } = openRecordingFile(o.file);
  const runtime = createAnalysisRuntime();
  const store = new AnalysisStore(o.dir ?? defaultAnalysisDir(o.file));
  const inputs = await loadNodeAnalysisFiles(rec.header.image.name);
  let pool: ReplayPool | undefined;
  try {
    const outcome = await analyzeRecording({
      rec,
      requests: o.requests,
      runtime,
      inputs,
      separate: o.separate,
      cache: store,
      onProgress: o.onProgress,
      analyzer: async () => {
        const files = await loadRecordingBootFiles(rec.header);
        pool = await startNodeReplayPool({ path: o.file, recovery, files, jobs: Math.max(1, Math.min(o.jobs, rec.slices.length)), entry: analysisWorker });
        return pool;
      },
    });
    return { rec, outcome, store, runtime, workers: pool?.size ?? 0 };
  } finally {
    await pool?.close();
  }
}
