// One verification of a recording's slices, as a framework-free store
// (subscribe/getSnapshot, STYLE.md): every slice pending, then running on a
// worker, then verified or diverged (with the first differing component), as
// the engine's replay workers report them; the run's time and how many
// workers ran at once at most. React binds it with useSyncExternalStore.
// Progress is painted at most every PROGRESS_PAINT_MS (each paint re-renders
// the page with its timeline, and the workers report far more often); the
// start and the end are painted at once.
import type { VerifiedSlice, VerifyProgress } from '../../../engine/engine-api';
import { errorMessage } from '../../../shared/errors';
import type { SliceMark } from '../timeline/slices';

export interface VerifyState {
  phase: 'idle' | 'running' | 'done' | 'failed';
  slices: SliceMark[];
  /** Workers asked for, and the most that replayed at once. */
  jobs: number;
  peakParallel: number;
  /** Distinct workers that replayed a slice. */
  workersUsed: number;
  verified: number;
  diverged: number;
  elapsedMs?: number;
  /** From the start to the first slice running: starting the workers (each opens the recording and boots the image). */
  startupMs?: number;
  error?: string;
}

/** How often a running verification repaints at most. */
export const PROGRESS_PAINT_MS = 50;

/** Calls `task` after `ms` (setTimeout; tests pass their own). */
export type Later = (task: () => void, ms: number) => void;

/** Runs one verification: `verify` calls the engine, feeding it the progress listener. */
export type VerifyCall = (jobs: number, onProgress: (progress: VerifyProgress) => void) => Promise<VerifiedSlice[]>;

export class VerifyRun {
  private state: VerifyState;
  private readonly listeners = new Set<() => void>();
  private readonly running = new Set<number>();
  private readonly workers = new Set<number>();
  private started = 0;
  /** A repaint is scheduled for the progress since the last. */
  private paintPending = false;

  constructor(
    readonly sliceCount: number,
    private readonly now: () => number = () => performance.now(),
    private readonly later: Later = (task, ms) => void setTimeout(task, ms),
  ) {
    this.state = this.initial(0);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): VerifyState => this.state;

  /** Starts a verification on `jobs` workers (a second start while one runs is ignored). */
  async start(jobs: number, verify: VerifyCall): Promise<void> {
    if (this.state.phase === 'running') return;
    this.running.clear();
    this.workers.clear();
    this.set(this.initial(jobs), 'running');
    const started = (this.started = this.now());
    try {
      const results = await verify(jobs, (p) => this.progress(p));
      // The results are the truth; progress events only paint the way there.
      const slices = this.state.slices.slice();
      for (const r of results) slices[r.index] = r.ok ? { state: 'verified', detail: `worker ${r.worker}, ${Math.round(r.ms)} ms` } : { state: 'diverged', detail: r.divergence ?? 'state root differs' };
      for (const r of results) this.workers.add(r.worker);
      this.update({ slices, phase: 'done', elapsedMs: this.now() - started, ...this.counts(slices), workersUsed: this.workers.size });
    } catch (err) {
      this.update({ phase: 'failed', error: errorMessage(err), elapsedMs: this.now() - started });
    }
  }

  private progress(p: VerifyProgress): void {
    if (this.state.phase !== 'running') return;
    const slices = this.state.slices.slice();
    if (this.state.startupMs === undefined) this.state = { ...this.state, startupMs: this.now() - this.started };
    if (p.state === 'running') {
      this.running.add(p.slice);
      slices[p.slice] = { state: 'running', detail: `worker ${p.worker}` };
    } else {
      this.running.delete(p.slice);
      const r = p.result;
      slices[p.slice] = r?.ok ? { state: 'verified', detail: `worker ${p.worker}, ${Math.round(r.ms)} ms` } : { state: 'diverged', detail: r?.divergence ?? 'state root differs' };
    }
    this.workers.add(p.worker);
    this.state = { ...this.state, slices, peakParallel: Math.max(this.state.peakParallel, this.running.size), ...this.counts(slices), workersUsed: this.workers.size };
    if (this.paintPending) return;
    this.paintPending = true;
    this.later(() => {
      this.paintPending = false;
      this.notify();
    }, PROGRESS_PAINT_MS);
  }

  private counts(slices: SliceMark[]) {
    return { verified: slices.filter((s) => s.state === 'verified').length, diverged: slices.filter((s) => s.state === 'diverged').length };
  }

  private initial(jobs: number): VerifyState {
    return { phase: 'idle', slices: Array.from({ length: this.sliceCount }, () => ({ state: 'pending' as const })), jobs, peakParallel: 0, workersUsed: 0, verified: 0, diverged: 0 };
  }

  private set(state: VerifyState, phase: VerifyState['phase']): void {
    this.state = { ...state, phase };
    this.notify();
  }

  private update(patch: Partial<VerifyState>): void {
    this.state = { ...this.state, ...patch };
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}

/** "14/14 slices verified in 3.2 s on 2 workers", or what diverged. */
export function verifySummary(s: VerifyState): string {
  const total = s.slices.length;
  const time = s.elapsedMs === undefined ? '' : ` in ${(s.elapsedMs / 1000).toFixed(1)} s`;
  const workers = `${s.workersUsed} worker${s.workersUsed === 1 ? '' : 's'}`;
  switch (s.phase) {
    case 'idle':
      return `${total} slices, not verified yet`;
    case 'running':
      return `verifying… ${s.verified + s.diverged}/${total} on ${s.jobs} worker${s.jobs === 1 ? '' : 's'}`;
    case 'failed':
      return `verification failed${time}: ${s.error}`;
    case 'done':
      return s.diverged === 0 ? `${s.verified}/${total} slices verified${time} on ${workers}` : `${s.diverged}/${total} slices diverged, ${s.verified} verified${time} on ${workers}`;
  }
}
