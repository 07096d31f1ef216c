// A queue worker (docs/design.md 6, scale-out): a BullMQ worker that takes
// slice jobs (jobs.ts) and runs each on one of its replay threads for that
// recording (threads.ts). A job is refused for good when the worker's code
// is not the code the job names (machine build, dimension versions, analysis
// files) or its file is another recording; anything else that throws is
// retried by BullMQ with backoff. Jobs hold a lock the worker renews while
// they run; a worker that dies stops renewing, and any other worker's
// stalled-job check puts its jobs back in the queue within
// LOCK_MS + STALLED_CHECK_MS.
import { hostname } from 'node:os';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AnalysisRuntime } from '../../shared/analysis';
import { errorMessage } from '../../shared/errors';
import { connectionOptions, probeQueue, QUEUE_NAME, type QueueTarget } from './connection';
import { encodeJobResult, LOCK_MS, machineCode, STALLED_CHECK_MS, verificationOf, type RecordingRef, type SliceJobData, type SliceOutcome } from './jobs';
import { RecordingThreads } from './threads';

/** Recordings kept open (each with its threads) while idle. */
const OPEN_RECORDINGS = 2;

export interface QueueWorkerOptions {
  target: QueueTarget;
  /** Jobs at once, each on its own thread. */
  concurrency: number;
  runtime: AnalysisRuntime;
  log(line: string): void;
}

/** How a worker thread names itself to submitters: host, process and thread. */
export function workerName(thread: number): string {
  return `${hostname()}:${process.pid}/${thread + 1}`;
}

function checkJobData(data: unknown): SliceJobData {
  const d = data as Partial<SliceJobData> | null;
  const ok = d !== null && typeof d === 'object' && (d.kind === 'replay' || d.kind === 'analyze') && Number.isInteger(d.slice) && d.slice! >= 0 && Array.isArray(d.requests) && typeof d.code === 'object' && d.code !== null && typeof d.recording === 'object' && d.recording !== null && /^[0-9a-f]{64}$/.test(String(d.recording.digest));
  if (!ok) throw new UnrecoverableError('not a prnr slice job (or one from another version of prnr)');
  return d as SliceJobData;
}

export class QueueWorker {
  private readonly recordings = new Map<string, Promise<RecordingThreads>>();
  private readonly active = new Map<string, { job: Job<SliceJobData>; token: string }>();
  private readonly worker: Worker<SliceJobData, string>;

  private constructor(private readonly o: QueueWorkerOptions) {
    this.worker = new Worker<SliceJobData, string>(QUEUE_NAME, (job, token) => this.process(job, token ?? ''), {
      connection: connectionOptions(o.target, true),
      concurrency: o.concurrency,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      // A job whose worker died twice is still run again; a third time it fails (each stall costs a lock period).
      maxStalledCount: 2,
      name: `${hostname()}:${process.pid}`,
    });
    let lastError = '';
    this.worker.on('error', (err) => {
      // Reconnecting repeats the same error: say it once until something else happens.
      if (err.message !== lastError) o.log(`queue: ${errorMessage(err)}`);
      lastError = err.message;
    });
    this.worker.on('failed', (job, err) => {
      if (job) o.log(`${this.jobName(job.data)}: failed (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}): ${errorMessage(err)}`);
    });
  }

  /** Connects (QUEUE_UNREACHABLE at once when Redis does not answer) and starts taking jobs. */
  static async start(o: QueueWorkerOptions): Promise<QueueWorker> {
    await probeQueue(o.target);
    const w = new QueueWorker(o);
    await w.worker.waitUntilReady();
    return w;
  }

  private jobName(data: SliceJobData | undefined): string {
    return data ? `slice ${data.slice} of ${String(data.recording?.digest).slice(0, 8)}` : 'a job';
  }

  private checkCode(data: SliceJobData, threads: RecordingThreads): void {
    const refuse = (what: string) => new UnrecoverableError(`refusing the job: it was made for ${what}`);
    if (data.code.machine !== machineCode()) throw refuse(`machine ${data.code.machine}, this worker runs ${machineCode()} (another build of prnr)`);
    if (data.kind !== 'analyze') return;
    if (data.code.inputs !== threads.inputsCode) throw refuse(`analysis files ${data.code.inputs}, this worker's image has ${threads.inputsCode}`);
    for (const [k, r] of data.requests.entries()) {
      const d = this.o.runtime.describe(r);
      const want = data.code.dimensions[k];
      if (!want || want.dimension !== d.dimension || want.version !== d.version || want.code !== d.code) throw refuse(`${r.dimension} ${want ? `version ${want.version} (${want.code || 'no code'})` : 'unknown'}, this worker has version ${d.version} (${d.code || 'no code'})`);
    }
  }

  /** The threads for the job's recording, opened if need be; the least recently used idle ones beyond OPEN_RECORDINGS are closed. */
  private threadsFor(ref: RecordingRef): Promise<RecordingThreads> {
    let threads = this.recordings.get(ref.digest);
    if (threads) {
      this.recordings.delete(ref.digest);
    } else {
      threads = RecordingThreads.open(ref, this.o.concurrency);
      // A recording that could not be opened is not kept: the next job tries again.
      threads.catch(() => this.recordings.get(ref.digest) === threads && this.recordings.delete(ref.digest));
    }
    this.recordings.set(ref.digest, threads);
    void this.closeIdle();
    return threads;
  }

  private async closeIdle(): Promise<void> {
    for (const [digest, pending] of this.recordings) {
      if (this.recordings.size <= OPEN_RECORDINGS) return;
      const threads = await pending.catch(() => undefined);
      if (threads?.busy) continue;
      this.recordings.delete(digest);
      await threads?.close();
    }
  }

  private async process(job: Job<SliceJobData>, token: string): Promise<string> {
    const data = checkJobData(job.data);
    const pending = this.threadsFor(data.recording);
    const threads = await pending;
    this.checkCode(data, threads);
    this.active.set(job.id!, { job, token });
    const started = Date.now();
    let worker = '';
    // Sent as the slice starts, not waited for first (a round trip per job); it reaches Redis before the result, on the same connection.
    let named: Promise<unknown> = Promise.resolve();
    try {
      const outcome: SliceOutcome = await threads.run(data, (thread) => {
        worker = workerName(thread);
        this.o.log(`${this.jobName(data)}: running on thread ${thread + 1}`);
        named = job.updateProgress({ worker }).then(() => undefined, (err: unknown) => err);
      });
      const failed = await named;
      if (failed) throw failed;
      const v = verificationOf(outcome);
      const what = data.kind === 'analyze' ? `analysed (${data.requests.map((r) => r.dimension).join(', ')}) and ` : '';
      this.o.log(`${this.jobName(data)}: ${what}${v.ok ? 'verified' : `DIVERGED: ${v.divergence ?? 'state root differs'}`} in ${Date.now() - started} ms`);
      return encodeJobResult({ worker, result: outcome });
    } catch (err) {
      // A thread that threw may have died with it: the next job of this recording starts afresh.
      if (this.recordings.get(data.recording.digest) === pending) this.recordings.delete(data.recording.digest);
      threads.retire();
      throw err;
    } finally {
      this.active.delete(job.id!);
    }
  }

  /** Jobs running now. */
  get running(): number {
    return this.active.size;
  }

  /** Stops taking jobs and waits for the running ones to finish. */
  async drain(): Promise<void> {
    await this.worker.close();
    await this.closeAll();
  }

  /** Gives the running jobs back to the queue at once (another worker takes them) and stops. */
  async release(): Promise<void> {
    const released = [...this.active.values()];
    this.active.clear();
    await Promise.allSettled(released.map(({ job, token }) => job.moveToWait(token)));
    await Promise.allSettled([this.worker.close(true), this.closeAll()]);
  }

  private async closeAll(): Promise<void> {
    const all = [...this.recordings.values()];
    this.recordings.clear();
    await Promise.allSettled(all.map(async (p) => (await p).close()));
  }
}
