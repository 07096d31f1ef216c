// A recording's syscall trace for the diff, from the page's analyses of it
// (../analysis/useAnalyses.ts analysisRunFor): the one kept in this browser
// (computed on its page before, or opened from prnr analyze's results), or
// one run now with prnr diff's parameters, which is then kept for its page
// too. Waits for a run already under way rather than starting another.
import type { SyscallsResult } from '../../../analysis/dimensions/index';
import { createAnalysisRuntime } from '../../../analysis/runtime';
import { canonicalParams, type DimensionDescription } from '../../../shared/analysis';
import { PrnrError } from '../../../shared/errors';
import type { AnalysisRun, DimensionRun } from '../analysis/analysis-run';

/** The request `prnr diff` traces each recording with. */
export const DIFF_TRACE = { dimension: 'syscalls', params: {} } as const;

let wanted: DimensionDescription | undefined;

function isDiffTrace(r: DimensionRun): boolean {
  wanted ??= createAnalysisRuntime().describe(DIFF_TRACE);
  return r.description.label === wanted.label && r.description.dimension === wanted.dimension && canonicalParams(r.description.params) === canonicalParams(wanted.params);
}

export interface TraceFound {
  result: SyscallsResult;
  /** Kept in this browser before this view asked. */
  saved: boolean;
}

export interface TraceProgress {
  done: number;
  total: number;
}

export async function syscallTrace(run: AnalysisRun, onProgress: (p: TraceProgress) => void): Promise<TraceFound> {
  await run.load();
  return new Promise<TraceFound>((resolve, reject) => {
    let settled = false;
    let unsubscribe = () => {};
    const check = () => {
      if (settled) return;
      const snapshot = run.getSnapshot();
      const mine = snapshot.runs.find(isDiffTrace);
      if (mine?.state === 'done' && mine.result) {
        settled = true;
        unsubscribe();
        resolve({ result: mine.result as SyscallsResult, saved: mine.saved });
      } else if (mine?.state === 'failed') {
        settled = true;
        unsubscribe();
        reject(new PrnrError('ANALYSIS_FAILED', mine.error ?? 'the syscalls analysis failed'));
      } else if (mine?.state === 'running') {
        onProgress({ done: mine.doneCount, total: mine.total });
      } else if (!snapshot.running) {
        void run.run([DIFF_TRACE]);
      }
    };
    unsubscribe = run.subscribe(check);
    check();
  });
}
