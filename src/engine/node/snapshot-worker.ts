// The recorder's snapshot pipeline on a worker_thread (snapshot.worker.ts): the
// machine thread only captures each snapshot and transfers its buffer; the
// worker hashes it and appends it to `<out>.partial`, which this thread
// created (so an existing recording is refused at once) and the worker writes.
//
// The recorder's run loop is synchronous (the CLI, runSession), so its event
// loop never turns while recording: requests go out with postMessage, and
// replies are read with receiveMessageOnPort after waiting on a shared counter
// of handled requests (Atomics.wait), not through Comlink promises. At most
// MAX_SNAPSHOTS_IN_FLIGHT snapshots wait for the worker; beyond that the
// machine waits. A worker error is thrown at the next submit or at finish.
// Crash safety is the file's: whatever the worker wrote is framed, and a
// recorder killed at any moment leaves a `.partial` that replays up to its
// last complete snapshot.
import { closeSync, rmSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { PrnrError } from '../../shared/errors';
import { PARTIAL_SUFFIX, type EndRecord, type RecordingHeader } from '../../shared/recording/format';
import type { CapturedSnapshot } from '../record/capture';
import type { ProcessedSnapshot, SnapshotPipeline } from '../record/snapshot-processor';
import { createPartialFile } from './recording-file';
import { startBundledWorker } from './bundled-worker';
import { Control, type SnapshotWorkerData, type SnapshotWorkerReply, type SnapshotWorkerRequest } from './snapshot-messages';

const workerUrl = new URL('./snapshot.worker.ts', import.meta.url);

/**
 * How far the worker may fall behind before the machine waits: snapshots
 * captured but not yet written, and the bytes they hold. Generous enough to
 * cover the worker's start (~0.3 s under tsx) during the guest's boot, whose
 * snapshots are the largest (a few MiB each).
 */
export const MAX_SNAPSHOTS_IN_FLIGHT = 16;
export const MAX_BYTES_IN_FLIGHT = 64 << 20;
/** A worker that makes no progress for this long is taken as dead (it cannot report a crash while this thread waits). */
const STALL_MS = 60_000;

export class SnapshotWorkerPipeline implements SnapshotPipeline {
  private readonly control = new Int32Array(new SharedArrayBuffer(8));
  private readonly results: MessagePort;
  private readonly worker: Worker;
  private readonly fd: number;
  private sent = 0;
  /** Bytes held by each request not yet answered, oldest first, and their sum. */
  private readonly inFlight: number[] = [];
  private inFlightBytes = 0;
  /** Replies read but not yet returned. */
  private processed: ProcessedSnapshot[] = [];
  private failure: PrnrError | undefined;
  private closed = false;
  bytesWritten = 0;

  /**
   * Creates `<path>.partial` (refusing an existing recording unless `force`, and another `.partial`
   * always), or takes `fd`, a descriptor to write instead (this pipeline closes it), and starts the worker.
   */
  constructor(
    readonly path: string,
    private readonly options: { force?: boolean; signingKeyPem?: string; fd?: number } = {},
  ) {
    const fd = options.fd ?? createPartialFile(path, options);
    const { port1, port2 } = new MessageChannel();
    this.results = port1;
    const data: SnapshotWorkerData = { path, fd, force: options.force, control: this.control.buffer as SharedArrayBuffer, results: port2 };
    this.worker = startBundledWorker(workerUrl, { workerData: data, transferList: [port2] });
    // Seen only when this thread's event loop turns (after recording); waits detect a dead worker by its silence.
    this.worker.on('error', (err) => {
      this.failure ??= new PrnrError('RECORDING_WRITE_FAILED', `the snapshot worker failed: ${err.message}`);
    });
    this.worker.unref();
    this.fd = fd;
  }

  start(header: RecordingHeader): void {
    this.post({ type: 'start', header, signingKeyPem: this.options.signingKeyPem });
  }

  submit(capture: CapturedSnapshot): ProcessedSnapshot[] {
    const bytes = capture.buffer.byteLength;
    this.waitUntilInFlight(MAX_SNAPSHOTS_IN_FLIGHT - 1, MAX_BYTES_IN_FLIGHT - bytes);
    this.post({ type: 'snapshot', capture }, [capture.buffer]);
    this.receive();
    return this.takeProcessed();
  }

  finish(end: EndRecord): ProcessedSnapshot[] {
    this.post({ type: 'end', record: end });
    this.waitUntilInFlight(0);
    this.closed = true;
    void this.worker.terminate();
    closeSync(this.fd);
    return this.takeProcessed();
  }

  /** After a failure: lets the worker write what it was given (the `.partial` replays up to there), then stops it. */
  abort(): void {
    this.stop(false);
  }

  /** Stops the worker and removes the `.partial` file (a recording that failed before its first snapshot). */
  discard(): void {
    this.stop(true);
  }

  private stop(remove: boolean): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.waitUntilInFlight(0);
    } catch {
      // the worker failed (and wrote nothing more) or stalled
    }
    void this.worker.terminate();
    // A stalled worker may still write: its descriptor stays open then.
    if (this.inFlight.length === 0) closeSync(this.fd);
    if (remove) rmSync(this.path + PARTIAL_SUFFIX, { force: true });
  }

  private post(request: SnapshotWorkerRequest, transfer: ArrayBuffer[] = []): void {
    if (this.closed) throw new PrnrError('RECORDING_FINISHED', 'the recording is finished');
    const bytes = transfer.reduce((n, b) => n + b.byteLength, 0);
    this.worker.postMessage(request, transfer);
    this.sent++;
    this.inFlight.push(bytes);
    this.inFlightBytes += bytes;
  }

  /** Counts the requests the worker has answered as done; returns how many it has. */
  private settle(): number {
    const handled = Atomics.load(this.control, Control.handled);
    while (this.sent - this.inFlight.length < handled) this.inFlightBytes -= this.inFlight.shift()!;
    return handled;
  }

  /** Waits until at most `count` requests holding at most `bytes` are unanswered; throws the worker's error, if any. */
  private waitUntilInFlight(count: number, bytes = 0): void {
    let handled = this.settle();
    let progressAt = performance.now();
    while ((this.inFlight.length > count || (this.inFlight.length > 0 && this.inFlightBytes > bytes)) && !this.failure) {
      Atomics.wait(this.control, Control.handled, handled, 1000);
      const now = this.settle();
      if (now !== handled) progressAt = performance.now();
      handled = now;
      if (performance.now() - progressAt > STALL_MS) {
        const what = Atomics.load(this.control, Control.started) === 0 ? 'did not start' : 'stopped responding';
        this.failure = new PrnrError('RECORDING_WRITE_FAILED', `the snapshot worker ${what} (no progress in ${STALL_MS / 1000} s); ${this.path}${PARTIAL_SUFFIX} holds what it wrote`);
      }
    }
    this.receive();
  }

  private takeProcessed(): ProcessedSnapshot[] {
    const done = this.processed;
    this.processed = [];
    return done;
  }

  /** Reads every reply so far; throws the worker's error, if any. */
  private receive(): void {
    for (let m = receiveMessageOnPort(this.results); m; m = receiveMessageOnPort(this.results)) {
      const reply = m.message as SnapshotWorkerReply;
      if (reply.type === 'failed') this.failure ??= new PrnrError(reply.code, reply.message);
      else if (reply.type === 'written') this.bytesWritten = reply.bytesWritten;
      else {
        this.processed.push(reply.snapshot);
        this.bytesWritten = reply.snapshot.bytesWritten;
      }
    }
    if (this.failure) throw this.failure;
  }
}
