// Recordings in the browser's origin private file system (docs/design.md 6):
// one directory, `recordings/`, of `.prnr` files (and `.prnr.partial` while
// one is written, or after a tab closed mid-recording). The asynchronous
// OPFS API, which the page and workers both have; the snapshot worker writes
// through a synchronous access handle of its own (snapshot.worker.ts).
import { PrnrError } from '../../shared/errors';
import type { RangeReader } from '../../shared/recording/source';

export const RECORDINGS_DIR = 'recordings';

/** A directory of the origin private file system (created on first use); STORAGE_UNAVAILABLE where the browser has none. */
export async function opfsDir(name: string): Promise<FileSystemDirectoryHandle> {
  const storage = (globalThis.navigator as { storage?: StorageManager } | undefined)?.storage;
  if (!storage?.getDirectory) throw new PrnrError('STORAGE_UNAVAILABLE', 'this browser has no origin private file system to keep recordings in');
  try {
    const root = await storage.getDirectory();
    return await root.getDirectoryHandle(name, { create: true });
  } catch (err) {
    throw new PrnrError('STORAGE_UNAVAILABLE', `cannot open the browser's storage for recordings: ${(err as Error).message}`);
  }
}

/** The recordings directory. */
export const recordingsDir = (): Promise<FileSystemDirectoryHandle> => opfsDir(RECORDINGS_DIR);

/** The names of the files in the recordings directory. */
export async function listRecordingFiles(): Promise<string[]> {
  const dir = await recordingsDir();
  const names: string[] = [];
  // TS's DOM lib types the directory's async iteration only under DOM.AsyncIterable.
  for await (const [name, handle] of dir as unknown as AsyncIterable<[string, FileSystemHandle]>) if (handle.kind === 'file') names.push(name);
  return names.sort();
}

async function storedFile(name: string): Promise<File> {
  const dir = await recordingsDir();
  let handle: FileSystemFileHandle;
  try {
    handle = await dir.getFileHandle(name);
  } catch {
    throw new PrnrError('RECORDING_NOT_FOUND', `the recording file ${name} is no longer in this browser's storage`);
  }
  return handle.getFile();
}

/** A stored file's bytes; RECORDING_NOT_FOUND if it is gone. */
export async function readRecordingFile(name: string): Promise<Uint8Array> {
  return new Uint8Array(await (await storedFile(name)).arrayBuffer());
}

/** A stored file for reading by parts (docs/design.md 6): each read takes only its bytes from storage. */
export async function recordingFileParts(name: string): Promise<RangeReader> {
  return fileParts(await storedFile(name), name);
}

/** An OPFS file as a RangeReader (File.slice). */
export function fileParts(file: File, name: string): RangeReader {
  return {
    size: file.size,
    name,
    async read(offset, length) {
      try {
        return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
      } catch (err) {
        // A File read after the file changed fails (NotReadableError): the recording was replaced or deleted meanwhile.
        throw new PrnrError('RECORDING_NOT_FOUND', `the recording file ${name} changed or went away while it was open: ${(err as Error).message}`);
      }
    },
  };
}

/** Writes a whole file (replacing one of that name); visible only once complete (createWritable writes a swap file). */
export async function writeRecordingFile(name: string, bytes: Uint8Array): Promise<void> {
  const dir = await recordingsDir();
  const handle = await dir.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  try {
    await writable.write(bytes as Uint8Array<ArrayBuffer>);
    await writable.close();
  } catch (err) {
    await writable.abort().catch(() => undefined);
    throw new PrnrError('STORAGE_WRITE_FAILED', `could not store ${name} in this browser: ${(err as Error).message}`);
  }
}

export async function removeRecordingFile(name: string): Promise<void> {
  const dir = await recordingsDir();
  try {
    await dir.removeEntry(name);
  } catch (err) {
    if ((err as DOMException).name !== 'NotFoundError') throw err;
  }
}

/** Renames a file in the recordings directory (FileSystemHandle.move, which TS's lib does not type yet). */
export async function renameRecordingFile(from: string, to: string): Promise<void> {
  const dir = await recordingsDir();
  const handle = (await dir.getFileHandle(from)) as FileSystemFileHandle & { move(name: string): Promise<void> };
  await handle.move(to);
}
