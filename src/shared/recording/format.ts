// The prnr recording format, version 1 (docs/recording-format.md): a file
// header, then framed records, appended as the recording runs:
//   frame = type:u8 length:u32le payload[length] crc32:u32le
// with the CRC over type, length and payload. This module holds the
// constants, the record payload types and their encoders/decoders; reader.ts
// walks and validates a whole file, src/engine/record writes one.
import { PrnrError } from '../errors';
import { crc32 } from '../crc32';
import { ByteWriter, type ByteReader } from './bytes';
import { BOOT_FILE_ROLES, type BootFileRole } from '../image-manifest';
import { utf8Decode, utf8Encode } from '../utf8';
import { HASH_BYTES } from './merkle';

export const RECORDING_MAGIC = 'PRNR-REC';
export const RECORDING_VERSION = 1;
export const RECORDING_FORMAT = 'prnr-recording';
export const FILE_HEADER_BYTES = 16;
export const FRAME_OVERHEAD = 9;
/** No record may be larger (the base snapshot of 4 GiB of RAM is 36 MiB). */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;
export const PAGE_BYTES = 4096;
/** Largest CPU+device state blob a machine writes (wasm/assembly/serialize.ts STATE_CAPACITY). */
export const MAX_STATE_BYTES = 4 * 1024 * 1024;
/** A finished file lives at <out>; while recording it is <out>.partial. */
export const PARTIAL_SUFFIX = '.partial';

export const RecordType = {
  header: 1,
  blob: 2,
  events: 3,
  output: 4,
  snapshot: 5,
  end: 6,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];
export const RECORD_NAMES: Record<number, string> = Object.fromEntries(Object.entries(RecordType).map(([k, v]) => [v, k]));

/** The HEADER record (JSON): what machine and images the recording runs on. */
export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  /** The program that wrote it, e.g. "prnr 0.1.0". */
  createdBy: string;
  machine: {
    apiVersion: number;
    ramBytes: number;
    ramPages: number;
    diskBlocks: number;
    cmdline: string;
    /** Decimal string (u64). */
    entropySeed: string;
  };
  image: {
    name: string;
    /** Content (decompressed) size and sha256 of each boot file the machine loaded. */
    files: Partial<Record<BootFileRole, { size: number; sha256: string }>>;
  };
  /** Snapshot interval in ticks, decimal string. */
  sliceTicks: string;
  /** Free-form description of the session (the commands typed), for `prnr info`. */
  session: { commands: string[] };
}

export const InputKind = { console: 1 } as const;
export type InputKind = (typeof InputKind)[keyof typeof InputKind];

/** One logged input: injected between runs, at exactly `tick`, before running on. */
export interface InputEvent {
  tick: bigint;
  kind: InputKind;
  data: Uint8Array;
}

/** Console bytes the guest wrote, drained at `tick`. */
export interface OutputChunk {
  tick: bigint;
  data: Uint8Array;
}

/** One SNAPSHOT record: the changes since the previous snapshot (snapshot 0: every page). */
export interface SnapshotRecord {
  index: number;
  tick: bigint;
  root: Uint8Array;
  stateHash: Uint8Array;
  /** Changed RAM page numbers, ascending, and their hashes (32 bytes each, same order). */
  ramPages: Uint32Array;
  ramHashes: Uint8Array;
  diskBlocks: Uint32Array;
  diskHashes: Uint8Array;
}

export const EndReason = { finished: 0, poweroff: 1 } as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

export interface EndRecord {
  snapshotCount: number;
  endTick: bigint;
  reason: EndReason;
  powerOffCode: number;
}

// ---- framing

export function fileHeader(): Uint8Array {
  const w = new ByteWriter();
  for (let i = 0; i < RECORDING_MAGIC.length; i++) w.u8(RECORDING_MAGIC.charCodeAt(i));
  w.u32(RECORDING_VERSION).u32(0);
  return w.finish();
}

export function frame(type: RecordType, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_RECORD_BYTES) throw new PrnrError('RECORDING_TOO_LARGE', `a ${RECORD_NAMES[type]} record of ${payload.length} bytes exceeds ${MAX_RECORD_BYTES}`);
  const out = new Uint8Array(FRAME_OVERHEAD + payload.length);
  const view = new DataView(out.buffer);
  out[0] = type;
  view.setUint32(1, payload.length, true);
  out.set(payload, 5);
  view.setUint32(5 + payload.length, crc32(out.subarray(0, 5 + payload.length)), true);
  return out;
}

// ---- payloads

export function encodeHeader(header: RecordingHeader): Uint8Array {
  return utf8Encode(JSON.stringify(header));
}

export function decodeHeader(payload: Uint8Array): RecordingHeader {
  const bad = (why: string) => new PrnrError('RECORDING_CORRUPT', `recording is corrupt: header ${why}`);
  let json: unknown;
  try {
    json = JSON.parse(utf8Decode(payload));
  } catch {
    throw bad('is not valid JSON');
  }
  const obj = json as Record<string, unknown>;
  if (typeof obj !== 'object' || obj === null || obj.format !== RECORDING_FORMAT) throw bad(`format must be "${RECORDING_FORMAT}"`);
  if (obj.version !== RECORDING_VERSION) {
    throw new PrnrError('RECORDING_VERSION', `recording header has version ${String(obj.version)}; this prnr reads version ${RECORDING_VERSION}`);
  }
  const m = obj.machine as Record<string, unknown> | undefined;
  const isCount = (v: unknown, max: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= max;
  if (!m || !isCount(m.apiVersion, 1e6) || !isCount(m.ramBytes, 2 ** 40) || !isCount(m.ramPages, 2 ** 28) || !isCount(m.diskBlocks, 2 ** 28)) throw bad('machine is malformed');
  if ((m.ramBytes as number) !== (m.ramPages as number) * PAGE_BYTES || m.ramPages === 0) throw bad('machine.ramPages does not match ramBytes');
  if (typeof m.cmdline !== 'string' || typeof m.entropySeed !== 'string' || !/^\d{1,20}$/.test(m.entropySeed)) throw bad('machine is malformed');
  const image = obj.image as Record<string, unknown> | undefined;
  if (!image || typeof image.name !== 'string' || typeof image.files !== 'object' || image.files === null) throw bad('image is malformed');
  for (const [name, file] of Object.entries(image.files)) {
    const f = file as Record<string, unknown>;
    if (!(BOOT_FILE_ROLES as readonly string[]).includes(name) || typeof f !== 'object' || f === null || !isCount(f.size, 2 ** 40) || typeof f.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(f.sha256)) {
      throw bad(`image.files.${name} is malformed`);
    }
  }
  if (typeof obj.sliceTicks !== 'string' || !/^[1-9]\d{0,19}$/.test(obj.sliceTicks)) throw bad('sliceTicks is malformed');
  if (typeof obj.createdBy !== 'string') throw bad('createdBy is malformed');
  const session = obj.session as Record<string, unknown> | undefined;
  if (!session || !Array.isArray(session.commands) || !session.commands.every((c) => typeof c === 'string')) throw bad('session is malformed');
  return json as RecordingHeader;
}

export function encodeBlob(hash: Uint8Array, content: Uint8Array): Uint8Array {
  const out = new Uint8Array(HASH_BYTES + content.length);
  out.set(hash);
  out.set(content, HASH_BYTES);
  return out;
}

/**
 * frame(RecordType.blob, encodeBlob(hash, content)) as three pieces to write
 * one after the other: type, length and hash; the content itself (not
 * copied: it may be a view of machine memory); the CRC-32 of both.
 */
export function frameBlobParts(hash: Uint8Array, content: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  const length = HASH_BYTES + content.length;
  if (length > MAX_RECORD_BYTES) throw new PrnrError('RECORDING_TOO_LARGE', `a blob record of ${length} bytes exceeds ${MAX_RECORD_BYTES}`);
  const head = new Uint8Array(5 + HASH_BYTES);
  head[0] = RecordType.blob;
  new DataView(head.buffer).setUint32(1, length, true);
  head.set(hash.subarray(0, HASH_BYTES), 5);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc32(content, crc32(head)), true);
  return [head, content, tail];
}

export function encodeEvents(sliceStart: bigint, events: readonly InputEvent[]): Uint8Array {
  const w = new ByteWriter().varint(events.length);
  let last = sliceStart;
  for (const e of events) {
    w.varint(e.tick - last).u8(e.kind).varint(e.data.length).bytes(e.data);
    last = e.tick;
  }
  return w.finish();
}

export function decodeEvents(r: ByteReader, sliceStart: bigint): InputEvent[] {
  const n = r.count(r.left, 'event count');
  const out: InputEvent[] = [];
  let tick = sliceStart;
  for (let i = 0; i < n; i++) {
    tick += r.varint();
    const kind = r.u8();
    if (kind !== InputKind.console) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: unknown input kind ${kind}`);
    const len = r.count(r.left, 'event length');
    out.push({ tick, kind, data: r.bytes(len) });
  }
  r.end();
  return out;
}

export function encodeOutput(sliceStart: bigint, chunks: readonly OutputChunk[]): Uint8Array {
  const w = new ByteWriter().varint(chunks.length);
  let last = sliceStart;
  for (const c of chunks) {
    w.varint(c.tick - last).varint(c.data.length).bytes(c.data);
    last = c.tick;
  }
  return w.finish();
}

export function decodeOutput(r: ByteReader, sliceStart: bigint): OutputChunk[] {
  const n = r.count(r.left, 'output chunk count');
  const out: OutputChunk[] = [];
  let tick = sliceStart;
  for (let i = 0; i < n; i++) {
    tick += r.varint();
    const len = r.count(r.left, 'output length');
    out.push({ tick, data: r.bytes(len) });
  }
  r.end();
  return out;
}

export function encodeSnapshot(s: SnapshotRecord): Uint8Array {
  const w = new ByteWriter().u32(s.index).u64(s.tick).bytes(s.root).bytes(s.stateHash).u32(s.ramPages.length).u32(s.diskBlocks.length);
  for (let i = 0; i < s.ramPages.length; i++) w.u32(s.ramPages[i]).bytes(s.ramHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
  for (let i = 0; i < s.diskBlocks.length; i++) w.u32(s.diskBlocks[i]).bytes(s.diskHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES));
  return w.finish();
}

function decodeChanges(r: ByteReader, count: number, limit: number, what: string): { ids: Uint32Array; hashes: Uint8Array } {
  r.need(count * (4 + HASH_BYTES));
  const ids = new Uint32Array(count);
  const hashes = new Uint8Array(count * HASH_BYTES);
  let last = -1;
  for (let i = 0; i < count; i++) {
    const id = r.u32();
    if (id <= last || id >= limit) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: ${what} ${id} is out of order or out of range (limit ${limit})`);
    last = id;
    ids[i] = id;
    hashes.set(r.bytes(HASH_BYTES), i * HASH_BYTES);
  }
  return { ids, hashes };
}

export function decodeSnapshot(r: ByteReader, ramPages: number, diskBlocks: number): SnapshotRecord {
  const index = r.u32();
  const tick = r.u64();
  const root = r.bytes(HASH_BYTES).slice();
  const stateHash = r.bytes(HASH_BYTES).slice();
  const nRam = r.u32();
  const nDisk = r.u32();
  if (nRam > ramPages || nDisk > diskBlocks) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: ${nRam} page / ${nDisk} block changes exceed the machine's ${ramPages} / ${diskBlocks}`);
  const ram = decodeChanges(r, nRam, ramPages, 'RAM page');
  const disk = decodeChanges(r, nDisk, diskBlocks, 'disk block');
  r.end();
  return { index, tick, root, stateHash, ramPages: ram.ids, ramHashes: ram.hashes, diskBlocks: disk.ids, diskHashes: disk.hashes };
}

export function encodeEnd(e: EndRecord): Uint8Array {
  return new ByteWriter().u32(e.snapshotCount).u64(e.endTick).u8(e.reason).u32(e.powerOffCode).finish();
}

export function decodeEnd(r: ByteReader): EndRecord {
  const snapshotCount = r.u32();
  const endTick = r.u64();
  const reason = r.u8();
  if (reason !== EndReason.finished && reason !== EndReason.poweroff) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: unknown end reason ${reason}`);
  const powerOffCode = r.u32();
  r.end();
  return { snapshotCount, endTick, reason, powerOffCode };
}
