// What the views read from the analyses' runs (./analysis-run.ts): the
// merged result once it is in, and until then what the partials of the
// slices done so far say (calls entered and returned within a slice; the
// ones spanning slices appear with the result).
import type { HotspotsResult, ProcessesResult, SyscallsPartial, TracedCall, WatchResult } from '../../../analysis/dimensions';
import type { ProcessEvents } from '../../../analysis/dimensions/processes';
import type { HotspotsPartial } from '../../../analysis/dimensions/hotspots';
import type { AnalysesSnapshot, DimensionRun } from './analysis-run';

export function runOf(snapshot: AnalysesSnapshot, dimension: string): DimensionRun | undefined {
  return snapshot.runs.find((r) => r.description.dimension === dimension);
}

function donePartials<T>(run: DimensionRun): T[] {
  return run.partials.filter((p, i) => p !== undefined && run.done[i]) as T[];
}

export interface Calls {
  calls: readonly TracedCall[];
  /** The merged result (every call, stitched across slices), not partials. */
  complete: boolean;
}

const NO_CALLS: Calls = { calls: [], complete: false };

export function syscallsOf(run: DimensionRun | undefined): Calls {
  if (!run) return NO_CALLS;
  if (run.result) return { calls: (run.result as { calls: TracedCall[] }).calls, complete: true };
  return { calls: donePartials<SyscallsPartial>(run).flatMap((p) => p.calls), complete: false };
}

export type ProcessData = ProcessEvents & Partial<Pick<ProcessesResult, 'processes' | 'starts'>> & { complete: boolean };

export function processesOf(run: DimensionRun | undefined): ProcessData | undefined {
  if (!run) return undefined;
  if (run.result) return { ...(run.result as ProcessesResult), complete: true };
  const parts = donePartials<ProcessEvents>(run);
  if (!parts.length) return undefined;
  const all = <K extends keyof ProcessEvents>(k: K): ProcessEvents[K] => parts.flatMap((p) => p[k] as unknown[]) as ProcessEvents[K];
  return { runs: all('runs'), forks: all('forks'), execs: all('execs'), renames: all('renames'), exits: all('exits'), reaps: all('reaps'), complete: false };
}

export function watchOf(run: DimensionRun | undefined): WatchResult | undefined {
  return run?.result as WatchResult | undefined;
}

/** A slice as the hot-spot track paints it: how busy the hart was (samples not in the idle task) and its hottest place. */
export interface HotSlice {
  samples: number;
  busy: number;
  hottest: string;
  hottestShare: number;
}

/** Per slice of a finished hot-spot run (kept with the result): each slice's partial against the result's named places. */
export function hotSlices(run: DimensionRun): HotSlice[] | undefined {
  const result = run.result as HotspotsResult | undefined;
  if (!result) return undefined;
  const named = new Map(result.addresses.map((a) => [`${a.pc}:${a.comm}`, a.name]));
  return run.partials.map((p): HotSlice => {
    const part = p as HotspotsPartial | undefined;
    if (!part || part.total === 0) return { samples: 0, busy: 0, hottest: '', hottestShare: 0 };
    let busy = 0;
    let top = part.samples[0]!;
    for (const s of part.samples) {
      if (s.who && s.who.pid !== 0) busy += s.count;
      if (s.count > top.count) top = s;
    }
    const hottest = named.get(`${top.pc}:${top.who?.comm ?? null}`) ?? `0x${top.pc.toString(16)}${top.who ? ` in ${top.who.comm}` : ''}`;
    return { samples: part.total, busy: busy / part.total, hottest, hottestShare: top.count / part.total };
  });
}

/** What the store keeps per slice of a finished run. */
export function summarizeRun(run: DimensionRun): unknown[] | undefined {
  return run.description.dimension === 'hotspots' ? hotSlices(run) : undefined;
}
