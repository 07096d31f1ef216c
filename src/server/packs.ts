// Content-addressed pack files (docs/design.md 6). An upload's pieces that
// the store does not hold yet are written, in one go, to a temporary file
// under tmp/, fsynced, renamed to packs/<sha256 of the pack>.pack and the
// directory fsynced; only then does the database name them. A pack is never
// changed after that. After a crash, tmp/ is emptied and a pack no database
// row names (renamed, but its transaction never committed) is removed.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { PrnrError } from '../shared/errors';

const PACK_NAME = /^[0-9a-f]{64}\.pack$/;

/** A piece to copy into a pack: `length` bytes at `offset` of the file open as `fd`. */
export interface PieceCopy {
  fd: number;
  offset: number;
  length: number;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class PackStore {
  readonly packsDir: string;
  readonly tmpDir: string;
  /** Open packs for reading, most recently used last. */
  private readonly handles = new Map<string, Promise<FileHandle>>();
  private static readonly MAX_OPEN = 64;

  constructor(dataDir: string) {
    this.packsDir = join(dataDir, 'packs');
    this.tmpDir = join(dataDir, 'tmp');
    mkdirSync(this.packsDir, { recursive: true });
    mkdirSync(this.tmpDir, { recursive: true });
  }

  /** A fresh path under tmp/ (nothing there survives a restart). */
  tmpPath(what: string): string {
    return join(this.tmpDir, `${what}-${randomBytes(12).toString('hex')}`);
  }

  /**
   * Copies the pieces, in order, into one new pack, durably (module comment); returns its name and
   * each piece's offset in it. The pack's name is the sha256 of its bytes.
   */
  writePack(pieces: readonly PieceCopy[]): { name: string; bytes: number; at: number[] } {
    const tmp = this.tmpPath('pack');
    const fd = openSync(tmp, 'wx');
    const hash = createHash('sha256');
    const at: number[] = [];
    let bytes = 0;
    const buffer = Buffer.allocUnsafe(1 << 20);
    try {
      for (const piece of pieces) {
        at.push(bytes);
        for (let done = 0; done < piece.length; ) {
          const n = readSync(piece.fd, buffer, 0, Math.min(buffer.length, piece.length - done), piece.offset + done);
          if (n === 0) throw new PrnrError('SERVER_STORE', 'the upload ended while it was being stored');
          const chunk = buffer.subarray(0, n);
          hash.update(chunk);
          for (let w = 0; w < n; ) w += writeSync(fd, chunk, w, n - w);
          done += n;
        }
        bytes += piece.length;
      }
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw err;
    }
    closeSync(fd);
    const name = `${hash.digest('hex')}.pack`;
    const path = join(this.packsDir, name);
    if (existsSync(path)) rmSync(tmp);
    else renameSync(tmp, path);
    fsyncDir(this.packsDir);
    return { name, bytes, at };
  }

  /** `length` bytes at `at` of pack `name` (a name the database gave: checked, so it never leaves packs/). */
  async read(name: string, at: number, length: number): Promise<Buffer> {
    const handle = await this.handle(name);
    const out = Buffer.allocUnsafe(length);
    for (let done = 0; done < length; ) {
      const { bytesRead } = await handle.read(out, done, length - done, at + done);
      if (bytesRead === 0) throw new PrnrError('SERVER_STORE', `pack ${name} is shorter than the database says`);
      done += bytesRead;
    }
    return out;
  }

  private handle(name: string): Promise<FileHandle> {
    if (!PACK_NAME.test(name)) throw new PrnrError('SERVER_STORE', `not a pack name: ${JSON.stringify(name)}`);
    let handle = this.handles.get(name);
    if (handle) {
      this.handles.delete(name);
    } else {
      handle = open(join(this.packsDir, name), 'r');
      handle.catch(() => this.handles.delete(name));
      if (this.handles.size >= PackStore.MAX_OPEN) {
        const [oldest, old] = this.handles.entries().next().value!;
        this.handles.delete(oldest);
        // Reads in flight on it finish first: a FileHandle closes once its pending operations end.
        void old.then((h) => h.close()).catch(() => undefined);
      }
    }
    this.handles.set(name, handle);
    return handle;
  }

  /** After a crash: empties tmp/ and removes every pack not in `referenced`; returns what it removed. */
  recover(referenced: ReadonlySet<string>): string[] {
    const removed: string[] = [];
    for (const name of readdirSync(this.tmpDir)) {
      rmSync(join(this.tmpDir, name), { force: true, recursive: true });
      removed.push(join('tmp', name));
    }
    for (const name of readdirSync(this.packsDir)) {
      if (referenced.has(name)) continue;
      rmSync(join(this.packsDir, name), { force: true, recursive: true });
      removed.push(join('packs', name));
    }
    if (removed.length > 0) fsyncDir(this.packsDir);
    return removed;
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((h) => h.then((f) => f.close()).catch(() => undefined)));
  }
}
