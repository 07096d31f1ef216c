// The diff view's data: each recording opened in the engine (as the recording
// page opens it) and traced by the syscalls analysis with prnr diff's
// parameters, then the two traces diffed by src/analysis/diff, the code
// `prnr diff` runs, so both give the same divergences. A trace never changes
// for a recording: cached forever, keyed by the recording id.
import { useQuery } from '@tanstack/react-query';
import * as Comlink from 'comlink';
import { useMemo, useState } from 'react';
import { diffTraces, type TraceDiff } from '../../../analysis/diff/diff';
import type { SyscallsResult } from '../../../analysis/dimensions/index';
import type { AnalysisProgress } from '../../../engine/engine-api';
import { getEngine } from '../engine/engine';
import { recordingKey, useOpenRecording } from '../recording/queries';

/** The request `prnr diff` traces each recording with. */
export const DIFF_TRACE = { dimension: 'syscalls', params: {} } as const;

export interface TraceProgress {
  done: number;
  total: number;
}

/** The recording `id` opened, and its syscall trace once `enabled` (the second side waits for the first: one analysis at a time uses every worker). */
export function useSyscallTrace(id: string, enabled: boolean) {
  const opened = useOpenRecording({ recordingId: id });
  const [progress, setProgress] = useState<TraceProgress | undefined>();
  const trace = useQuery({
    queryKey: [...recordingKey(id), 'analysis', DIFF_TRACE.dimension, DIFF_TRACE.params],
    queryFn: async (): Promise<SyscallsResult> => {
      const listener = Comlink.proxy({ onProgress: (p: AnalysisProgress) => setProgress({ done: p.done, total: p.total }) });
      const results = await getEngine().api.analyze(id, { dimensions: [DIFF_TRACE] }, listener);
      return results.dimensions[0]!.result as SyscallsResult;
    },
    enabled: enabled && opened.isSuccess,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
  return { opened, trace, progress };
}

/** The diff of the two traces, once both are there (computed in the page: ~1,000 calls a side align in milliseconds). */
export function useTraceDiff(a: SyscallsResult | undefined, b: SyscallsResult | undefined): TraceDiff | undefined {
  return useMemo(() => (a && b ? diffTraces(a.calls, b.calls) : undefined), [a, b]);
}
