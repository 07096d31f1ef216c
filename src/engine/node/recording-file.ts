// Recordings on the file system. Writing: `<out>.partial`, always created
// exclusively (an existing one is another recorder at work, or one that was
// interrupted: never taken over, not even with `force`), appended at every
// snapshot (written through to the OS, so a killed recorder loses nothing
// before its last snapshot) and fsynced at most once a second (so a power cut
// loses at most about a second), published as `<out>` when finished, so no
// reader sees a half-written `<out>`: without `force` by a hard link, which
// fails if `<out>` exists (even one that appeared while recording), then the
// `.partial` name is removed; with `force` by a rename over it. Reading: by offset through the file's index (FileSource), or
// the whole file into a SharedArrayBuffer that replay workers share without
// copying; a `.partial` file opens in recovery mode.
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, openSync, readSync, renameSync, rmSync, statSync, unlinkSync, writevSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode, PrnrError } from '../../shared/errors';
import { MAX_RECORD_BYTES, PARTIAL_SUFFIX } from '../../shared/recording/format';
import { openRecording, type OpenOptions, type Recording } from '../../shared/recording/reader';
import type { RecordingSource } from '../../shared/recording/source';
import { nodeOpenOptions } from './codecs';
import { fileErrorText } from './file-errors';
import type { RecordingSink } from '../record/writer';

/** Longest file name most file systems take (NAME_MAX), in bytes. */
const NAME_MAX = 255;

/**
 * Checks, before anything is recorded, that a recording can be written to `<path>.partial` and
 * published as `<path>`: the name fits, `path` is not a directory or a device, its directory
 * exists, and an existing recording there is replaced only with `force`. Plain sentences, no errno codes.
 */
export function checkRecordingPath(path: string, options: { force?: boolean } = {}): void {
  const cannot = (why: string) => new PrnrError('RECORDING_OUTPUT', `cannot record to ${path}: ${why}`);
  const nameBytes = Buffer.byteLength(basename(path) + PARTIAL_SUFFIX);
  if (nameBytes > NAME_MAX) throw cannot(`the file name is too long (${nameBytes} bytes with ${PARTIAL_SUFFIX}; file names are at most ${NAME_MAX})`);
  const existing = statOrUndefined(path, cannot);
  if (existing?.isDirectory()) throw cannot(`it is a directory; name a file in it, e.g. ${join(path, 'session.prnr')}`);
  if (existing && !existing.isFile()) throw cannot('it is not a regular file (a device or a pipe?)');
  if (existing && !options.force) throw new PrnrError('RECORDING_EXISTS', `${path} already exists; pass --force to overwrite it`);
  const dir = dirname(path);
  const parent = statOrUndefined(dir, cannot);
  if (!parent) throw cannot(`the directory ${dir} does not exist`);
  if (!parent.isDirectory()) throw cannot(`${dir} is not a directory`);
}

/** `path`'s stat, or undefined if nothing is there; other failures in plain words. */
function statOrUndefined(path: string, cannot: (why: string) => Error): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw cannot(code === 'ENOTDIR' ? `a part of ${path} is not a directory` : `${fileErrorText(err) ?? (err as Error).message} (${path})`);
  }
}

/**
 * Creates `<path>.partial` for writing, exclusively, and returns its descriptor; refuses an existing
 * `<path>` unless `force` (checkRecordingPath), and an existing `<path>.partial` always.
 */
export function createPartialFile(path: string, options: { force?: boolean } = {}): number {
  checkRecordingPath(path, options);
  const partialPath = path + PARTIAL_SUFFIX;
  try {
    return openSync(partialPath, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new PrnrError('RECORDING_IN_PROGRESS', `${partialPath} exists: another prnr record to ${path} may be running, or an interrupted one left it (prnr info ${partialPath} shows what it kept); wait for the other to finish, or remove ${partialPath} to record again`);
    }
    throw new PrnrError('RECORDING_OUTPUT', `cannot record to ${path}: cannot create ${partialPath}: ${fileErrorText(err) ?? (err as Error).message}`);
  }
}

/** Errors of a hard link on a file system that has none (FAT, some network file systems). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/** Publishes the finished `<path>.partial` as `<path>`: never over an existing `<path>` unless `force` (module comment). */
export function publishRecording(path: string, options: { force?: boolean } = {}): void {
  const partialPath = path + PARTIAL_SUFFIX;
  const appeared = () => new PrnrError('RECORDING_EXISTS', `${path} appeared while this recording ran (another prnr record?) and is left as it is; this recording is kept, complete, as ${partialPath} (it opens as it is; rename it to keep it)`);
  const cannot = (err: unknown) => new PrnrError('RECORDING_OUTPUT', `cannot publish ${partialPath} as ${path}: ${fileErrorText(err) ?? (err as Error).message}; the recording is kept, complete, as ${partialPath}`);
  try {
    if (options.force) {
      renameSync(partialPath, path);
      return;
    }
    try {
      linkSync(partialPath, path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw appeared();
      if (!NO_HARD_LINKS.has(code ?? '')) throw err;
      // No hard links here: check, then rename (a recorder that publishes in between is overwritten).
      if (existsSync(path)) throw appeared();
      renameSync(partialPath, path);
      return;
    }
    unlinkSync(partialPath);
  } catch (err) {
    throw (err as Error).name === 'PrnrError' ? err : cannot(err);
  }
}

export class FileSink implements RecordingSink {
  private fd: number | undefined;
  readonly partialPath: string;
  /** False when given a descriptor: its owner closes it (Node warns when a worker closes a descriptor it did not open). */
  private readonly ownsFd: boolean;

  /**
   * Creates `<path>.partial` (createPartialFile), or writes to `fd`, a descriptor createPartialFile
   * returned (e.g. on another thread); `force` lets finish() replace an existing `<path>`.
   */
  constructor(
    readonly path: string,
    private readonly options: { force?: boolean; fd?: number } = {},
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
    publishRecording(this.path, this.options);
  }

  /** Stops writing and removes the partial file (a recording that failed before its first snapshot is worth nothing). */
  discard(): void {
    if (this.fd !== undefined && this.ownsFd) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.partialPath, { force: true });
  }
}

/** A recording file read by offset: opening and seeking read only what they use, so its size is not bounded by memory. */
export class FileSource implements RecordingSource {
  readonly size: number;

  private constructor(
    private readonly fd: number,
    readonly name: string,
  ) {
    this.size = fstatSync(fd).size;
  }

  /** Opens `path` for reading; a missing file, a directory or something that is not a regular file is a clear error. */
  static open(path: string): FileSource {
    const notAFile = (stat: Stats) => new PrnrError('RECORDING_NOT_FOUND', `${path} is ${stat.isDirectory() ? 'a directory' : 'not a regular file (a pipe or device?)'}, not a recording; save it to a file first`);
    // Looked at before opening: opening a FIFO that has no writer would wait for one forever.
    let stat: Stats;
    let fd: number;
    try {
      stat = statSync(path);
      if (!stat.isFile()) throw notAFile(stat);
      fd = openSync(path, 'r');
    } catch (err) {
      throw errorCode(err) === 'RECORDING_NOT_FOUND' ? err : fileError(path, err);
    }
    stat = fstatSync(fd);
    if (!stat.isFile()) {
      closeSync(fd);
      throw notAFile(stat);
    }
    return new FileSource(fd, path);
  }

  read(offset: number, length: number): Uint8Array {
    const n = Math.max(0, Math.min(length, this.size - offset));
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const got = readSync(this.fd, out, done, n - done, offset + done);
      if (got === 0) break;
      done += got;
    }
    return done === n ? out : out.subarray(0, done);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function fileError(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    const partial = existsSync(path + PARTIAL_SUFFIX) ? `; but ${path + PARTIAL_SUFFIX} is there: an interrupted recording, which keeps every slice up to its last snapshot; open ${path + PARTIAL_SUFFIX} instead (it opens in recovery mode)` : '';
    return new PrnrError('RECORDING_NOT_FOUND', `no recording at ${path}${partial}`);
  }
  if (code === 'EISDIR') return new PrnrError('RECORDING_NOT_FOUND', `${path} is a directory, not a recording`);
  if (code === 'ENAMETOOLONG') return new PrnrError('RECORDING_NOT_FOUND', `${path.slice(0, 60)}…: the file name is too long`);
  if (code === 'EACCES' || code === 'EPERM') return new PrnrError('RECORDING_NOT_FOUND', `${path}: permission denied`);
  return err as Error;
}

/** Largest recording file readSharedRecording copies into memory (the replay pool's workers share it). */
export const MAX_SHARED_RECORDING_BYTES = 16 * 1024 * MAX_RECORD_BYTES;

/** Reads a whole recording file into shared memory, for workers that replay from it without copies. */
export function readSharedRecording(path: string): Uint8Array {
  const source = FileSource.open(path);
  try {
    if (source.size > MAX_SHARED_RECORDING_BYTES) throw new PrnrError('RECORDING_TOO_LARGE', `${path} is ${source.size} bytes; the limit for shared replay is ${MAX_SHARED_RECORDING_BYTES}`);
    const data = new Uint8Array(new SharedArrayBuffer(source.size));
    for (let at = 0; at < source.size; at += 1 << 26) data.set(source.read(at, 1 << 26), at);
    return data;
  } finally {
    source.close();
  }
}

/** Opens and validates a recording file through its index (a `.partial` file is scanned in recovery mode). */
export function openRecordingFile(path: string, options: Partial<OpenOptions> = {}): { recording: Recording; source: FileSource; recovery: boolean } {
  const source = FileSource.open(path);
  const recovery = path.endsWith(PARTIAL_SUFFIX);
  try {
    return { recording: openRecording(source, { ...nodeOpenOptions, recovery, ...options }), source, recovery };
  } catch (err) {
    source.close();
    throw err;
  }
}
