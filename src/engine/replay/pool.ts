// A pool of replay workers (replay-worker.ts) and its scheduler: every slice of
// a recording is replayed and verified on some worker, each worker continuing
// from where its last slice ended when it can (no restore needed) and
// otherwise splitting the longest run of slices still pending; results come
// back in slice order. Runtime-neutral: a host only says how to start one
// worker (worker_threads in src/engine/node/replay-pool.ts, Web Workers in
// src/engine/web/replay-pool.ts). The pool's thread is also the hub through
// which its workers share compiled JIT code (../jit/translation-share.ts).
import { transfer, type Remote } from 'comlink';
import type { AnalysisInputs, DimensionRequest } from '../../shared/analysis';
import type { SliceAnalysis } from '../analyze/slice-analysis';
import { connectTranslationPort, translationChannel } from '../jit/translation-share';
import type { JitStats } from '../jit/jit';
import type { SliceResult } from './replay-machine';
import type { ReplayWorkerApi, ReplayWorkerInit } from './replay-worker';

export interface PoolEvent {
  worker: number;
  slice: number;
  state: 'running' | 'done';
  result?: SliceResult;
}

/** One started replay worker, as its host hands it to the pool. */
export interface ReplayWorkerHandle {
  readonly api: Remote<ReplayWorkerApi>;
  /** Stops the worker; its api is unusable afterwards. */
  close(): Promise<void>;
}

/** Starts worker number `index` of a pool. */
export type StartReplayWorker = (index: number) => ReplayWorkerHandle;

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

type Transferables = Parameters<typeof transfer>[1];

/**
 * Inits started workers with `init`, each with a port to this thread's hub of
 * compiled JIT code (what one compiles, the others use); resolves to the
 * disconnect of those ports, for when the workers stop. Any host that starts
 * replay workers itself (the queue's threads) inits them so.
 */
export async function initReplayWorkers(workers: readonly ReplayWorkerHandle[], init: ReplayWorkerInit): Promise<() => void> {
  const disconnects: Array<() => void> = [];
  const disconnect = () => {
    for (const d of disconnects.splice(0)) d();
  };
  try {
    await Promise.all(
      workers.map((w) => {
        const channel = translationChannel();
        disconnects.push(connectTranslationPort(channel.hub));
        return w.api.init(transfer({ ...init, jitPort: channel.worker }, [channel.worker] as unknown as Transferables));
      }),
    );
  } catch (err) {
    disconnect();
    throw err;
  }
  return disconnect;
}

export class ReplayPool {
  /** Disconnects the workers' translation ports from this thread's hub. */
  private disconnect = (): void => {};

  private constructor(private readonly workers: ReplayWorkerHandle[]) {}

  get size(): number {
    return this.workers.length;
  }

  /** Starts `jobs` workers (at least one), each with the recording opened and the image booted. */
  static async start(init: ReplayWorkerInit, jobs: number, startWorker: StartReplayWorker): Promise<ReplayPool> {
    const workers = Array.from({ length: Math.max(1, jobs) }, (_, i) => startWorker(i));
    const pool = new ReplayPool(workers);
    try {
      pool.disconnect = await initReplayWorkers(workers, init);
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /** Replays and verifies `slices`; resolves to the results in slice order. */
  replay(slices: readonly number[], onEvent?: (event: PoolEvent) => void): Promise<SliceResult[]> {
    return this.schedule(slices, (api, i) => api.replaySlice(i), (r) => r, onEvent);
  }

  /** Replays, verifies and analyses `slices` for `requests` at once (analyze/slice-analysis.ts); results in slice order. */
  analyze(slices: readonly number[], requests: DimensionRequest[], inputs: AnalysisInputs, onEvent?: (event: PoolEvent, analysis?: SliceAnalysis) => void): Promise<SliceAnalysis[]> {
    return this.schedule(slices, (api, i) => api.analyzeSlice(i, requests, inputs), (a) => a.slice, onEvent);
  }

  /** Runs `job` for every slice on the workers, as replay() schedules; `sliceOf` names the verification a result carries. */
  private async schedule<T>(slices: readonly number[], job: (api: Remote<ReplayWorkerApi>, slice: number) => Promise<T>, sliceOf: (result: T) => SliceResult, onEvent?: (event: PoolEvent, result?: T) => void): Promise<T[]> {
    const order = [...slices].sort((a, b) => a - b);
    const pending = new Set(order);
    const results = new Map<number, T>();
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
          const result = await job(w.api, next);
          results.set(next, result);
          onEvent?.({ worker: id, slice: next, state: 'done', result: sliceOf(result) }, result);
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

  /** What each worker's JIT did since its init (all zero with the JIT off). */
  jitStats(): Promise<JitStats[]> {
    return Promise.all(this.workers.map((w) => w.api.jitStats()));
  }

  async close(): Promise<void> {
    this.disconnect();
    await Promise.all(this.workers.map((w) => w.close()));
  }
}
