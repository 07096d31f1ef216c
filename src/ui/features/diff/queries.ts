// The diff view's data: each recording opened in the engine (as the recording
// page opens it) and traced by the syscalls analysis with prnr diff's
// parameters (./trace-source.ts: the page's analyses of it, kept in this
// browser), then the two traces diffed by src/analysis/diff, the code
// `prnr diff` runs (in a worker of its own), so both give the same divergences.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { TraceDiff } from '../../../analysis/diff/diff';
import type { SyscallsResult } from '../../../analysis/dimensions/index';
import { analysisRunFor } from '../analysis/useAnalyses';
import { recordingKey, useOpenRecording } from '../recording/queries';
import { diffInWorker } from './diff-client';
import { syscallTrace, type TraceProgress } from './trace-source';

/** The recording `id` opened, and its syscall trace once `enabled` (the second side waits for the first: one analysis at a time uses every worker). */
export function useSyscallTrace(id: string, enabled: boolean) {
  const opened = useOpenRecording({ recordingId: id });
  const [progress, setProgress] = useState<TraceProgress | undefined>();
  const slices = opened.data ? opened.data.info.snapshotTicks.length - 1 : 0;
  const trace = useQuery({
    queryKey: [...recordingKey(id), 'diff-trace'],
    queryFn: () => syscallTrace(analysisRunFor(id, slices), setProgress),
    enabled: enabled && opened.isSuccess,
    staleTime: Infinity,
    gcTime: Infinity,
    retry: false,
  });
  return { opened, trace, progress };
}

/** The diff of the two traces, once both are there, computed off the page's thread (./diff-client.ts). */
export function useTraceDiff(a: string, b: string, traceA: SyscallsResult | undefined, traceB: SyscallsResult | undefined) {
  return useQuery({
    queryKey: ['diff', a, b],
    queryFn: (): Promise<TraceDiff> => diffInWorker(traceA!.calls, traceB!.calls),
    enabled: traceA !== undefined && traceB !== undefined,
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    retry: false,
  });
}
