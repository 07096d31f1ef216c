// A pool of replay workers (worker_threads running replay.worker.ts): every
// slice of a recording is replayed and verified on some worker, each worker
// continuing from where its last slice ended when it can (no restore needed)
// and otherwise taking the lowest slice left; results come back in slice
// order. The browser runs the same worker code in Web Workers.
import { availableParallelism } from 'node:os';
import type { BootFiles } from '../images';
import type { SliceResult } from '../replay/replay-machine';
import { compileMachineModule } from './machine-module';
import type { ReplayWorkerApi } from './replay.worker';
import { startComlinkWorker, type ComlinkWorker } from './comlink-worker';

const workerUrl = new URL('./replay.worker.ts', import.meta.url);

export interface PoolEvent {
  worker: number;
  slice: number;
  state: 'running' | 'done';
  result?: SliceResult;
}

export interface ReplayPoolOptions {
  /** The recording file (ideally a view of a SharedArrayBuffer: workers share it without a copy). */
  data: Uint8Array;
  recovery: boolean;
  files: BootFiles;
  /** Number of workers (default: available cores, at most 4). */
  jobs?: number;
  wasmPath?: string;
}

export function defaultJobs(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

type PoolWorker = ComlinkWorker<ReplayWorkerApi>;

function startReplayWorker(): PoolWorker {
  return startComlinkWorker<ReplayWorkerApi>(workerUrl, 'replay');
}

/**
 * Where an idle worker starts: the middle of the longest run of consecutive
 * pending slices, so the worker already in that run keeps its first half
 * without a restore and the two do not collide again soon.
 */
export function stealPoint(order: readonly number[], pending: ReadonlySet<number>): number | undefined {
  let best: { start: number; length: number } | undefined;
  let start = -1;
  for (let i = 0; i <= order.length; i++) {
    const inRun = i < order.length && pending.has(order[i]!) && (start < 0 || order[i]! === order[i - 1]! + 1);
    if (inRun) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && (!best || i - start > best.length)) best = { start, length: i - start };
    start = i < order.length && pending.has(order[i]!) ? i : -1;
  }
  if (!best) return undefined;
  return order[best.start + Math.floor(best.length / 2)];
}

export class ReplayPool {
  private constructor(private readonly workers: PoolWorker[]) {}

  get size(): number {
    return this.workers.length;
  }

  /** Starts `jobs` workers, each with the recording opened and the image booted. */
  static async start(options: ReplayPoolOptions): Promise<ReplayPool> {
    const module = await compileMachineModule(options.wasmPath);
    const workers = Array.from({ length: Math.max(1, options.jobs ?? defaultJobs()) }, startReplayWorker);
    const pool = new ReplayPool(workers);
    try {
      await Promise.all(workers.map((w) => w.api.init({ data: options.data, recovery: options.recovery, files: options.files, module })));
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Replays and verifies `slices`; resolves to the results in slice order. */
  async replay(slices: readonly number[], onEvent?: (event: PoolEvent) => void): Promise<SliceResult[]> {
    const order = [...slices].sort((a, b) => a - b);
    const pending = new Set(order);
    const results = new Map<number, SliceResult>();
    const take = (preferred: number): number | undefined => {
      const next = pending.has(preferred) ? preferred : stealPoint(order, pending);
      if (next !== undefined) pending.delete(next);
      return next;
    };
    const jobs = this.workers.length;
    await Promise.all(
      this.workers.map(async (w, id) => {
        // Each worker starts at its share of the slices and runs on from there (no restore between
        // consecutive slices); when its run is taken, it splits the longest run still pending.
        let next = take(order[Math.floor((id * order.length) / jobs)]!);
        while (next !== undefined) {
          onEvent?.({ worker: id, slice: next, state: 'running' });
          const result = await w.api.replaySlice(next);
          results.set(next, result);
          onEvent?.({ worker: id, slice: next, state: 'done', result });
          next = take(next + 1);
        }
      }),
    );
    return order.map((i) => results.get(i)!);
  }

  /** Replays one slice on a given worker (tests: every slice verifies alone, on any worker). */
  replayOn(worker: number, slice: number): Promise<SliceResult> {
    return this.workers[worker].api.replaySlice(slice);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
  }
}

/** Starts a pool, replays every slice, closes the pool. */
export async function replayInParallel(options: ReplayPoolOptions & { sliceCount: number; onEvent?: (event: PoolEvent) => void }): Promise<SliceResult[]> {
  const pool = await ReplayPool.start(options);
  try {
    return await pool.replay(Array.from({ length: options.sliceCount }, (_, i) => i), options.onEvent);
  } finally {
    await pool.close();
  }
}
