// How a blob's content is stored (docs/recording-format.md "BLOB"): raw, as
// sparse 64-bit words, or deflated. The blob's hash is always of the content
// itself, so the encoding is a storage choice the reader checks by hashing
// what it decodes. Sparse words is this project's own scheme: a bitmap of the
// non-zero 8-byte words, then those words; it costs a few microseconds a page
// and wins on the pages programs touch sparsely (heaps, stacks, page tables).
// Deflate is injected (node:zlib in Node, a wasm or JS inflater in the
// browser), so this module stays runtime-neutral.
import { PrnrError } from '../errors';

export const BlobEncoding = { raw: 0, sparseWords: 1, deflate: 2 } as const;
export type BlobEncoding = (typeof BlobEncoding)[keyof typeof BlobEncoding];
export const BLOB_ENCODING_NAMES: Record<number, string> = { 0: 'raw', 1: 'sparse words', 2: 'deflate' };

/** Raw deflate (RFC 1951) both ways; `inflate` is given the exact decoded size. */
export interface DeflateCodec {
  deflate(content: Uint8Array): Uint8Array;
  inflate(stored: Uint8Array, size: number): Uint8Array;
}

/** Encodes worth keeping only when they save at least this fraction of the content. */
const MIN_SAVING = 1 / 8;

/**
 * The smallest worthwhile encoding of `content`: sparse words when they save
 * enough, else deflate (if given) when it saves enough, else raw.
 */
export function encodeBlobContent(content: Uint8Array, deflate?: DeflateCodec): { encoding: BlobEncoding; stored: Uint8Array } {
  const limit = content.length * (1 - MIN_SAVING);
  if (content.length % 8 === 0 && content.length > 0) {
    const sparse = encodeSparseWords(content, limit);
    if (sparse) return { encoding: BlobEncoding.sparseWords, stored: sparse };
  }
  if (deflate && content.length >= 256) {
    const packed = deflate.deflate(content);
    if (packed.length <= limit) return { encoding: BlobEncoding.deflate, stored: packed };
  }
  return { encoding: BlobEncoding.raw, stored: content };
}

/** Decodes a stored blob to exactly `size` bytes, or throws RECORDING_CORRUPT naming `where`. */
export function decodeBlobContent(encoding: number, stored: Uint8Array, size: number, where: string, deflate?: DeflateCodec): Uint8Array {
  const bad = (why: string) => new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${where}: ${why}`);
  switch (encoding) {
    case BlobEncoding.raw:
      if (stored.length !== size) throw bad(`holds ${stored.length} bytes where ${size} belong`);
      return stored;
    case BlobEncoding.sparseWords: {
      const out = decodeSparseWords(stored, size);
      if (!out) throw bad(`its sparse-word encoding does not decode to ${size} bytes`);
      return out;
    }
    case BlobEncoding.deflate: {
      if (!deflate) throw new PrnrError('RECORDING_UNSUPPORTED', `${where} is deflated and this host has no inflater`);
      let out: Uint8Array;
      try {
        out = deflate.inflate(stored, size);
      } catch {
        throw bad('its deflate stream is damaged');
      }
      if (out.length !== size) throw bad(`inflates to ${out.length} bytes where ${size} belong`);
      return out;
    }
    default:
      throw bad(`unknown encoding ${encoding}`);
  }
}

/** Bitmap (one bit per u64 word, LSB first) then the non-zero words in order; undefined if longer than `limit` (found as soon as it is). */
function encodeSparseWords(content: Uint8Array, limit: number): Uint8Array | undefined {
  const words = content.length >>> 3;
  const bitmapBytes = (words + 7) >>> 3;
  // Word halves as u32 where the content is aligned (capture buffers and pages are), else through a DataView.
  const halves = content.byteOffset % 4 === 0 ? new Uint32Array(content.buffer, content.byteOffset, words * 2) : undefined;
  const view = halves ? undefined : new DataView(content.buffer, content.byteOffset, content.byteLength);
  const isZero = (i: number) => (halves ? (halves[2 * i] | halves[2 * i + 1]) === 0 : (view!.getUint32(i * 8, true) | view!.getUint32(i * 8 + 4, true)) === 0);
  const maxNonZero = Math.floor((limit - bitmapBytes) / 8);
  let nonZero = 0;
  for (let i = 0; i < words; i++) if (!isZero(i) && ++nonZero > maxNonZero) return undefined;
  const out = new Uint8Array(bitmapBytes + nonZero * 8);
  let at = bitmapBytes;
  for (let i = 0; i < words; i++) {
    if (isZero(i)) continue;
    out[i >>> 3] |= 1 << (i & 7);
    out.set(content.subarray(i * 8, i * 8 + 8), at);
    at += 8;
  }
  return out;
}

function decodeSparseWords(stored: Uint8Array, size: number): Uint8Array | undefined {
  if (size % 8 !== 0) return undefined;
  const words = size >>> 3;
  const bitmapBytes = (words + 7) >>> 3;
  if (stored.length < bitmapBytes) return undefined;
  const out = new Uint8Array(size);
  let at = bitmapBytes;
  for (let i = 0; i < words; i++) {
    if ((stored[i >>> 3] & (1 << (i & 7))) === 0) continue;
    if (at + 8 > stored.length) return undefined;
    out.set(stored.subarray(at, at + 8), i * 8);
    at += 8;
  }
  return at === stored.length ? out : undefined;
}
