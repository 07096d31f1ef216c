// A queue worker's threads for one recording (docs/design.md 6, scale-out):
// the recording found from the job's reference (a path here, else its URL)
// and checked against its digest, the image's boot files, and replay worker threads with analyses
// (workers/analysis.worker.ts, the local pool's entry), each with the
// recording opened and the image booted. A slice goes to an idle thread,
// the one that just ended at its start if there is one (no restore needed).
import { existsSync } from 'node:fs';
import { UnrecoverableError } from 'bullmq';
import type { SliceAnalysis } from '../../engine/analyze/slice-analysis';
import { loadNodeAnalysisFiles } from '../../engine/node/images';
import { compileMachineModule } from '../../engine/node/machine-module';
import { openRecordingFile } from '../../engine/node/recording-file';
import { loadRecordingBootFiles } from '../../engine/node/recording-image';
import { nodeReplayWorkers } from '../../engine/node/replay-pool';
import { initReplayWorkers, type ReplayWorkerHandle } from '../../engine/replay/pool';
import type { SliceResult } from '../../engine/replay/replay-machine';
import type { AnalysisInputs } from '../../shared/analysis';
import { toHex } from '../../shared/sha256';
import type { Recording } from '../../shared/recording/reader';
import { localRecordingFile } from '../remote';
import { inputsCode, type RecordingRef, type SliceJobData, type SliceOutcome } from './jobs';

const analysisWorker = new URL('../workers/analysis.worker.ts', import.meta.url);

interface Thread {
  handle: ReplayWorkerHandle;
  busy: boolean;
  /** The last slice it replayed (it stands at that slice's end). */
  last: number;
}

/** The recording at `path` if it is the one `ref` names (UnrecoverableError for another one). */
function openChecked(path: string, ref: RecordingRef): Recording {
  const { recording: rec, source } = openRecordingFile(path);
  source.close();
  const digest = toHex(rec.digest);
  if (digest !== ref.digest) throw new UnrecoverableError(`refusing the job: ${path} has digest ${digest.slice(0, 16)}…, the job names ${ref.digest.slice(0, 16)}… (another recording)`);
  return rec;
}

/**
 * The file to open for `ref` on this machine: its path when that is here
 * (same machine, shared disk), else fetched from its URL into this
 * machine's cache (../remote.ts, as prnr replay URL does); checked against
 * the digest either way.
 */
async function openReferenced(ref: RecordingRef): Promise<{ path: string; rec: Recording }> {
  if (ref.path !== undefined && existsSync(ref.path)) {
    try {
      return { path: ref.path, rec: openChecked(ref.path, ref) };
    } catch (err) {
      // Another recording (or a damaged one) at that path on this machine: the URL still names the right one.
      if (ref.url === undefined) throw err;
    }
  }
  if (ref.url !== undefined) {
    const path = await localRecordingFile(ref.url);
    return { path, rec: openChecked(path, ref) };
  }
  throw new Error(`recording ${ref.digest.slice(0, 16)}… is not on this machine (${ref.path ?? 'no path'}) and the job names no URL to fetch it from`);
}

export class RecordingThreads {
  private readonly threads: Thread[];
  private readonly idle: Array<() => void> = [];

  private constructor(
    readonly digest: string,
    readonly inputs: AnalysisInputs,
    readonly inputsCode: string,
    handles: ReplayWorkerHandle[],
    private readonly leaveHub: () => void,
  ) {
    this.threads = handles.map((handle) => ({ handle, busy: false, last: -2 }));
  }

  /** Opens the recording `ref` names and starts `count` threads on it. */
  static async open(ref: RecordingRef, count: number): Promise<RecordingThreads> {
    const { path, rec } = await openReferenced(ref);
    const [files, inputs, module] = await Promise.all([loadRecordingBootFiles(rec.header), loadNodeAnalysisFiles(rec.header.image.name), compileMachineModule()]);
    const start = nodeReplayWorkers(analysisWorker);
    const handles = Array.from({ length: count }, (_, i) => start(i));
    let leaveHub: () => void;
    try {
      // Each thread shares the JIT code it compiles with the others (src/engine/jit/translation-share.ts).
      leaveHub = await initReplayWorkers(handles, { path, recovery: ref.recovery, files, module });
    } catch (err) {
      await Promise.all(handles.map((h) => h.close()));
      throw err;
    }
    return new RecordingThreads(ref.digest, inputs, inputsCode(inputs), handles, leaveHub);
  }

  private retired = false;
  private closed: Promise<void> | undefined;

  get busy(): boolean {
    return this.threads.some((t) => t.busy);
  }

  /** Takes no more slices and closes once the running ones are done (a thread that failed may be gone). */
  retire(): void {
    this.retired = true;
    for (const wake of this.idle.splice(0)) wake();
    if (!this.busy) void this.close();
  }

  /** Waits for an idle thread, preferring the one standing at `slice`'s start. */
  private async acquire(slice: number): Promise<number> {
    for (;;) {
      // Retired while it waited: BullMQ retries the job, on threads opened afresh.
      if (this.retired) throw new Error('the threads for this recording were restarted after a failed slice');
      const free = this.threads.map((t, i) => ({ t, i })).filter(({ t }) => !t.busy);
      const pick = free.find(({ t }) => t.last === slice - 1) ?? free[0];
      if (pick) {
        pick.t.busy = true;
        return pick.i;
      }
      await new Promise<void>((resolve) => this.idle.push(resolve));
    }
  }

  /**
   * Runs the job's slice on a thread: the local pool's per-slice job
   * (replaySlice or analyzeSlice). `started` is told which thread took it.
   */
  async run(data: SliceJobData, started: (thread: number) => Promise<void> | void): Promise<SliceOutcome> {
    const index = await this.acquire(data.slice);
    const thread = this.threads[index];
    // Unknown until the slice is done (a failed call leaves the machine anywhere).
    thread.last = -2;
    try {
      await started(index);
      const api = thread.handle.api;
      const outcome: SliceResult | SliceAnalysis = data.kind === 'replay' ? await api.replaySlice(data.slice) : await api.analyzeSlice(data.slice, data.requests, this.inputs);
      thread.last = data.slice;
      return outcome;
    } finally {
      thread.busy = false;
      this.idle.shift()?.();
      if (this.retired && !this.busy) void this.close();
    }
  }

  close(): Promise<void> {
    if (!this.closed) this.leaveHub();
    this.closed ??= Promise.all(this.threads.map((t) => t.handle.close())).then(() => {});
    return this.closed;
  }
}
