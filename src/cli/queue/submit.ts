// The submitting side of the slice queue (docs/design.md 6, scale-out): what
// runs slices for `prnr replay --queue` and `prnr analyze --queue`. It has
// the local pool's shape (replay, analyze, size, close: ReplayPool's), so
// the commands, analyzeRecording's cache and the dimensions' merges are the
// same code either way; only where each slice's job runs differs. Every slice
// is a BullMQ job with an id from its content (jobs.ts): a job already done
// answers with its kept result, one that failed for good is retried, and the
// results come back in slice order.
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { SliceAnalysis } from '../../engine/analyze/slice-analysis';
import type { PoolEvent } from '../../engine/replay/pool';
import type { SliceResult } from '../../engine/replay/replay-machine';
import type { AnalysisInputs, AnalysisRuntime, DimensionRequest } from '../../shared/analysis';
import { errorMessage, PrnrError } from '../../shared/errors';
import { connectionOptions, probeQueue, QUEUE_NAME, type QueueTarget } from './connection';
import { decodeJobResult, JOB_OPTIONS, jobCode, sliceJobId, verificationOf, type RecordingRef, type SliceJobData, type SliceJobKind, type SliceOutcome } from './jobs';

export interface QueueRunnerOptions {
  target: QueueTarget;
  recording: RecordingRef;
  /** The analyses (for analyze jobs): their versions and code go into each job. */
  runtime?: AnalysisRuntime;
  /** Told once when no worker is connected yet (the jobs wait for one). */
  onNote?(line: string): void;
}

/**
 * The jobs (in slice order) in the order to queue them for `workers` worker
 * processes: split into that many runs of consecutive slices, taken one from
 * each run in turn. Workers take jobs first in, first out, so each one
 * mostly goes on from the slice it just ended (no restore), as the local
 * pool's threads do; in slice order, two workers would each restore before
 * every slice.
 */
export function interleaved<T>(jobs: readonly T[], workers: number): T[] {
  const runs = Math.max(1, Math.min(workers, jobs.length));
  const starts = Array.from({ length: runs + 1 }, (_, r) => Math.floor((r * jobs.length) / runs));
  const out: T[] = [];
  for (let step = 0; out.length < jobs.length; step++) {
    for (let r = 0; r < runs; r++) if (starts[r] + step < starts[r + 1]) out.push(jobs[starts[r] + step]);
  }
  return out;
}

export class QueueRunner {
  /** Each worker thread seen running a job, numbered in the order seen (PoolEvent.worker). */
  private readonly workers = new Map<string, number>();
  private lost: Promise<never>;

  private constructor(
    private readonly o: QueueRunnerOptions,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {
    // A submitter does not reconnect (connectionOptions(retry false)): the first error ends the run, in one line.
    this.lost = new Promise<never>((_, reject) => {
      const fail = (err: Error) => reject(new PrnrError('QUEUE_LOST', `lost Redis at ${o.target.url}: ${errorMessage(err)}`));
      const closed = () => fail(new Error('the connection closed'));
      queue.on('error', fail);
      events.on('error', fail);
      queue.on('ioredis:close', closed);
      events.on('ioredis:close', closed);
    });
    this.lost.catch(() => {});
  }

  /** Connects to the queue (QUEUE_UNREACHABLE at once when Redis does not answer). */
  static async connect(o: QueueRunnerOptions): Promise<QueueRunner> {
    await probeQueue(o.target);
    const connection = connectionOptions(o.target, false);
    const runner = new QueueRunner(o, new Queue(QUEUE_NAME, { connection }), new QueueEvents(QUEUE_NAME, { connection }));
    // Each job waited for listens on the queue's 'closing' (Job.waitUntilFinished): one per slice, not a leak.
    runner.queue.setMaxListeners(0);
    await Promise.race([Promise.all([runner.queue.waitUntilReady(), runner.events.waitUntilReady()]), runner.lost]);
    return runner;
  }

  /** Worker threads that have run a job of this runner so far. */
  get size(): number {
    return this.workers.size;
  }

  replay(slices: readonly number[], onEvent?: (event: PoolEvent) => void): Promise<SliceResult[]> {
    return this.run<SliceResult>('replay', slices, [], undefined, onEvent);
  }

  analyze(slices: readonly number[], requests: DimensionRequest[], inputs: AnalysisInputs, onEvent?: (event: PoolEvent, analysis?: SliceAnalysis) => void): Promise<SliceAnalysis[]> {
    return this.run<SliceAnalysis>('analyze', slices, requests, inputs, onEvent);
  }

  private workerIndex(worker: string): number {
    let index = this.workers.get(worker);
    if (index === undefined) this.workers.set(worker, (index = this.workers.size));
    return index;
  }

  private async run<T extends SliceOutcome>(kind: SliceJobKind, slices: readonly number[], requests: DimensionRequest[], inputs: AnalysisInputs | undefined, onEvent?: (event: PoolEvent, result?: T) => void): Promise<T[]> {
    const order = [...slices].sort((a, b) => a - b);
    const code = jobCode(this.o.runtime, requests, inputs);
    const jobs = order.map((slice): SliceJobData => ({ kind, recording: this.o.recording, slice, requests, code }));
    const ids = new Map(jobs.map((data) => [sliceJobId(data), data.slice]));
    // A worker names itself in the job's progress as it starts it: the "running" event.
    const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
      const slice = ids.get(jobId);
      const worker = (data as { worker?: unknown } | null)?.worker;
      if (slice !== undefined && typeof worker === 'string') onEvent?.({ worker: this.workerIndex(worker), slice, state: 'running' });
    };
    this.events.on('progress', onProgress);
    try {
      const workers = await this.queue.getWorkersCount();
      if (workers === 0) this.o.onNote?.(`no prnr worker is connected to ${this.o.target.url} yet; the ${order.length} slice jobs wait for one (start one: prnr worker --queue ${this.o.target.url})`);
      const queued = interleaved(jobs, workers);
      const added = await Promise.race([this.queue.addBulk(queued.map((data) => ({ name: kind, data, opts: { ...JOB_OPTIONS, jobId: sliceJobId(data) } }))), this.lost]);
      const results = await Promise.race([Promise.all(added.map((job, k) => this.finish<T>(job, queued[k], onEvent))), this.lost]);
      const bySlice = new Map(queued.map((data, k) => [data.slice, results[k]]));
      return order.map((slice) => bySlice.get(slice)!);
    } finally {
      this.events.off('progress', onProgress);
    }
  }

  /**
   * Waits for one job's result. A job that failed for good before (kept as
   * failed) is replaced by this submission's (its path or URL may be the
   * one that works now) and runs again.
   */
  private async finish<T extends SliceOutcome>(added: Job<SliceJobData>, data: SliceJobData, onEvent?: (event: PoolEvent, result?: T) => void): Promise<T> {
    let job = added;
    if ((await job.getState()) === 'failed') {
      await this.queue.remove(job.id!);
      job = await this.queue.add(data.kind, data, { ...JOB_OPTIONS, jobId: job.id });
    }
    let value: unknown;
    try {
      value = await job.waitUntilFinished(this.events);
    } catch (err) {
      throw new PrnrError('QUEUE_JOB_FAILED', `slice ${job.data.slice} failed on the queue: ${errorMessage(err)}`);
    }
    const { worker, result } = decodeJobResult<T>(value);
    onEvent?.({ worker: this.workerIndex(worker), slice: job.data.slice, state: 'done', result: verificationOf(result) }, result);
    return result;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}
