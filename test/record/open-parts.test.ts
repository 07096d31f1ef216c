// Reading a recording by parts (docs/design.md 6): a demo recording opened
// through a RangeReader loads its small records only, a snapshot's pages when
// asked, and the same recording as opened whole; recovery and damage are
// decided by the reader on the whole file; HTTP ranges from a server that
// answers them, the whole file from one that does not.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHttpRecording } from '../../src/engine/http-range';
import { createNodeEngine } from '../../src/engine/node/host';
import { nodeReplayWorkers } from '../../src/engine/node/replay-pool';
import { nodeOpenOptions } from '../../src/engine/node/codecs';
import { errorCode, errorMessage } from '../../src/shared/errors';
import { HASH_BYTES } from '../../src/shared/recording/merkle';
import { loadSnapshot, openRecordingByParts } from '../../src/shared/recording/open-parts';
import { manifestAt, openRecording, type Recording } from '../../src/shared/recording/reader';
import { bytesRangeReader, bytesSource, PartialSource, type RangeReader } from '../../src/shared/recording/source';
import { toHex } from '../../src/shared/sha256';

const demo = new Uint8Array(gunzipSync(readFileSync(new URL('../../public/demos/first-tour.prnr.gz', import.meta.url))));
const whole = openRecording(bytesSource(demo), nodeOpenOptions);

/** A reader that counts what it was asked for. */
function counting(data: Uint8Array): RangeReader & { reads: number; bytes: number } {
  const inner = bytesRangeReader(data, 'demo');
  const reader = {
    reads: 0,
    bytes: 0,
    size: inner.size,
    name: inner.name,
    read: (offset: number, length: number) => {
      reader.reads++;
      reader.bytes += length;
      return inner.read(offset, length);
    },
  };
  return reader;
}

function storedHashes(rec: Recording, k: number): Uint8Array[] {
  const { ram, disk } = manifestAt(rec, k);
  const out = [rec.snapshots[k].stateHash];
  for (const units of [ram, disk]) for (let at = 0; at < units.length; at += HASH_BYTES) out.push(units.subarray(at, at + HASH_BYTES));
  return out.filter((h) => rec.hasBlob(h));
}

/** Byte arrays compared as bytes (vitest's deep equality walks them element by element). */
const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => a !== undefined && b !== undefined && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (err: unknown) => err);
}

describe('a partial source', () => {
  it('reads what is loaded, names what is not, and joins what it loads', async () => {
    const data = Uint8Array.from({ length: 300_000 }, (_, i) => i % 251);
    const source = new PartialSource(bytesRangeReader(data));
    expect(() => source.read(10, 5)).toThrow(/not loaded/);
    expect(source.missing).toEqual([[10, 5]]);
    await source.loadMissing();
    expect(same(source.read(10, 5), data.subarray(10, 15))).toBe(true);
    await source.load([[200_000, 10], [200_020, 10]]);
    expect(same(source.read(200_000, 30), data.subarray(200_000, 200_030))).toBe(true);
    expect(source.complete).toBe(false);
    expect(() => source.whole()).toThrow(/not loaded whole/);
    await source.loadAll();
    expect(source.complete).toBe(true);
    expect(same(source.whole(), data)).toBe(true);
    expect(same(source.read(299_990, 100), data.subarray(299_990))).toBe(true);
  });
});

describe('a recording opened by parts', () => {
  it('loads its small records only, and is the recording opened whole', async () => {
    const reader = counting(demo);
    const { rec, source } = await openRecordingByParts(reader, nodeOpenOptions);
    expect(toHex(rec.digest)).toBe(toHex(whole.digest));
    expect(rec.snapshots.map((s) => s.tick)).toEqual(whole.snapshots.map((s) => s.tick));
    expect(rec.slices.map((s) => s.events.length)).toEqual(whole.slices.map((s) => s.events.length));
    // Header, END, index, then every other record in a few reads: a fraction of the file, no blob of a later snapshot.
    expect(reader.reads).toBeLessThan(30);
    expect(source.loadedBytes).toBeLessThan(demo.length / 4);
    const notLoaded = storedHashes(rec, rec.snapshots.length - 1).filter((hash) => {
      try {
        rec.blob(hash);
        return false;
      } catch (err) {
        return errorCode(err) === 'RECORDING_NOT_LOADED';
      }
    });
    expect(notLoaded.length).toBeGreaterThan(100);
  });

  it('loads what a snapshot restore reads, and those blobs are the recording\'s', async () => {
    const { rec, source } = await openRecordingByParts(bytesRangeReader(demo), nodeOpenOptions);
    const k = 7;
    await loadSnapshot(rec, source, k);
    const hashes = storedHashes(rec, k);
    expect(hashes.length).toBeGreaterThan(100);
    expect(hashes.filter((hash) => !same(rec.blob(hash), whole.blob(hash)))).toEqual([]);
    expect(source.complete).toBe(false);
    expect(source.loadedBytes).toBeLessThan(demo.length);
  });

  it('loads a recording without END whole and recovers what the reader recovers', async () => {
    const cut = demo.subarray(0, Math.floor(demo.length * 0.6));
    const expected = openRecording(bytesSource(cut), { ...nodeOpenOptions, recovery: true });
    const { rec, source } = await openRecordingByParts(bytesRangeReader(cut), { ...nodeOpenOptions, recovery: true });
    expect(source.complete).toBe(true);
    expect(toHex(rec.digest)).toBe(toHex(expected.digest));
    expect(rec.snapshots.length).toBe(expected.snapshots.length);
    // Without recovery, the same cut file is refused as the reader refuses it.
    const err = await failure(openRecordingByParts(bytesRangeReader(cut), nodeOpenOptions));
    expect(errorCode(err)).toBe('RECORDING_TRUNCATED');
  });

  it('refuses a damaged file with the reader\'s own error', async () => {
    for (const at of [demo.length - 3, Math.floor(demo.length / 2), 40]) {
      const bad = demo.slice();
      bad[at] ^= 0x40;
      // Opened whole, then every blob read (damage in a blob shows when it is read): what the reader says.
      let expected: unknown;
      try {
        openRecording(bytesSource(bad), nodeOpenOptions).verifyBlobs();
      } catch (err) {
        expected = err;
      }
      const got = await failure(
        openRecordingByParts(bytesRangeReader(bad), nodeOpenOptions).then(async ({ rec, source }) => {
          await source.loadAll();
          rec.verifyBlobs();
        }),
      );
      expect(errorCode(expected)).toMatch(/^RECORDING_(CORRUPT|TAMPERED|TRUNCATED)$/);
      expect(errorMessage(got)).toBe(errorMessage(expected));
    }
  });
});

describe('a recording over HTTP', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      // One range, "a-b" or a suffix "-n" (RFC 9110 14.1.2), as a plain static server answers them.
      const range = /^bytes=(\d*)-(\d+)$/.exec(req.headers.range ?? '');
      if (req.url === '/ranges.prnr' && range) {
        const [from, to] = range[1] === '' ? [Math.max(0, demo.length - Number(range[2])), demo.length - 1] : [Number(range[1]), Math.min(demo.length - 1, Number(range[2]))];
        res.writeHead(206, { 'content-range': `bytes ${from}-${to}/${demo.length}`, 'content-length': to - from + 1 }).end(Buffer.from(demo.subarray(from, to + 1)));
      } else if (req.url === '/ranges.prnr' || req.url === '/whole.prnr') {
        res.writeHead(200, { 'content-length': demo.length }).end(Buffer.from(demo));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reads by ranges where the server answers them', async () => {
    const reader = await openHttpRecording(`${base}/ranges.prnr`);
    expect(reader).not.toBeInstanceOf(Uint8Array);
    const { rec, source } = await openRecordingByParts(reader as RangeReader, nodeOpenOptions);
    expect(toHex(rec.digest)).toBe(toHex(whole.digest));
    expect(source.loadedBytes).toBeLessThan(demo.length / 4);
  });

  it('is sought and verified by the engine as the recording opened whole', async () => {
    const byParts = createNodeEngine({ replayWorkers: nodeReplayWorkers(), replayJobs: 2 });
    const byBytes = createNodeEngine();
    const info = await byParts.openRecording({ url: `${base}/ranges.prnr` });
    expect(info.id).toBe(toHex(whole.digest));
    await byBytes.openRecording({ bytes: demo });
    try {
      for (const tick of [whole.snapshots[9].tick + 123_456n, whole.snapshots[2].tick + 5n]) {
        const [a, b] = await Promise.all([byParts.registersAt(info.id, tick), byBytes.registersAt(info.id, tick)]);
        expect(a.pc).toBe(b.pc);
        expect(a.x).toEqual(b.x);
      }
      // A verify on workers loads the rest and shares it.
      const results = await byParts.verifySlices(info.id, { slices: [3, 10], jobs: 2 });
      expect(results.map((r) => [r.index, r.ok])).toEqual([
        [3, true],
        [10, true],
      ]);
    } finally {
      await byParts.closeRecording(info.id);
      await byBytes.closeRecording(info.id);
    }
  }, 120_000);

  it('takes the whole file from a server without ranges, and says when there is none', async () => {
    const bytes = await openHttpRecording(`${base}/whole.prnr`);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(same(bytes as Uint8Array, demo)).toBe(true);
    expect(errorCode(await failure(openHttpRecording(`${base}/missing.prnr`)))).toBe('RECORDING_NOT_FOUND');
  });
});
