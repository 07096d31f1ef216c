// Decoded blobs kept in memory for one open recording (docs/design.md 4,
// Seek). Restoring a snapshot writes every page that differs from what the
// machine holds, and reading a page from the recording costs its frame's
// CRC, its decoding and its SHA-256 (tens of microseconds each, thousands
// per far restore); a page's content never changes (it is named by its
// hash), so once read and checked it is kept, least recently used dropped
// beyond a byte budget. `warm` reads every stored blob ahead of need, in
// steps the caller schedules, so the first seek to a far snapshot costs what
// a later one does.
import { hashKey } from '../../shared/recording/blob-table';
import { PAGE_BYTES } from '../../shared/recording/format';
import { HASH_BYTES } from '../../shared/recording/merkle';
import type { BlobKind, Recording } from '../../shared/recording/reader';

/** Bytes of decoded content a cache keeps by default: every page of a 64 MiB-content recording. */
export const DEFAULT_BLOB_CACHE_BYTES = 64 * 1024 * 1024;

export interface BlobCache {
  /** The recording, its blob() served from the cache. */
  readonly rec: Recording;
  /** Reads (and checks) up to `count` more blobs not read yet; false once every blob of the recording has been read. */
  warm(count: number): boolean;
  /** True once warm() has read, and so checked, every stored blob. */
  readonly warmed: boolean;
  readonly bytes: number;
}

/** `rec` with a cache of decoded blobs in front of its blob(). */
export function withBlobCache(rec: Recording, maxBytes = DEFAULT_BLOB_CACHE_BYTES): BlobCache {
  const kept = new Map<string, Uint8Array>();
  let bytes = 0;
  let warmed = false;
  const blob = (hash: Uint8Array, kind?: BlobKind): Uint8Array | undefined => {
    const key = hashKey(hash);
    const hit = kept.get(key);
    // A page must be 4 KiB: a hash kept as another kind's content is read again, so the reader names the fault.
    if (hit && !(kind === 'page' && hit.length !== PAGE_BYTES)) {
      // Most recently used last; once every blob is kept within the budget none is dropped, and the order does not matter.
      if (!(warmed && bytes <= maxBytes)) {
        kept.delete(key);
        kept.set(key, hit);
      }
      return hit;
    }
    const content = rec.blob(hash, kind);
    if (!content || content.length > maxBytes) return content;
    kept.set(key, content);
    bytes += content.length;
    for (const [old, value] of kept) {
      if (bytes <= maxBytes) break;
      kept.delete(old);
      bytes -= value.length;
    }
    return content;
  };
  // Every stored blob a snapshot names (state blobs, changed pages and blocks), in snapshot order: the order seeks reach them.
  const pending = function* (): Generator<[Uint8Array, BlobKind]> {
    for (const s of rec.snapshots) {
      yield [s.stateHash, 'state'];
      for (const hashes of [s.ramHashes, s.diskHashes]) {
        for (let at = 0; at < hashes.length; at += HASH_BYTES) yield [hashes.subarray(at, at + HASH_BYTES), 'page'];
      }
    }
  };
  const walk = pending();
  const seen = new Set<string>();
  const cached: Recording = { ...rec, blob };
  return {
    rec: cached,
    warm(count) {
      while (!warmed && count > 0) {
        const next = walk.next();
        if (next.done) {
          warmed = true;
          break;
        }
        const [hash, kind] = next.value;
        const key = hashKey(hash);
        if (seen.has(key)) continue;
        seen.add(key);
        // hasBlob is true for the zero page too, which is not stored: blob() makes it without a read.
        if (!rec.hasBlob(hash)) continue;
        blob(hash, kind);
        count--;
      }
      return !warmed;
    },
    get warmed() {
      return warmed;
    },
    get bytes() {
      return bytes;
    },
  };
}
