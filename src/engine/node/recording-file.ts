// Recordings on the file system. Writing: `<out>.partial`, created exclusively,
// appended at every snapshot (written through to the OS, so a killed recorder
// loses nothing before its last snapshot) and fsynced at most once a second
// (so a power cut loses at most about a second), renamed to `<out>` when finished,
// so no reader sees a half-written `<out>`; an existing `<out>` is refused
// unless `force`. Reading: the whole file into a SharedArrayBuffer, which
// replay workers share without copying; a `.partial` file opens in recovery mode.
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readSync, renameSync, rmSync, writevSync } from 'node:fs';
import { PrnrError } from '../../shared/errors';
import { MAX_RECORD_BYTES, PARTIAL_SUFFIX } from '../../shared/recording/format';
import { openRecording, type Recording } from '../../shared/recording/reader';
import type { RecordingSink } from '../record/writer';
import { nodeSha256 } from './hash';

/** Creates `<path>.partial` for writing and returns its descriptor; refuses an existing `<path>` or `<path>.partial` unless `force`. */
export function createPartialFile(path: string, options: { force?: boolean } = {}): number {
  const partialPath = path + PARTIAL_SUFFIX;
  if (!options.force) {
    if (existsSync(path)) throw new PrnrError('RECORDING_EXISTS', `${path} already exists; pass --force to overwrite it`);
    if (existsSync(partialPath)) throw new PrnrError('RECORDING_EXISTS', `${partialPath} exists (an interrupted recording: inspect it with prnr info, or pass --force to overwrite it)`);
  }
  return openSync(partialPath, options.force ? 'w' : 'wx');
}

export class FileSink implements RecordingSink {
  private fd: number | undefined;
  readonly partialPath: string;
  /** False when given a descriptor: its owner closes it (Node warns when a worker closes a descriptor it did not open). */
  private readonly ownsFd: boolean;

  /** Creates `<path>.partial` (createPartialFile), or writes to `fd`, a descriptor createPartialFile returned (e.g. on another thread). */
  constructor(
    readonly path: string,
    options: { force?: boolean; fd?: number } = {},
  ) {
    this.partialPath = path + PARTIAL_SUFFIX;
    this.ownsFd = options.fd === undefined;
    this.fd = options.fd ?? createPartialFile(path, options);
  }

  /** Appended records wait here and go to the file in one write at the next sync (every snapshot). */
  private buffered: Uint8Array[] = [];
  private bufferedBytes = 0;

  append(bytes: Uint8Array): void {
    if (this.fd === undefined) throw new PrnrError('RECORDING_FINISHED', 'the recording file is closed');
    this.buffered.push(bytes);
    this.bufferedBytes += bytes.length;
    if (this.bufferedBytes >= 16 << 20) this.flush();
  }

  private flush(): void {
    if (this.fd === undefined || this.bufferedBytes === 0) return;
    let chunks = this.buffered;
    this.buffered = [];
    this.bufferedBytes = 0;
    // writev without a concatenated copy; at most 1024 buffers a call (IOV_MAX), and a short write continues where it stopped.
    while (chunks.length > 0) {
      const batch = chunks.slice(0, 1024);
      let written = writevSync(this.fd, batch);
      let used = 0;
      while (used < batch.length && written >= batch[used].length) written -= batch[used++].length;
      chunks = used < batch.length ? [batch[used].subarray(written), ...batch.slice(used + 1), ...chunks.slice(1024)] : chunks.slice(1024);
    }
  }

  /** Minimum time between two fsyncs: each can cost milliseconds, and snapshots come every few tens of them. */
  static readonly FSYNC_INTERVAL_MS = 1000;
  private lastFsync = 0;

  sync(): void {
    this.flush();
    const now = performance.now();
    if (this.fd !== undefined && now - this.lastFsync >= FileSink.FSYNC_INTERVAL_MS) {
      fsyncSync(this.fd);
      this.lastFsync = now;
    }
  }

  finish(): void {
    if (this.fd === undefined) return;
    this.flush();
    fsyncSync(this.fd);
    if (this.ownsFd) closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.partialPath, this.path);
  }

  /** Stops writing and removes the partial file (a recording that failed before its first snapshot is worth nothing). */
  discard(): void {
    if (this.fd !== undefined && this.ownsFd) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.partialPath, { force: true });
  }
}

/** Largest recording file this reader accepts (it reads the whole file). */
export const MAX_RECORDING_FILE_BYTES = 16 * 1024 * MAX_RECORD_BYTES;

/** Reads a recording file into shared memory. */
export function readRecordingFile(path: string): { data: Uint8Array; recovery: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new PrnrError('RECORDING_NOT_FOUND', `no recording at ${path}`);
    if (code === 'EISDIR') throw new PrnrError('RECORDING_NOT_FOUND', `${path} is a directory, not a recording`);
    throw err;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_RECORDING_FILE_BYTES) throw new PrnrError('RECORDING_TOO_LARGE', `${path} is ${size} bytes; the limit is ${MAX_RECORDING_FILE_BYTES}`);
    const data = new Uint8Array(new SharedArrayBuffer(size));
    let done = 0;
    while (done < size) {
      const n = readSync(fd, data, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return { data: data.subarray(0, done), recovery: path.endsWith(PARTIAL_SUFFIX) };
  } finally {
    closeSync(fd);
  }
}

/** Reads and fully validates a recording file. */
export function openRecordingFile(path: string): { recording: Recording; data: Uint8Array; recovery: boolean } {
  const { data, recovery } = readRecordingFile(path);
  return { recording: openRecording(data, { sha256: nodeSha256, recovery }), data, recovery };
}
