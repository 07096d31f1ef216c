// The analyses of one recording, kept per recording for the page's life, and
// read from this browser's store (and the page's server) when the recording
// first opens.
import * as Comlink from 'comlink';
import { useEffect, useSyncExternalStore } from 'react';
import { createAnalysisRuntime } from '../../../analysis/runtime';
import type { AnalysisListener } from '../../../engine/engine-api';
import { getEngine } from '../engine/engine';
import { summarizeRun } from './analysis-data';
import { AnalysisRun, type AnalysesSnapshot } from './analysis-run';
import { saveAnalysis, savedAnalyses } from './saved-analyses';
import { pageServer } from './server-analyses';

const runs = new Map<string, AnalysisRun>();
let runtime: ReturnType<typeof createAnalysisRuntime> | undefined;

export function analysisRunFor(id: string, sliceCount: number): AnalysisRun {
  let run = runs.get(id);
  if (!run) {
    runtime ??= createAnalysisRuntime();
    const describe = runtime.describe.bind(runtime);
    run = new AnalysisRun({
      recording: id,
      sliceCount,
      describe,
      summarize: summarizeRun,
      store: { list: savedAnalyses, save: saveAnalysis },
      server: pageServer(),
      analyze: (dimensions, jobs, onProgress, server) => getEngine().api.analyze(id, { dimensions, jobs, server }, Comlink.proxy<AnalysisListener>({ onProgress })),
    });
    runs.set(id, run);
  }
  return run;
}

/** Drops the page's store of `id`'s analyses unless it is running, so the next view of the recording reads the kept results again (ones opened in the library after it was shown: library/open-analyses.ts). */
export function forgetAnalysisRun(id: string): void {
  if (!runs.get(id)?.getSnapshot().running) runs.delete(id);
}

export function useAnalyses(id: string, sliceCount: number): { run: AnalysisRun; state: AnalysesSnapshot } {
  const run = analysisRunFor(id, sliceCount);
  useEffect(() => void run.load(), [run]);
  return { run, state: useSyncExternalStore(run.subscribe, run.getSnapshot) };
}
