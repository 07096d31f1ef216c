// Over a thousand damaged recordings — truncated, bit-flipped, with swapped
// pages or manifest entries, of other versions, or garbage — are each rejected
// with a PrnrError whose code names the problem: no crash, no hang, no success.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/shared/crc32';
import { errorCode } from '../../src/shared/errors';
import { FILE_HEADER_BYTES, FRAME_OVERHEAD, frame, RecordType } from '../../src/shared/recording/format';
import { open, recordMini } from './helpers';

const CODES = ['RECORDING_TRUNCATED', 'RECORDING_CORRUPT', 'RECORDING_VERSION', 'RECORDING_TAMPERED'];
let bytes: Uint8Array;
let frames: Array<{ at: number; type: number; length: number }>;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function listFrames(data: Uint8Array): Array<{ at: number; type: number; length: number }> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = [];
  for (let at = FILE_HEADER_BYTES; at < data.length; ) {
    const length = view.getUint32(at + 1, true);
    out.push({ at, type: data[at], length });
    at += FRAME_OVERHEAD + length;
  }
  return out;
}

/** Rewrites a frame's CRC after its payload was changed (a deliberate tamper, not a random flip). */
function reseal(data: Uint8Array, frame: { at: number; length: number }): void {
  new DataView(data.buffer, data.byteOffset).setUint32(frame.at + 5 + frame.length, crc32(data.subarray(frame.at, frame.at + 5 + frame.length)), true);
}

function rejects(data: Uint8Array, what: string, recovery = false): string {
  let err: unknown;
  try {
    open(data, { recovery });
  } catch (e) {
    err = e;
  }
  expect(err, `${what} was accepted`).toBeDefined();
  const code = errorCode(err);
  expect(CODES, `${what}: ${String(err)}`).toContain(code);
  expect((err as Error).message).toMatch(/^recording /);
  return code!;
}

beforeAll(async () => {
  bytes = (await recordMini({ sliceTicks: 3_000_000n, commands: ['one', 'two'] })).bytes;
  frames = listFrames(bytes);
});

describe('damaged recordings', () => {
  it('opens the intact recording', () => {
    expect(open(bytes).complete).toBe(true);
  });

  it('rejects 400 truncations, including at every record boundary, as truncated', () => {
    const random = rng(1);
    const cuts = new Set<number>([0, 1, 7, 8, 15, 16, ...frames.map((f) => f.at), ...frames.map((f) => f.at + 3)]);
    while (cuts.size < 400) cuts.add(Math.floor(random() * bytes.length));
    for (const cut of cuts) {
      if (cut >= bytes.length) continue;
      const code = rejects(bytes.subarray(0, cut), `truncation at ${cut}`);
      if (cut >= 8) expect(code, `truncation at ${cut}`).toBe('RECORDING_TRUNCATED');
    }
  });

  it('rejects 500 single-bit flips anywhere in the file', () => {
    const random = rng(2);
    for (let i = 0; i < 500; i++) {
      const at = i < 16 ? i : Math.floor(random() * bytes.length);
      const bit = Math.floor(random() * 8);
      const copy = bytes.slice();
      copy[at] ^= 1 << bit;
      rejects(copy, `bit ${bit} of byte ${at}`);
    }
  });

  it('rejects 100 swaps of two stored pages (checksums resealed) as tampered', () => {
    const pages = frames.filter((f) => f.type === RecordType.blob && f.length === 32 + 4096);
    expect(pages.length).toBeGreaterThan(10);
    const random = rng(3);
    let done = 0;
    while (done < 100) {
      const a = pages[Math.floor(random() * pages.length)];
      const b = pages[Math.floor(random() * pages.length)];
      const copy = bytes.slice();
      const pa = copy.slice(a.at + 5 + 32, a.at + 5 + 32 + 4096);
      const pb = copy.slice(b.at + 5 + 32, b.at + 5 + 32 + 4096);
      if (pa.every((v, k) => v === pb[k])) continue;
      copy.set(pb, a.at + 5 + 32);
      copy.set(pa, b.at + 5 + 32);
      reseal(copy, a);
      reseal(copy, b);
      expect(rejects(copy, `pages swapped at ${a.at} and ${b.at}`)).toBe('RECORDING_TAMPERED');
      done++;
    }
  });

  it('rejects 100 swaps of two page hashes in a snapshot (checksums resealed) as tampered', () => {
    const snaps = frames.filter((f) => f.type === RecordType.snapshot && f.length > 84 + 36 * 2);
    const random = rng(4);
    let done = 0;
    while (done < 100) {
      const s = snaps[Math.floor(random() * snaps.length)];
      const n = Math.floor((s.length - 84) / 36);
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      const copy = bytes.slice();
      const base = s.at + 5 + 84;
      const hi = copy.slice(base + i * 36 + 4, base + i * 36 + 36);
      const hj = copy.slice(base + j * 36 + 4, base + j * 36 + 36);
      if (hi.every((v, k) => v === hj[k])) continue;
      copy.set(hj, base + i * 36 + 4);
      copy.set(hi, base + j * 36 + 4);
      reseal(copy, s);
      expect(rejects(copy, `hashes ${i} and ${j} swapped in the snapshot at ${s.at}`)).toBe('RECORDING_TAMPERED');
      done++;
    }
  });

  it('rejects other format versions by name, in the file header and in the header record', () => {
    for (const version of [0, 2, 3, 7, 255, 0x100, 0xffffffff]) {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32(8, version, true);
      expect(rejects(copy, `file version ${version}`)).toBe('RECORDING_VERSION');
      const header = frames[0];
      const json = Buffer.from(bytes.subarray(header.at + 5, header.at + 5 + header.length)).toString('utf8');
      const changed = frame(RecordType.header, new Uint8Array(Buffer.from(json.replace('"version":1', `"version":${version}`), 'utf8')));
      const copy2 = Buffer.concat([bytes.subarray(0, header.at), changed, bytes.subarray(header.at + FRAME_OVERHEAD + header.length)]);
      expect(rejects(copy2, `header version ${version}`)).toBe('RECORDING_VERSION');
    }
  });

  it('rejects garbage, empty files and other files', () => {
    const random = rng(5);
    rejects(new Uint8Array(0), 'an empty file');
    rejects(new TextEncoder().encode('{"not": "a recording"}'), 'a JSON file');
    for (let i = 0; i < 20; i++) {
      const junk = new Uint8Array(Math.floor(random() * 5000));
      for (let k = 0; k < junk.length; k++) junk[k] = Math.floor(random() * 256);
      if (i % 2 === 0) junk.set(bytes.subarray(0, Math.min(16, junk.length)));
      rejects(junk, `garbage #${i}`);
      rejects(junk, `garbage #${i} as a partial file`, true);
    }
  });

  it('recovers a truncated recording as a .partial file up to its last complete snapshot, or rejects it clearly', () => {
    const random = rng(6);
    let recovered = 0;
    for (let i = 0; i < 50; i++) {
      const cut = Math.floor(random() * bytes.length);
      try {
        const rec = open(bytes.subarray(0, cut), { recovery: true });
        expect(rec.usedBytes).toBeLessThanOrEqual(cut);
        expect(rec.slices.length).toBe(rec.snapshots.length - 1);
        recovered++;
      } catch (err) {
        expect(errorCode(err)).toBe('RECORDING_TRUNCATED');
      }
    }
    expect(recovered).toBeGreaterThan(25);
  });
});

describe('prnr info on damaged files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-mutation-'));
  const bin = fileURLToPath(new URL('../../bin/prnr.js', import.meta.url));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one plain line naming the problem, exits 1 and writes nothing', async () => {
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['cut.prnr', bytes.subarray(0, bytes.length - 100), /truncated/],
      ['flipped.prnr', (() => { const c = bytes.slice(); c[frames[3].at + 20] ^= 4; return c; })(), /corrupt: .*checksum/],
      ['v9.prnr', (() => { const c = bytes.slice(); c[8] = 9; return c; })(), /version 9/],
    ];
    for (const [name, data, message] of cases) {
      writeFileSync(join(dir, name), data);
      const result = await promisify(execFile)(process.execPath, [bin, 'info', join(dir, name)], { env: { ...process.env, PRNR_DEBUG: '' } }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect(readdirSync(dir).sort()).toEqual(cases.map(([n]) => n).sort());
  });
});
