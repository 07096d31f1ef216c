// The browser's pipeline for a recorded live session (../live-recording.ts):
// the engine worker runs the machine under a Recorder and only captures each
// snapshot; a snapshot Web Worker (snapshot.worker.ts, nested in the engine
// worker) hashes it and appends it to the recording's file in OPFS. Capture
// buffers are transferred to it and back. Unlike Node's pipeline
// (../node/snapshot-worker.ts) nothing here blocks: the live session yields
// to the event loop between runs, so replies arrive as messages, and while
// MAX_SNAPSHOTS_IN_FLIGHT snapshots (or MAX_BYTES_IN_FLIGHT) wait for the
// worker, `saturated` holds the machine back. The worker's first error is
// thrown at the next submit or finish.
import { PrnrError } from '../../shared/errors';
import type { EndRecord, RecordingHeader } from '../../shared/recording/format';
import type { CapturedSnapshot } from '../record/capture';
import type { ProcessedSnapshot } from '../record/snapshot-processor';
import type { LiveRecordingPipeline } from '../live-recording';
import type { SnapshotWorkerReply, SnapshotWorkerRequest } from './snapshot-messages';

export const MAX_SNAPSHOTS_IN_FLIGHT = 16;
export const MAX_BYTES_IN_FLIGHT = 64 << 20;

export class WebSnapshotPipeline implements LiveRecordingPipeline {
  private readonly worker: Worker;
  /** Bytes of each snapshot sent and not yet processed, oldest first. */
  private readonly inFlight: number[] = [];
  private inFlightBytes = 0;
  private processed: ProcessedSnapshot[] = [];
  private failure: PrnrError | undefined;
  private finishing: Promise<SnapshotWorkerReply> | undefined;
  private readonly waiting = new Map<SnapshotWorkerReply['type'], { resolve(reply: SnapshotWorkerReply): void; reject(err: Error): void }>();
  bytesWritten = 0;

  private constructor(readonly file: string) {
    this.worker = new Worker(new URL('./snapshot.worker.ts', import.meta.url), { type: 'module', name: 'prnr-snapshots' });
    this.worker.onmessage = (event: MessageEvent<SnapshotWorkerReply>) => this.receive(event.data);
    this.worker.onerror = (event) => this.fail(new PrnrError('RECORDING_WRITE_FAILED', `the snapshot worker failed: ${event.message || 'it could not load'}`));
  }

  /** Starts a snapshot worker that creates `<file>.partial` in OPFS (RECORDING_EXISTS if there is one) and holds its lock. */
  static async open(file: string): Promise<WebSnapshotPipeline> {
    const pipeline = new WebSnapshotPipeline(file);
    try {
      await pipeline.request({ type: 'open', file }, 'opened');
    } catch (err) {
      pipeline.worker.terminate();
      throw err;
    }
    return pipeline;
  }

  get saturated(): boolean {
    return this.inFlight.length >= MAX_SNAPSHOTS_IN_FLIGHT || this.inFlightBytes >= MAX_BYTES_IN_FLIGHT;
  }

  start(header: RecordingHeader): void {
    this.post({ type: 'start', header });
  }

  submit(capture: CapturedSnapshot): ProcessedSnapshot[] {
    this.throwFailure();
    const bytes = capture.buffer.byteLength;
    this.post({ type: 'snapshot', capture }, [capture.buffer]);
    this.inFlight.push(bytes);
    this.inFlightBytes += bytes;
    return this.take();
  }

  finish(end: EndRecord): ProcessedSnapshot[] {
    this.throwFailure();
    this.finishing = this.request({ type: 'end', record: end }, 'finished');
    return this.take();
  }

  async finished(): Promise<{ file: string; digest: string; bytes: number }> {
    if (!this.finishing) throw new Error('WebSnapshotPipeline: finish() first');
    try {
      const reply = await this.finishing;
      if (reply.type !== 'finished') throw new Error(`unexpected reply ${reply.type}`);
      this.bytesWritten = reply.bytes;
      return { file: reply.file, digest: reply.digest, bytes: reply.bytes };
    } finally {
      this.worker.terminate();
    }
  }

  async abandon(): Promise<void> {
    try {
      await this.request({ type: 'abandon' }, 'abandoned');
    } catch {
      // it failed already; terminating it releases its lock
    } finally {
      this.worker.terminate();
    }
  }

  private post(request: SnapshotWorkerRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  /** Sends a request and waits for the reply of type `expect` (or the worker's failure). */
  private request(request: SnapshotWorkerRequest, expect: SnapshotWorkerReply['type']): Promise<SnapshotWorkerReply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.set(expect, { resolve, reject });
      this.post(request);
    });
  }

  private receive(reply: SnapshotWorkerReply): void {
    if (reply.type === 'failed') {
      this.fail(new PrnrError(reply.code, reply.message));
      return;
    }
    if (reply.type === 'processed') {
      this.inFlightBytes -= this.inFlight.shift() ?? 0;
      this.processed.push(reply.snapshot);
      this.bytesWritten = reply.snapshot.bytesWritten;
    }
    const waiter = this.waiting.get(reply.type);
    this.waiting.delete(reply.type);
    waiter?.resolve(reply);
  }

  private fail(err: PrnrError): void {
    this.failure ??= err;
    // Nothing more will be processed: let the machine run on until the next submit throws.
    this.inFlight.length = 0;
    this.inFlightBytes = 0;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure;
  }

  private take(): ProcessedSnapshot[] {
    const done = this.processed;
    this.processed = [];
    return done;
  }
}
