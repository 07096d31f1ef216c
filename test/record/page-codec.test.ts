// Blob encodings round-trip exactly, pick the smallest worthwhile form, and
// a damaged stored form is a named error, never wrong content.
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BlobEncoding, decodeBlobContent, encodeBlobContent, type DeflateCodec } from '../../src/shared/recording/page-codec';

const deflate: DeflateCodec = {
  deflate: (c) => zlib.deflateRawSync(c, { level: 1 }),
  inflate: (s, size) => zlib.inflateRawSync(s, { maxOutputLength: size }),
};

function page(fill: (view: DataView, i: number) => void): Uint8Array {
  const p = new Uint8Array(4096);
  const view = new DataView(p.buffer);
  for (let i = 0; i < 512; i++) fill(view, i);
  return p;
}

describe('blob encodings', () => {
  const sparse = page((v, i) => { if (i % 64 === 0) v.setBigUint64(i * 8, BigInt(i + 1) * 0x0101_0101n, true); });
  const text = new Uint8Array(Buffer.from('the quick brown fox jumps over the lazy dog '.repeat(94)).subarray(0, 4096));
  let x = 0x9e3779b9;
  const random = new Uint8Array(4096).map(() => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });

  it('stores a sparsely written page as sparse words, text as deflate, noise raw', () => {
    expect(encodeBlobContent(sparse, deflate).encoding).toBe(BlobEncoding.sparseWords);
    expect(encodeBlobContent(text, deflate).encoding).toBe(BlobEncoding.deflate);
    expect(encodeBlobContent(text).encoding).toBe(BlobEncoding.raw);
    expect(encodeBlobContent(random, deflate).encoding).toBe(BlobEncoding.raw);
    expect(encodeBlobContent(sparse).stored.length).toBe(64 + 8 * 8);
  });

  it('decodes every encoding back to the exact content', () => {
    for (const content of [sparse, text, random, new Uint8Array(4096).fill(7), new Uint8Array(24)]) {
      const { encoding, stored } = encodeBlobContent(content, deflate);
      expect(Buffer.compare(decodeBlobContent(encoding, stored, content.length, 'blob', deflate), content)).toBe(0);
    }
  });

  it('names a damaged stored form', () => {
    const s = encodeBlobContent(sparse).stored;
    expect(() => decodeBlobContent(BlobEncoding.sparseWords, s.subarray(0, s.length - 1), 4096, 'BLOB record at byte 7')).toThrow(/BLOB record at byte 7: its sparse-word encoding/);
    const d = encodeBlobContent(text, deflate).stored.slice();
    d[3] ^= 0xff;
    expect(() => decodeBlobContent(BlobEncoding.deflate, d, 4096, 'b', deflate)).toThrow(expect.objectContaining({ code: 'RECORDING_CORRUPT' }));
    expect(() => decodeBlobContent(BlobEncoding.deflate, d, 4096, 'b')).toThrow(expect.objectContaining({ code: 'RECORDING_UNSUPPORTED' }));
    expect(() => decodeBlobContent(9, d, 4096, 'b')).toThrow(/unknown encoding 9/);
    expect(() => decodeBlobContent(BlobEncoding.raw, random.subarray(0, 100), 4096, 'b')).toThrow(/holds 100 bytes where 4096 belong/);
  });
});
