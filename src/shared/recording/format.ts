// The prnr recording format, version 2 (docs/recording-format.md): a file
// header, then framed records, appended as the recording runs:
//   frame = type:u8 length:u32le payload[length] crc32:u32le
// with the CRC over type, length and payload; every record is also under the
// integrity chain (chain.ts). This module holds the constants, the record
// payload types and their encoders/decoders; reader.ts opens a file through
// its index (or scans it), src/engine/record writes one.
import { PrnrError } from '../errors';
import { crc32 } from '../crc32';
import { ByteWriter, type ByteReader } from './bytes';
import { BOOT_FILE_ROLES, type BootFileRole } from '../image-manifest';
import { utf8Decode, utf8Encode } from '../utf8';
import { HASH_BYTES } from './merkle';

export const RECORDING_MAGIC = 'PRNR-REC';
export const RECORDING_VERSION = 2;
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
  index: 7,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];
export const RECORD_NAMES: Record<number, string> = Object.fromEntries(Object.entries(RecordType).map(([k, v]) => [v, k]));

/** Largest machine a recording describes: 4 GiB of RAM and a 4 GiB disk (a reader allocates page tables of this size). */
export const MAX_RAM_PAGES = 1 << 20;
export const MAX_DISK_BLOCKS = 1 << 20;

/** Largest entropy seed (u64). */
export const MAX_ENTROPY_SEED = (1n << 64n) - 1n;

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
  /** Head of the integrity chain over every record before this one (chain.ts). */
  chain: Uint8Array;
  /** Changed RAM page numbers, ascending, and their hashes (32 bytes each, same order). */
  ramPages: Uint32Array;
  ramHashes: Uint8Array;
  diskBlocks: Uint32Array;
  diskHashes: Uint8Array;
}

/** How a session ended: prnr finished it, or the guest powered off or rebooted (the machine stops either way). */
export const EndReason = { finished: 0, poweroff: 1, reboot: 2 } as const;
export type EndReason = (typeof EndReason)[keyof typeof EndReason];

export interface EndRecord {
  snapshotCount: number;
  endTick: bigint;
  reason: EndReason;
  powerOffCode: number;
}

/** What the END record adds to an EndRecord: the seal of the chain, where the index is, and an optional signature. */
export interface EndSeal {
  /** Head of the integrity chain over every record before END (the recording's digest). */
  chain: Uint8Array;
  /** File offset of the first INDEX record. */
  indexOffset: number;
  /** Ed25519 public key (32 bytes) and signature (64 bytes) over signedEndBytes(); absent if unsigned. */
  signature?: { publicKey: Uint8Array; signature: Uint8Array };
}

export type EndRecordV2 = EndRecord & EndSeal;

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
/** END payload: fixed size, so a reader finds END by its length from the end of the file. */
export const END_PAYLOAD_BYTES = 4 + 8 + 1 + 4 + HASH_BYTES + 8 + 1 + ED25519_PUBLIC_KEY_BYTES + ED25519_SIGNATURE_BYTES;
export const END_FRAME_BYTES = FRAME_OVERHEAD + END_PAYLOAD_BYTES;

/** A BLOB payload starts with hash, encoding and content size; the stored bytes follow. */
export const BLOB_HEAD_BYTES = HASH_BYTES + 1 + 4;

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
  if (!m || !isCount(m.apiVersion, 1e6) || !isCount(m.ramBytes, MAX_RAM_PAGES * PAGE_BYTES) || !isCount(m.ramPages, MAX_RAM_PAGES) || !isCount(m.diskBlocks, MAX_DISK_BLOCKS)) {
    throw bad(`machine is malformed (at most ${MAX_RAM_PAGES} RAM pages and ${MAX_DISK_BLOCKS} disk blocks)`);
  }
  if ((m.ramBytes as number) !== (m.ramPages as number) * PAGE_BYTES || m.ramPages === 0) throw bad('machine.ramPages does not match ramBytes');
  if (typeof m.cmdline !== 'string' || typeof m.entropySeed !== 'string' || !/^\d{1,20}$/.test(m.entropySeed) || BigInt(m.entropySeed) > MAX_ENTROPY_SEED) throw bad('machine is malformed');
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

/** A BLOB's head: the content's hash, how it is stored, and its decoded size. */
export interface BlobHead {
  hash: Uint8Array;
  encoding: number;
  size: number;
}

export function decodeBlobHead(r: ByteReader): BlobHead {
  const hash = r.bytes(HASH_BYTES).slice();
  const encoding = r.u8();
  const size = r.u32();
  return { hash, encoding, size };
}

/**
 * A BLOB record as three pieces to write one after the other: frame head and
 * blob head; the stored bytes themselves (not copied: they may be a view of
 * machine memory); the CRC-32 of both.
 */
export function frameBlobParts(head: BlobHead, stored: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  const length = BLOB_HEAD_BYTES + stored.length;
  if (length > MAX_RECORD_BYTES) throw new PrnrError('RECORDING_TOO_LARGE', `a blob record of ${length} bytes exceeds ${MAX_RECORD_BYTES}`);
  const out = new Uint8Array(5 + BLOB_HEAD_BYTES);
  const view = new DataView(out.buffer);
  out[0] = RecordType.blob;
  view.setUint32(1, length, true);
  out.set(head.hash.subarray(0, HASH_BYTES), 5);
  out[5 + HASH_BYTES] = head.encoding;
  view.setUint32(5 + HASH_BYTES + 1, head.size, true);
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc32(stored, crc32(out)), true);
  return [out, stored, tail];
}

/** EVENTS and OUTPUT: `count`, then per entry `tickDelta`, what `head` writes (EVENTS: the kind), `length`, bytes. */
function encodeTicked<T extends { tick: bigint; data: Uint8Array }>(sliceStart: bigint, items: readonly T[], head: (w: ByteWriter, item: T) => void): Uint8Array {
  const w = new ByteWriter().varint(items.length);
  let last = sliceStart;
  for (const item of items) {
    w.varint(item.tick - last);
    head(w, item);
    w.varint(item.data.length).bytes(item.data);
    last = item.tick;
  }
  return w.finish();
}

function decodeTicked<T>(r: ByteReader, sliceStart: bigint, what: string, entry: (tick: bigint, read: (r: ByteReader) => Uint8Array) => T): T[] {
  const n = r.count(r.left, `${what} count`);
  const out: T[] = [];
  let tick = sliceStart;
  for (let i = 0; i < n; i++) {
    tick += r.varint();
    out.push(entry(tick, () => r.bytes(r.count(r.left, `${what} length`))));
  }
  r.end();
  return out;
}

export function encodeEvents(sliceStart: bigint, events: readonly InputEvent[]): Uint8Array {
  return encodeTicked(sliceStart, events, (w, e) => w.u8(e.kind));
}

export function decodeEvents(r: ByteReader, sliceStart: bigint): InputEvent[] {
  return decodeTicked(r, sliceStart, 'event', (tick, data) => {
    const kind = r.u8();
    if (kind !== InputKind.console) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: unknown input kind ${kind}`);
    return { tick, kind, data: data(r) };
  });
}

export function encodeOutput(sliceStart: bigint, chunks: readonly OutputChunk[]): Uint8Array {
  return encodeTicked(sliceStart, chunks, () => {});
}

export function decodeOutput(r: ByteReader, sliceStart: bigint): OutputChunk[] {
  return decodeTicked(r, sliceStart, 'output', (tick, data) => ({ tick, data: data(r) }));
}

export function encodeSnapshot(s: SnapshotRecord): Uint8Array {
  const w = new ByteWriter().u32(s.index).u64(s.tick).bytes(s.root).bytes(s.stateHash).bytes(s.chain).u32(s.ramPages.length).u32(s.diskBlocks.length);
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
  const chain = r.bytes(HASH_BYTES).slice();
  const nRam = r.u32();
  const nDisk = r.u32();
  if (nRam > ramPages || nDisk > diskBlocks) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: ${nRam} page / ${nDisk} block changes exceed the machine's ${ramPages} / ${diskBlocks}`);
  const ram = decodeChanges(r, nRam, ramPages, 'RAM page');
  const disk = decodeChanges(r, nDisk, diskBlocks, 'disk block');
  r.end();
  return { index, tick, root, stateHash, chain, ramPages: ram.ids, ramHashes: ram.hashes, diskBlocks: disk.ids, diskHashes: disk.hashes };
}

/** The bytes an END signature signs: the END payload up to the signature flag. */
export function signedEndBytes(e: EndRecord & Omit<EndSeal, 'signature'>): Uint8Array {
  return new ByteWriter().u32(e.snapshotCount).u64(e.endTick).u8(e.reason).u32(e.powerOffCode).bytes(e.chain).u64(BigInt(e.indexOffset)).finish();
}

export function encodeEnd(e: EndRecordV2): Uint8Array {
  const w = new ByteWriter().bytes(signedEndBytes(e));
  if (e.signature) w.u8(1).bytes(e.signature.publicKey).bytes(e.signature.signature);
  else w.u8(0).bytes(new Uint8Array(ED25519_PUBLIC_KEY_BYTES + ED25519_SIGNATURE_BYTES));
  return w.finish();
}

export function decodeEnd(r: ByteReader): EndRecordV2 {
  const snapshotCount = r.u32();
  const endTick = r.u64();
  const reason = r.u8() as EndReason;
  if (!(Object.values(EndReason) as number[]).includes(reason)) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: unknown end reason ${reason}`);
  const powerOffCode = r.u32();
  const chain = r.bytes(HASH_BYTES).slice();
  const indexOffset = r.u64();
  if (indexOffset > BigInt(Number.MAX_SAFE_INTEGER)) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: index offset ${indexOffset} is out of range`);
  const signed = r.u8();
  const publicKey = r.bytes(ED25519_PUBLIC_KEY_BYTES).slice();
  const signature = r.bytes(ED25519_SIGNATURE_BYTES).slice();
  r.end();
  if (signed > 1) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: signature flag ${signed}`);
  return { snapshotCount, endTick, reason, powerOffCode, chain, indexOffset: Number(indexOffset), signature: signed ? { publicKey, signature } : undefined };
}

// ---- index: the type and length of every record before it, and each blob's hash, in file order

/** One INDEX entry per record; offsets follow from the lengths (records are contiguous from the file header on). */
export interface IndexEntries {
  types: Uint8Array;
  lengths: Uint32Array;
  /** HASH_BYTES per blob entry, in order. */
  blobHashes: Uint8Array;
}

/** INDEX payload: u64 offset of the first record it describes, u32 count, then per record type:u8 length:u32 [hash if BLOB]. */
export function encodeIndex(firstOffset: number, types: Uint8Array, lengths: Uint32Array, blobHashes: Uint8Array): Uint8Array {
  const w = new ByteWriter().u64(BigInt(firstOffset)).u32(types.length);
  let h = 0;
  for (let i = 0; i < types.length; i++) {
    w.u8(types[i]).u32(lengths[i]);
    if (types[i] === RecordType.blob) w.bytes(blobHashes.subarray(h, (h += HASH_BYTES)));
  }
  return w.finish();
}

export function decodeIndex(r: ByteReader): { firstOffset: number; entries: IndexEntries } {
  const firstOffset = r.u64();
  if (firstOffset > BigInt(Number.MAX_SAFE_INTEGER)) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: offset ${firstOffset} is out of range`);
  const n = r.u32();
  if (n > r.left / 5) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${r.what}: ${n} entries do not fit in ${r.left} bytes`);
  const types = new Uint8Array(n);
  const lengths = new Uint32Array(n);
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    types[i] = r.u8();
    lengths[i] = r.u32();
    if (types[i] === RecordType.blob) hashes.push(r.bytes(HASH_BYTES));
  }
  r.end();
  const blobHashes = new Uint8Array(hashes.length * HASH_BYTES);
  hashes.forEach((h, i) => blobHashes.set(h, i * HASH_BYTES));
  return { firstOffset: Number(firstOffset), entries: { types, lengths, blobHashes } };
}
