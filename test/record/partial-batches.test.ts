// PartialSource over a reader that takes several ranges at once (HTTP with
// multipart answers): close ranges joined, many ranges per call within the
// per-call limits, every byte where it belongs.
import { describe, expect, it } from 'vitest';
import { PartialSource, RANGES_PER_READ, type RangeReader } from '../../src/shared/recording/source';

const SIZE = 64 * 2 ** 20;
const byteAt = (i: number) => (i * 2654435761) >>> 24;

function reader(log: { reads: number; calls: Array<ReadonlyArray<readonly [number, number]>> }): RangeReader {
  const bytes = (offset: number, length: number) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = byteAt(offset + i);
    return out;
  };
  return {
    size: SIZE,
    read: async (offset, length) => {
      log.reads++;
      return bytes(offset, length);
    },
    readRanges: async (ranges) => {
      log.calls.push(ranges);
      return ranges.map(([offset, length]) => bytes(offset, length));
    },
  };
}

describe('loading through readRanges', () => {
  it('asks for many ranges per call, at most RANGES_PER_READ, joining those closer than 4 KiB', async () => {
    const log = { reads: 0, calls: [] as Array<Array<readonly [number, number]>> };
    const source = new PartialSource(reader(log));
    // 1000 ranges of 100 bytes 10 KiB apart (not joined), and a pair 1 KiB apart (joined).
    const ranges: Array<[number, number]> = Array.from({ length: 1000 }, (_, i) => [i * 10_240, 100]);
    ranges.push([20_000_000, 100], [20_001_124, 100]);
    await source.load(ranges);
    expect(log.reads).toBe(0);
    expect(log.calls.map((c) => c.length)).toEqual([RANGES_PER_READ, RANGES_PER_READ, 1001 - 2 * RANGES_PER_READ]);
    expect(log.calls.at(-1)!.at(-1)).toEqual([20_000_000, 1224]);
    for (const [offset, length] of ranges) expect(Array.from(source.read(offset, length))).toEqual(Array.from({ length }, (_, i) => byteAt(offset + i)));
    // Loaded already: nothing asked again.
    await source.load(ranges);
    expect(log.calls.length).toBe(3);
  });

  it('cuts a long load into calls of at most 16 MiB, and a lone range is a plain read', async () => {
    const log = { reads: 0, calls: [] as Array<Array<readonly [number, number]>> };
    const source = new PartialSource(reader(log));
    await source.load([[5, 10]]);
    expect([log.reads, log.calls.length]).toEqual([1, 0]);
    await source.load(Array.from({ length: 8 }, (_, i) => [i * 8 * 2 ** 20, 6 * 2 ** 20] as [number, number]));
    expect(log.calls.every((c) => c.reduce((sum, [, length]) => sum + length, 0) <= 16 * 2 ** 20 || c.length === 1)).toBe(true);
    expect(log.calls.length).toBeGreaterThan(2);
  });
});
