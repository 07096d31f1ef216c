// Where a command's slice jobs run: on a local pool of worker threads, or,
// with --queue, on BullMQ for `prnr worker` processes anywhere
// (docs/design.md 4, 6). Both answer as ReplayPool does (replay, analyze,
// size, close), so prnr replay, analyze, trace and diff verify, cache and
// merge the same way whichever runs the slices.
import { resolve } from 'node:path';
import type { SliceAnalyzer } from '../../engine/analyze/run';
import { startNodeReplayPool } from '../../engine/node/replay-pool';
import { loadRecordingBootFiles } from '../../engine/node/recording-image';
import type { ReplayPool } from '../../engine/replay/pool';
import type { AnalysisRuntime } from '../../shared/analysis';
import type { Recording } from '../../shared/recording/reader';
import { toHex } from '../../shared/sha256';
import type { QueueTarget } from './connection';

export type SliceRunner = Pick<ReplayPool, 'replay' | 'size' | 'close'> & SliceAnalyzer;

export interface SliceRunnerOptions {
  /** The recording's file and what it opened to. */
  file: string;
  /** The URL it was fetched from, if it was (queued jobs name it, for workers elsewhere). */
  url?: string;
  rec: Recording;
  recovery: boolean;
  /** Local worker threads (ignored with a queue). */
  jobs: number;
  /** The local workers' entry (default: replay only; src/cli/workers/analysis.worker.ts with analyses). */
  entry?: URL;
  queue?: QueueTarget;
  /** The analyses, to name their code in each queued job (analyze, trace, diff). */
  runtime?: AnalysisRuntime;
  /** A note for the user (no worker connected yet). */
  onNote?(line: string): void;
}

export async function startSliceRunner(o: SliceRunnerOptions): Promise<SliceRunner> {
  if (o.queue) {
    const { QueueRunner } = await import('./submit');
    return QueueRunner.connect({ target: o.queue, runtime: o.runtime, onNote: o.onNote, recording: { digest: toHex(o.rec.digest), path: resolve(o.file), url: o.url, recovery: o.recovery } });
  }
  const files = await loadRecordingBootFiles(o.rec.header);
  return startNodeReplayPool({ path: o.file, recovery: o.recovery, files, jobs: Math.max(1, Math.min(o.jobs, o.rec.slices.length)), entry: o.entry });
}
