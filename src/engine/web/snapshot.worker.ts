// Web Worker entry of a recorded live session's snapshot pipeline
// (snapshot-pipeline.ts), started by the engine worker: owns the recording
// file in OPFS and a SnapshotProcessor, and hashes and writes each captured
// snapshot in the order it arrives, so the machine only pauses to capture.
// The file is written through a synchronous access handle, in place: every
// byte written is in the file, and each slice is flushed once its SNAPSHOT
// record is written, so a tab closed mid-recording leaves `<file>.partial`
// holding every slice up to its last snapshot. While it writes, the worker
// holds the file's Web Lock (recordingLockName), released when it finishes,
// fails or its tab closes; the library recovers only unlocked `.partial`s.
import { errorCode, errorMessage, PrnrError } from '../../shared/errors';
import { PARTIAL_SUFFIX } from '../../shared/recording/format';
import { sha256, toHex } from '../../shared/sha256';
import type { RecordingSink } from '../record/writer';
import { SnapshotProcessor } from '../record/snapshot-processor';
import { recordingsDir, renameRecordingFile } from './opfs';
import { recordingLockName, type SnapshotWorkerReply, type SnapshotWorkerRequest } from './snapshot-messages';

/**
 * A RecordingSink on an OPFS synchronous access handle. Each write() on the
 * handle costs about a millisecond in Chromium, and the writer appends three
 * pieces per blob, so appends are gathered and written at sync(), once per
 * snapshot (the writer syncs after every SNAPSHOT record), and flushed: the
 * file always ends with a whole slice. (Measured: 2.2 s per boot snapshot of
 * 1900 appends written one by one.)
 */
class OpfsSink implements RecordingSink {
  private offset = 0;
  private pending = new Uint8Array(1 << 20);
  private pendingBytes = 0;
  private closed = false;

  constructor(private readonly handle: FileSystemSyncAccessHandle) {
    handle.truncate(0);
  }

  append(bytes: Uint8Array): void {
    if (this.pendingBytes + bytes.length > MAX_PENDING_BYTES) this.write();
    const needed = this.pendingBytes + bytes.length;
    if (needed > this.pending.length) {
      const grown = new Uint8Array(Math.max(needed, this.pending.length * 2));
      grown.set(this.pending.subarray(0, this.pendingBytes));
      this.pending = grown;
    }
    // Copied: the bytes may be a view the caller reuses after sync().
    this.pending.set(bytes, this.pendingBytes);
    this.pendingBytes += bytes.length;
  }

  sync(): void {
    this.write();
    this.handle.flush();
  }

  /** Called by the writer after END: written, flushed and closed (the rename to the final name follows). */
  finish(): void {
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sync();
    this.handle.close();
  }

  get bytes(): number {
    return this.offset + this.pendingBytes;
  }

  private write(): void {
    let done = 0;
    while (done < this.pendingBytes) {
      const n = this.handle.write(this.pending.subarray(done, this.pendingBytes), { at: this.offset + done });
      if (n <= 0) throw new PrnrError('RECORDING_WRITE_FAILED', `the browser's storage took no more bytes at offset ${this.offset + done} (is it full?)`);
      done += n;
    }
    this.offset += this.pendingBytes;
    this.pendingBytes = 0;
  }
}

/** Appends gathered before they are written even without a sync (a snapshot of many new pages). */
const MAX_PENDING_BYTES = 32 << 20;

let file = '';
let sink: OpfsSink | undefined;
let processor: SnapshotProcessor | undefined;
let releaseLock: (() => void) | undefined;
let failed = false;
const now = () => performance.now();

const post = (reply: SnapshotWorkerReply, transfer: Transferable[] = []) => self.postMessage(reply, transfer);

/** Holds the Web Lock for `name` until release() is called; false if another context holds it. */
function takeLock(name: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    navigator.locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        return new Promise<void>((release) => (releaseLock = release));
      })
      .catch(reject);
  });
}

function release(): void {
  try {
    sink?.close();
  } finally {
    releaseLock?.();
    releaseLock = undefined;
  }
}

async function open(name: string): Promise<SnapshotWorkerReply> {
  file = name;
  const partial = name + PARTIAL_SUFFIX;
  if (!(await takeLock(recordingLockName(name)))) throw new PrnrError('RECORDING_EXISTS', `${name} is being recorded elsewhere (another tab?)`);
  const dir = await recordingsDir();
  const exists = await dir.getFileHandle(partial).then(
    () => true,
    () => false,
  );
  // Created exclusively, as prnr record creates OUT.partial: never over another recording.
  if (exists) throw new PrnrError('RECORDING_EXISTS', `${partial} exists already`);
  const handle = await dir.getFileHandle(partial, { create: true });
  sink = new OpfsSink(await handle.createSyncAccessHandle());
  return { type: 'opened' };
}

/** Publishes the finished recording under its final name, as prnr record renames OUT.partial to OUT. */
async function publish(digest: string): Promise<SnapshotWorkerReply> {
  await renameRecordingFile(file + PARTIAL_SUFFIX, file);
  return { type: 'finished', file, digest, bytes: sink?.bytes ?? 0 };
}

async function handle(request: SnapshotWorkerRequest): Promise<void> {
  if (request.type === 'abandon') {
    release();
    post({ type: 'abandoned' });
    return;
  }
  // After a failure nothing more is written: the file ends at the last complete snapshot.
  if (failed) return;
  try {
    switch (request.type) {
      case 'open':
        post(await open(request.file));
        return;
      case 'start':
        if (!sink) throw new Error('snapshot worker: open first');
        processor = new SnapshotProcessor(sink, { sha256 }, request.header);
        return;
      case 'snapshot': {
        if (!processor) throw new Error('snapshot worker: start first');
        const snapshot = processor.process(request.capture, now);
        // The capture buffer goes back to the recorder for reuse.
        post({ type: 'processed', snapshot }, snapshot.buffer ? [snapshot.buffer] : []);
        return;
      }
      case 'end': {
        if (!processor) throw new Error('snapshot worker: start first');
        const digest = toHex(processor.end(request.record));
        const reply = await publish(digest);
        release();
        post(reply);
        return;
      }
    }
  } catch (err) {
    failed = true;
    const code = errorCode(err);
    post({ type: 'failed', code: code ?? 'RECORDING_WRITE_FAILED', message: code ? errorMessage(err) : `writing ${file}${PARTIAL_SUFFIX} in the browser's storage failed: ${errorMessage(err)}` });
    // What was written stays, and the library may recover it once the lock is free.
    try {
      release();
    } catch {
      // the handle is unusable already
    }
  }
}

let queue = Promise.resolve();
self.onmessage = (event: MessageEvent<SnapshotWorkerRequest>) => {
  const request = event.data;
  queue = queue.then(() => handle(request));
};
