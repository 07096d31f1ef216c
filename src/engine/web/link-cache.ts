// What shared links fetched, kept in OPFS (docs/design.md 6): once a
// recording opened from a prnr server's link is loaded whole (the inspector
// reads the rest of it in idle time after the first frame), its file is
// written to `links/<id>.prnr`, and the link opened again reads it from
// there, by parts, with no request. The engine checks the kept file as any
// other (its digest is the id, or it is dropped and fetched again). At most
// LINK_CACHE_BYTES are kept; the least recently kept files go first.
import type { LinkCache } from '../engine';
import { fileParts, opfsDir } from './opfs';

const LINKS_DIR = 'links';
/** The most bytes of links' files kept. */
export const LINK_CACHE_BYTES = 2 * 2 ** 30;

const fileName = (id: string) => `${id}.prnr`;

async function keptFiles(dir: FileSystemDirectoryHandle): Promise<File[]> {
  const files: File[] = [];
  // TS's DOM lib types the directory's async iteration only under DOM.AsyncIterable.
  for await (const [, handle] of dir as unknown as AsyncIterable<[string, FileSystemHandle]>) if (handle.kind === 'file') files.push(await (handle as FileSystemFileHandle).getFile());
  return files;
}

export const opfsLinkCache: LinkCache = {
  async open(id) {
    try {
      const dir = await opfsDir(LINKS_DIR);
      return fileParts(await (await dir.getFileHandle(fileName(id))).getFile(), `${LINKS_DIR}/${fileName(id)}`);
    } catch {
      // Not kept (or no OPFS): the link is fetched.
      return undefined;
    }
  },
  async keep(id, bytes) {
    if (bytes.length > LINK_CACHE_BYTES) return;
    const dir = await opfsDir(LINKS_DIR);
    // Room first: the least recently kept go.
    const files = (await keptFiles(dir)).filter((f) => f.name !== fileName(id)).sort((a, b) => a.lastModified - b.lastModified);
    let total = files.reduce((sum, f) => sum + f.size, 0) + bytes.length;
    for (const f of files) {
      if (total <= LINK_CACHE_BYTES) break;
      await dir.removeEntry(f.name).catch(() => undefined);
      total -= f.size;
    }
    const writable = await (await dir.getFileHandle(fileName(id), { create: true })).createWritable();
    try {
      await writable.write(bytes as Uint8Array<ArrayBuffer>);
      await writable.close();
    } catch (err) {
      await writable.abort().catch(() => undefined);
      throw err;
    }
  },
  async drop(id) {
    const dir = await opfsDir(LINKS_DIR);
    await dir.removeEntry(fileName(id)).catch(() => undefined);
  },
};
