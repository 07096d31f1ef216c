// The analyses' timeline tracks for the recording page, rebuilt only when a
// run, the calls, the process data or the selected process change.
import { useMemo } from 'react';
import type { TracedCall } from '../../../analysis/dimensions';
import { filterCalls } from '../../../analysis/trace';
import type { TimelineTrack } from '../timeline/tracks';
import { hotSlices, watchOf, type HotSlice, type ProcessData } from './analysis-data';
import type { AnalysesSnapshot } from './analysis-run';
import type { ConsoleResult } from '../../../analysis/dimensions';
import { consoleTrack, hotspotTrack, processTracks, progressTrack, syscallTrack, watchTrack } from './analysis-tracks';

export function useAnalysisTracks(state: AnalysesSnapshot, calls: readonly TracedCall[], processes: ProcessData | undefined, snapshotTicks: readonly bigint[], pid: number | undefined): readonly TimelineTrack[] {
  const shownCalls = useMemo(() => (pid === undefined ? calls : filterCalls(calls, { pids: new Set([pid]) })), [calls, pid]);
  const syscalls = useMemo(() => (shownCalls.length ? syscallTrack(shownCalls) : undefined), [shownCalls]);
  const lanes = useMemo(() => (processes ? processTracks(processes, pid) : []), [processes, pid]);
  const others = useMemo(
    () =>
      state.runs.flatMap((run): TimelineTrack[] => {
        if (run.state === 'running') return [progressTrack(run, snapshotTicks)];
        const dim = run.description.dimension;
        if (dim === 'hotspots') {
          const slices = (run.slices as HotSlice[] | undefined) ?? hotSlices(run);
          return slices ? [hotspotTrack(slices, snapshotTicks)] : [];
        }
        if (dim === 'console') return run.result ? [consoleTrack(run.result as ConsoleResult)] : [];
        const watch = dim === 'watch' ? watchOf(run) : undefined;
        return watch ? [watchTrack(watch)] : [];
      }),
    [state.runs, snapshotTicks],
  );
  return useMemo(() => [...others, ...(syscalls ? [syscalls] : []), ...lanes], [others, syscalls, lanes]);
}
