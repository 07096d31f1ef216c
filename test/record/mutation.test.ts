// Over ten thousand damaged and forged recordings — truncated, bit-flipped,
// overwritten, with damaged length fields, of other versions, garbage, and
// deliberate forgeries whose checksums were recomputed (edited output or
// header, splices, dropped or reordered records, a cut with a new END, blobs
// of the wrong size) — are each rejected with a PrnrError whose code and
// message name the problem: no crash, no hang, no success. "Rejected" means
// what `prnr verify` does: open the file, then read every blob.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519Signer, nodeDeflate } from '../../src/engine/node/codecs';
import { nodeSha256 } from '../../src/engine/node/hash';
import { runSession } from '../../src/engine/record/session';
import { MemorySink } from '../../src/engine/record/writer';
import { crc32 } from '../../src/shared/crc32';
import { errorCode } from '../../src/shared/errors';
import { ChainBuilder, chainSeed } from '../../src/shared/recording/chain';
import {
  BLOB_HEAD_BYTES,
  decodeEnd,
  encodeEnd,
  END_FRAME_BYTES,
  FILE_HEADER_BYTES,
  FRAME_OVERHEAD,
  frame,
  RecordType,
  signedEndBytes,
} from '../../src/shared/recording/format';
import { ByteReader } from '../../src/shared/recording/bytes';
import { HASH_BYTES, MerkleTree, stateRoot } from '../../src/shared/recording/merkle';
import { applyChanges, manifestAt } from '../../src/shared/recording/reader';
import { MINI_COMMANDS, miniRecorder, open, recordMini } from './helpers';
import { MINI_PROMPT } from './mini-guest';

const CODES = ['RECORDING_TRUNCATED', 'RECORDING_CORRUPT', 'RECORDING_VERSION', 'RECORDING_TAMPERED'];
interface Frame {
  at: number;
  type: number;
  length: number;
}
let bytes: Uint8Array;
let other: Uint8Array;
let frames: Frame[];
let total = 0;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function listFrames(data: Uint8Array): Frame[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = [];
  for (let at = FILE_HEADER_BYTES; at < data.length; ) {
    const length = view.getUint32(at + 1, true);
    out.push({ at, type: data[at], length });
    at += FRAME_OVERHEAD + length;
  }
  return out;
}

/** Rewrites a frame's CRC after its payload was changed (a deliberate forgery, not a random flip). */
function reseal(data: Uint8Array, f: { at: number; length: number }): void {
  new DataView(data.buffer, data.byteOffset).setUint32(f.at + 5 + f.length, crc32(data.subarray(f.at, f.at + 5 + f.length)), true);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** Opens and reads every blob; returns the error's code (and checks it is a named recording error). */
function rejects(data: Uint8Array, what: string, recovery = false): string {
  total++;
  let err: unknown;
  try {
    open(data, { recovery }).verifyBlobs();
  } catch (e) {
    err = e;
  }
  expect(err, `${what} was accepted`).toBeDefined();
  const code = errorCode(err);
  expect(CODES, `${what}: ${String(err)}`).toContain(code);
  expect((err as Error).message).toMatch(/^recording /);
  return code!;
}

function message(data: Uint8Array): string {
  try {
    open(data).verifyBlobs();
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
}

/** A new END for `data` cut after its frame `last` (a SNAPSHOT), as a forger without the chain would write it. */
function newEnd(data: Uint8Array, cutFrames: Frame[], chain: Uint8Array, indexOffset: number): Uint8Array {
  const snaps = cutFrames.filter((f) => f.type === RecordType.snapshot);
  const last = snaps[snaps.length - 1];
  const tick = new DataView(data.buffer, data.byteOffset).getBigUint64(last.at + 5 + 4, true);
  return frame(RecordType.end, encodeEnd({ snapshotCount: snaps.length, endTick: tick, reason: 0, powerOffCode: 0, chain, indexOffset }));
}

beforeAll(async () => {
  bytes = (await recordMini({ sliceTicks: 3_000_000n, commands: ['one', 'two'] })).bytes;
  other = (await recordMini({ sliceTicks: 3_000_000n, commands: ['three', 'four'] })).bytes;
  frames = listFrames(bytes);
});

afterAll(() => {
  // The issue asks for at least 10,000 damaged bundles; this counts them.
  expect(total).toBeGreaterThanOrEqual(10_000);
});

describe('damaged recordings', () => {
  it('opens the intact recording and reads every blob', () => {
    const rec = open(bytes);
    expect(rec.complete).toBe(true);
    rec.verifyBlobs();
    expect(rec.digest).toHaveLength(32);
  });

  it('rejects 2,000 truncations, including at every record boundary, as truncated', () => {
    const random = rng(1);
    const cuts = new Set<number>([0, 1, 7, 8, 15, 16, ...frames.map((f) => f.at), ...frames.map((f) => f.at + 3)]);
    while (cuts.size < 2000) cuts.add(Math.floor(random() * bytes.length));
    for (const cut of cuts) {
      if (cut >= bytes.length) continue;
      const code = rejects(bytes.subarray(0, cut), `truncation at ${cut}`);
      if (cut >= 8) expect(code, `truncation at ${cut}`).toBe('RECORDING_TRUNCATED');
    }
  });

  it('rejects 4,000 single-bit flips anywhere in the file', () => {
    const random = rng(2);
    for (let i = 0; i < 4000; i++) {
      const at = i < 16 ? i : Math.floor(random() * bytes.length);
      const bit = Math.floor(random() * 8);
      const copy = bytes.slice();
      copy[at] ^= 1 << bit;
      rejects(copy, `bit ${bit} of byte ${at}`);
    }
  });

  it('rejects 1,000 random overwrites of 1 to 64 bytes', () => {
    const random = rng(7);
    for (let i = 0; i < 1000; i++) {
      const copy = bytes.slice();
      const at = Math.floor(random() * bytes.length);
      const n = 1 + Math.floor(random() * 64);
      let changed = false;
      for (let k = at; k < Math.min(copy.length, at + n); k++) {
        const b = Math.floor(random() * 256);
        changed ||= b !== copy[k];
        copy[k] = b;
      }
      if (changed) rejects(copy, `overwrite of ${n} bytes at ${at}`);
    }
  });

  it('rejects 1,000 damaged length fields as corrupt, not as truncated', () => {
    const random = rng(8);
    const body = frames.filter((f) => f.type !== RecordType.end);
    for (let i = 0; i < 1000; i++) {
      const f = body[Math.floor(random() * body.length)];
      const copy = bytes.slice();
      const view = new DataView(copy.buffer);
      const delta = 1 + Math.floor(random() * 100_000);
      view.setUint32(f.at + 1, random() < 0.5 ? f.length + delta : Math.max(0, f.length - delta), true);
      if (view.getUint32(f.at + 1, true) === f.length) continue;
      expect(rejects(copy, `length of the record at ${f.at}`), `length of the ${f.type} record at ${f.at}: ${message(copy)}`).toBe('RECORDING_CORRUPT');
    }
  });

  it('rejects 500 swaps of two stored blobs of one size (checksums resealed), naming the blob', () => {
    const random = rng(3);
    const blobs = frames.filter((f) => f.type === RecordType.blob);
    const bySize = new Map<number, Frame[]>();
    for (const b of blobs) bySize.set(b.length, [...(bySize.get(b.length) ?? []), b]);
    const groups = [...bySize.values()].filter((g) => g.length > 1);
    expect(groups.length).toBeGreaterThan(0);
    let done = 0;
    while (done < 500) {
      const g = groups[Math.floor(random() * groups.length)];
      const a = g[Math.floor(random() * g.length)];
      const b = g[Math.floor(random() * g.length)];
      if (a === b) continue;
      const copy = bytes.slice();
      const from = (f: Frame) => f.at + 5 + BLOB_HEAD_BYTES;
      const pa = copy.slice(from(a), from(a) + a.length - BLOB_HEAD_BYTES);
      const pb = copy.slice(from(b), from(b) + b.length - BLOB_HEAD_BYTES);
      if (Buffer.compare(pa, pb) === 0) continue;
      copy.set(pb, from(a));
      copy.set(pa, from(b));
      reseal(copy, a);
      reseal(copy, b);
      // Content that decodes is caught by its hash (tampered); content that does not decode in its encoding is corrupt.
      expect(['RECORDING_TAMPERED', 'RECORDING_CORRUPT']).toContain(rejects(copy, `blobs swapped at ${a.at} and ${b.at}`));
      expect(message(copy)).toMatch(new RegExp(`BLOB record at byte (${a.at}|${b.at})`));
      done++;
    }
  });

  it('rejects 500 swaps of two page hashes in a snapshot (checksums resealed) as tampered', () => {
    const headBytes = 4 + 8 + 3 * HASH_BYTES + 8;
    const snaps = frames.filter((f) => f.type === RecordType.snapshot && f.length > headBytes + 36 * 2);
    const random = rng(4);
    let done = 0;
    while (done < 500) {
      const s = snaps[Math.floor(random() * snaps.length)];
      const n = Math.floor((s.length - headBytes) / 36);
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      const copy = bytes.slice();
      const base = s.at + 5 + headBytes;
      const hi = copy.slice(base + i * 36 + 4, base + i * 36 + 36);
      const hj = copy.slice(base + j * 36 + 4, base + j * 36 + 36);
      if (Buffer.compare(hi, hj) === 0) continue;
      copy.set(hj, base + i * 36 + 4);
      copy.set(hi, base + j * 36 + 4);
      reseal(copy, s);
      expect(rejects(copy, `hashes ${i} and ${j} swapped in the snapshot at ${s.at}`)).toBe('RECORDING_TAMPERED');
      done++;
    }
  });

  it('rejects other format versions by name, in the file header and in the header record', () => {
    for (const version of [0, 1, 3, 7, 255, 0x100, 0xffffffff]) {
      const copy = bytes.slice();
      new DataView(copy.buffer).setUint32(8, version, true);
      expect(rejects(copy, `file version ${version}`)).toBe('RECORDING_VERSION');
      expect(message(copy)).toContain(`version ${version}`);
    }
    const header = frames[0];
    const json = Buffer.from(bytes.subarray(header.at + 5, header.at + 5 + header.length)).toString('utf8');
    const changed = frame(RecordType.header, new Uint8Array(Buffer.from(json.replace('"version":2', '"version":9'), 'utf8')));
    const copy = concat(bytes.subarray(0, header.at), changed, bytes.subarray(header.at + FRAME_OVERHEAD + header.length));
    expect(['RECORDING_VERSION', 'RECORDING_CORRUPT', 'RECORDING_TAMPERED']).toContain(rejects(copy, 'header version 9'));
  });

  it('rejects garbage, empty files and other files', () => {
    const random = rng(5);
    rejects(new Uint8Array(0), 'an empty file');
    rejects(new TextEncoder().encode('{"not": "a recording"}'), 'a JSON file');
    for (let i = 0; i < 200; i++) {
      const junk = new Uint8Array(Math.floor(random() * 5000));
      for (let k = 0; k < junk.length; k++) junk[k] = Math.floor(random() * 256);
      if (i % 2 === 0) junk.set(bytes.subarray(0, Math.min(16, junk.length)));
      rejects(junk, `garbage #${i}`);
      rejects(junk, `garbage #${i} as a partial file`, true);
    }
  });

  it('recovers every cut after snapshot 0 as a .partial file up to its last complete snapshot, and rejects earlier cuts as truncated', () => {
    const random = rng(6);
    const firstSnapshotEnd = (() => {
      const f = frames.find((x) => x.type === RecordType.snapshot)!;
      return f.at + FRAME_OVERHEAD + f.length;
    })();
    let recovered = 0;
    for (let i = 0; i < 300; i++) {
      const cut = Math.floor(random() * bytes.length);
      total++;
      if (cut < firstSnapshotEnd) {
        expect(errorCode((() => { try { open(bytes.subarray(0, cut), { recovery: true }); } catch (e) { return e; } })())).toBe('RECORDING_TRUNCATED');
        continue;
      }
      const rec = open(bytes.subarray(0, cut), { recovery: true });
      rec.verifyBlobs();
      expect(rec.usedBytes).toBeLessThanOrEqual(cut);
      expect(rec.slices.length).toBe(rec.snapshots.length - 1);
      recovered++;
    }
    expect(recovered).toBeGreaterThan(50);
  });
});

describe('forgeries with every checksum recomputed', () => {
  it('edited console output (1,000 edits) is named as tampered, with the slice it is in', () => {
    const outputs = frames.filter((f) => f.type === RecordType.output);
    expect(outputs.length).toBeGreaterThan(0);
    const random = rng(9);
    for (let i = 0; i < 1000; i++) {
      const f = outputs[Math.floor(random() * outputs.length)];
      const copy = bytes.slice();
      const at = f.at + 5 + Math.floor(random() * f.length);
      copy[at] ^= 1 + Math.floor(random() * 255);
      reseal(copy, f);
      const code = rejects(copy, `output edited at ${at}`);
      if (code === 'RECORDING_TAMPERED') expect(message(copy)).toMatch(/records of slice \d+ .* integrity chain/);
    }
  });

  it('an edited header (the commands) is rejected and named', () => {
    const header = frames[0];
    const json = Buffer.from(bytes.subarray(header.at + 5, header.at + 5 + header.length)).toString('utf8');
    // Same length, so every offset stays: only the chain can tell.
    const forged = json.replace('"one"', '"ONE"');
    expect(forged).not.toBe(json);
    const copy = bytes.slice();
    copy.set(Buffer.from(forged, 'utf8'), header.at + 5);
    reseal(copy, header);
    expect(rejects(copy, 'edited header')).toBe('RECORDING_TAMPERED');
    expect(message(copy)).toMatch(/header and snapshot 0/);
  });

  it('a splice of two recordings, a dropped slice and reordered records are rejected', () => {
    const otherFrames = listFrames(other);
    const snapsA = frames.filter((f) => f.type === RecordType.snapshot);
    const snapsB = otherFrames.filter((f) => f.type === RecordType.snapshot);
    const cases: Array<[string, Uint8Array]> = [];
    for (let k = 1; k < Math.min(snapsA.length, snapsB.length) - 1; k++) {
      const endA = snapsA[k].at + FRAME_OVERHEAD + snapsA[k].length;
      const endB = snapsB[k].at + FRAME_OVERHEAD + snapsB[k].length;
      cases.push([`splice at snapshot ${k}`, concat(bytes.subarray(0, endA), other.subarray(endB))]);
      // Drop slice k: everything after snapshot k-1 up to and with snapshot k.
      const prevEnd = snapsA[k - 1].at + FRAME_OVERHEAD + snapsA[k - 1].length;
      cases.push([`slice ${k} dropped`, concat(bytes.subarray(0, prevEnd), bytes.subarray(endA))]);
    }
    const body = frames.filter((f) => f.type !== RecordType.end && f.type !== RecordType.index);
    const random = rng(10);
    for (let i = 0; i < 200; i++) {
      const j = 1 + Math.floor(random() * (body.length - 2));
      const a = body[j];
      const b = body[j + 1];
      const aBytes = bytes.subarray(a.at, a.at + FRAME_OVERHEAD + a.length);
      const bBytes = bytes.subarray(b.at, b.at + FRAME_OVERHEAD + b.length);
      if (Buffer.compare(aBytes, bBytes) === 0) continue;
      cases.push([`records at ${a.at} and ${b.at} swapped`, concat(bytes.subarray(0, a.at), bBytes, aBytes, bytes.subarray(b.at + FRAME_OVERHEAD + b.length))]);
    }
    expect(cases.length).toBeGreaterThan(100);
    for (const [what, data] of cases) rejects(data, what);
  });

  it('a cut with a new END (500 forgeries) is rejected: the chain it seals does not match', () => {
    const random = rng(11);
    const snaps = frames.filter((f) => f.type === RecordType.snapshot);
    const endRecord = decodeEnd(new ByteReader(bytes.subarray(bytes.length - END_FRAME_BYTES + 5, bytes.length - 4), 'END'));
    for (let i = 0; i < 500; i++) {
      const s = snaps[Math.floor(random() * (snaps.length - 1))];
      const cutAt = s.at + FRAME_OVERHEAD + s.length;
      const cutFrames = listFrames(bytes.subarray(0, cutAt));
      // The forger reuses the real seal, or the chain stored in the last snapshot, or junk; the index points at the old one.
      const choice = i % 3;
      const chain = choice === 0 ? endRecord.chain : choice === 1 ? bytes.slice(s.at + 5 + 44 + HASH_BYTES, s.at + 5 + 44 + 2 * HASH_BYTES) : new Uint8Array(32).fill(i & 0xff);
      const forged = concat(bytes.subarray(0, cutAt), newEnd(bytes, cutFrames, chain, Math.max(FILE_HEADER_BYTES, cutAt - FRAME_OVERHEAD - s.length)));
      rejects(forged, `cut after the snapshot at ${s.at} with a new END`);
    }
  });

  it('a blob of the wrong size (its size field or its content replaced) is rejected before it is used', () => {
    const random = rng(12);
    const blobs = frames.filter((f) => f.type === RecordType.blob);
    for (let i = 0; i < 300; i++) {
      const f = blobs[Math.floor(random() * blobs.length)];
      const copy = bytes.slice();
      const view = new DataView(copy.buffer);
      const sizeAt = f.at + 5 + HASH_BYTES + 1;
      view.setUint32(sizeAt, Math.max(1, view.getUint32(sizeAt, true) + (random() < 0.5 ? -1 : 1) * (1 + Math.floor(random() * 4000))), true);
      reseal(copy, f);
      expect(['RECORDING_TAMPERED', 'RECORDING_CORRUPT']).toContain(rejects(copy, `size of the blob at ${f.at}`));
    }
    // As a page, a blob must hold 4 KiB: reading the state blob as a page is refused by size.
    const rec = open(bytes);
    const state = rec.snapshots[1].stateHash;
    expect(() => rec.blob(state, 'page')).toThrow(/used as a 4 KiB page/);
  });

  it('verify finds a page whose content is a state blob, state roots and chain recomputed, and counts the bytes it checked', () => {
    const rec = open(bytes);
    const exact = rec.verifyBlobs();
    expect(rec.blobBytes()).toEqual(exact);
    expect(exact.content).toBeGreaterThan(exact.stored);
    // The forger names snapshot 1's state blob (of its own, real content) as the content of a RAM page of a later snapshot.
    const snaps = listFrames(bytes).filter((f) => f.type === RecordType.snapshot);
    const k = rec.snapshots.findLastIndex((s) => s.index > 1 && s.ramPages.length > 0);
    const forged = bytes.slice();
    const { ram, disk } = manifestAt(rec, k);
    const stateHash = rec.snapshots[1].stateHash;
    const pageEntry = snaps[k].at + 5 + 4 + 8 + 3 * HASH_BYTES + 8;
    forged.set(stateHash, pageEntry + 4);
    ram.set(stateHash, rec.snapshots[k].ramPages[0] * HASH_BYTES);
    for (let j = k; j < rec.snapshots.length; j++) {
      if (j > k) applyChanges(rec.snapshots[j], ram, disk);
      const trees = [new MerkleTree(nodeSha256, rec.header.machine.ramPages), new MerkleTree(nodeSha256, rec.header.machine.diskBlocks)];
      trees[0].setAll(ram);
      trees[1].setAll(disk);
      forged.set(stateRoot(nodeSha256, rec.snapshots[j].stateHash, trees[0].root(), trees[1].root()), snaps[j].at + 5 + 4 + 8);
      reseal(forged, snaps[j]);
    }
    const rechained = rechain(forged);
    const reopened = open(rechained);
    expect(() => reopened.verifyBlobs()).toThrow(new RegExp(`snapshot ${k} gives RAM page ${rec.snapshots[k].ramPages[0]} the content of a \\d+-byte state blob, not 4 KiB`));
  });

  it('a forger who recomputes the whole chain changes the digest, and cannot keep a signature', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const sink = new MemorySink();
    const recorder = await miniRecorder({ sink, writer: { deflate: nodeDeflate, sign: ed25519Signer(pem) } }, { sliceTicks: 3_000_000n, commands: ['one', 'two'] });
    runSession(recorder, { prompt: MINI_PROMPT, commands: MINI_COMMANDS.slice(0, 0).concat(['one', 'two']) });
    const signed = sink.bytes();
    const rec = open(signed);
    expect(rec.signature).toBe('valid');
    const signedFrames = listFrames(signed);
    // Edit the output and recompute everything a forger can: CRCs, every chain head, END's seal.
    const out = signedFrames.find((f) => f.type === RecordType.output)!;
    const forged = signed.slice();
    forged[out.at + 5 + out.length - 1] ^= 0x20;
    reseal(forged, out);
    const rechained = rechain(forged);
    const endAt = rechained.length - END_FRAME_BYTES;
    const end = decodeEnd(new ByteReader(rechained.subarray(endAt + 5, rechained.length - 4), 'END'));
    // Keeping the old signature fails; dropping it leaves an unsigned recording with another digest.
    expect(rejects(rechained, 'rechained, old signature')).toBe('RECORDING_TAMPERED');
    expect(message(rechained)).toMatch(/signature does not match/);
    const unsigned = concat(rechained.subarray(0, endAt), frame(RecordType.end, encodeEnd({ ...end, signature: undefined })));
    const reopened = open(unsigned);
    expect(reopened.signature).toBeUndefined();
    expect(Buffer.compare(reopened.digest, rec.digest)).not.toBe(0);
    expect(signedEndBytes(end)).toBeDefined();
  });
});

/** Recomputes every chain head (snapshots and END) of `data` as a forger would; keeps END's signature as it was. */
function rechain(data: Uint8Array): Uint8Array {
  const out = data.slice();
  const fs = listFrames(out);
  const chain = new ChainBuilder(nodeSha256, chainSeed(nodeSha256, out.subarray(0, FILE_HEADER_BYTES)));
  for (const f of fs) {
    const payload = out.subarray(f.at + 5, f.at + 5 + f.length);
    if (f.type === RecordType.snapshot) {
      payload.set(chain.seal(), 4 + 8 + 2 * HASH_BYTES);
      reseal(out, f);
    }
    if (f.type === RecordType.end) {
      payload.set(chain.seal(), 4 + 8 + 1 + 4);
      reseal(out, f);
      break;
    }
    if (f.type === RecordType.blob) chain.add(f.type, f.length, payload.subarray(0, HASH_BYTES));
    else chain.addPayload(f.type, payload);
  }
  return out;
}

describe('prnr info on damaged files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prnr-mutation-'));
  const bin = fileURLToPath(new URL('../../bin/prnr.js', import.meta.url));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one plain line naming the problem, exits 1 and writes nothing', async () => {
    const snapshot = frames.filter((f) => f.type === RecordType.snapshot)[1];
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['cut.prnr', bytes.subarray(0, bytes.length - 100), /truncated/],
      ['flipped.prnr', (() => { const c = bytes.slice(); c[snapshot.at + 20] ^= 4; return c; })(), /corrupt: .*checksum/],
      ['v9.prnr', (() => { const c = bytes.slice(); c[8] = 9; return c; })(), /version 9/],
    ];
    for (const [name, data, pattern] of cases) {
      writeFileSync(join(dir, name), data);
      const result = await promisify(execFile)(process.execPath, [bin, 'info', join(dir, name)], { env: { ...process.env, PRNR_DEBUG: '' } }).then(
        () => ({ code: 0, stderr: '' }),
        (err: { code: number; stderr: string }) => err,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(pattern);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect(readdirSync(dir).sort()).toEqual(cases.map(([n]) => n).sort());
  });
});
