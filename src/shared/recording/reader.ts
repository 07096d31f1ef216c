// Opens a recording held in memory: walks every frame, checks its length and
// CRC, decodes and cross-checks the records (docs/recording-format.md
// "Validation") and indexes the slices. Nothing is trusted: every length is
// checked before use, every blob against its sha256, every snapshot's state
// root against its pages. Errors are PrnrErrors:
//   RECORDING_TRUNCATED  the file ends early (or a finished file lacks END)
//   RECORDING_CORRUPT    a bad magic, frame, CRC or record
//   RECORDING_VERSION    another format version
//   RECORDING_TAMPERED   content that does not match its hash or root
// A `.partial` file (recovery) keeps every slice up to its last complete
// snapshot and ignores a torn or damaged tail.
import { PrnrError } from '../errors';
import { crc32 } from '../crc32';
import { bytesEqual, toHex, type Sha256 } from '../sha256';
import { ByteReader } from './bytes';
import {
  decodeEnd,
  decodeEvents,
  decodeHeader,
  decodeOutput,
  decodeSnapshot,
  FILE_HEADER_BYTES,
  FRAME_OVERHEAD,
  MAX_RECORD_BYTES,
  MAX_STATE_BYTES,
  PAGE_BYTES,
  RECORD_NAMES,
  RECORDING_MAGIC,
  RECORDING_VERSION,
  RecordType,
  type EndRecord,
  type InputEvent,
  type OutputChunk,
  type RecordingHeader,
  type SnapshotRecord,
} from './format';
import { HASH_BYTES, MerkleTree, stateRoot } from './merkle';
import { zeroPageHash } from './units';

export interface OpenOptions {
  sha256: Sha256;
  /** Accept a recording without END (a `.partial` file): keep every slice up to its last complete snapshot. */
  recovery?: boolean;
  /** Check every blob against its hash (default true; workers of an already-validated file skip it). */
  verifyBlobs?: boolean;
  /** Recompute every snapshot's state root from its pages (default true). */
  verifyRoots?: boolean;
}

/** Slice i: from snapshot i to snapshot i+1, with the inputs injected and the output printed in between. */
export interface Slice {
  index: number;
  startTick: bigint;
  endTick: bigint;
  events: InputEvent[];
  output: OutputChunk[];
}

export interface Recording {
  header: RecordingHeader;
  /** True if the file ends with its END record; false for a recovered `.partial` file. */
  complete: boolean;
  end?: EndRecord;
  snapshots: SnapshotRecord[];
  slices: Slice[];
  /** Bytes of the file that were used (recovery drops a torn tail). */
  usedBytes: number;
  fileBytes: number;
  /** Bytes stored per snapshot (its blobs and records). */
  snapshotBytes: number[];
  /** The content of a blob, or undefined if the recording has none with this hash. */
  blob(hash: Uint8Array): Uint8Array | undefined;
  blobCount: number;
}

const truncated = (why: string) => new PrnrError('RECORDING_TRUNCATED', `recording is truncated: ${why}`);
const corrupt = (why: string) => new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${why}`);
const tampered = (why: string) => new PrnrError('RECORDING_TAMPERED', `recording has been tampered with: ${why}`);

export function openRecording(data: Uint8Array, options: OpenOptions): Recording {
  const { sha256, recovery = false, verifyBlobs = true, verifyRoots = true } = options;
  if (data.length < FILE_HEADER_BYTES) {
    if (data.length >= 8 && !hasMagic(data)) throw corrupt('not a prnr recording (bad magic)');
    throw truncated(`${data.length} bytes is shorter than the ${FILE_HEADER_BYTES}-byte file header`);
  }
  if (!hasMagic(data)) throw corrupt(`not a prnr recording (bad magic "${latin1(data.subarray(0, 8))}")`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint32(8, true);
  if (version !== RECORDING_VERSION) throw new PrnrError('RECORDING_VERSION', `recording has format version ${version}; this prnr reads version ${RECORDING_VERSION}`);
  if (view.getUint32(12, true) !== 0) throw corrupt('file header flags must be 0');

  if (!recovery) precheckFinished(data, view);

  const zero = zeroPageHash(sha256);
  const blobs = new Map<string, { at: number; length: number }>();
  let pendingBlobs: Array<[string, { at: number; length: number }]> = [];
  let header: RecordingHeader | undefined;
  let ramTree: MerkleTree | undefined;
  let diskTree: MerkleTree | undefined;
  const snapshots: SnapshotRecord[] = [];
  const slices: Slice[] = [];
  const snapshotBytes: number[] = [];
  let pendingEvents: { payload: Uint8Array; at: number } | undefined;
  let pendingOutput: { payload: Uint8Array; at: number } | undefined;
  let end: EndRecord | undefined;
  let pos = FILE_HEADER_BYTES;
  let usedBytes = pos;
  let sliceBytes = 0;

  for (;;) {
    if (pos === data.length) break;
    // In recovery, anything wrong from here on is the torn tail of a killed recorder: stop and keep what is complete.
    const stopOr = (err: PrnrError): 'stop' => {
      if (recovery && end === undefined) return 'stop';
      throw err;
    };
    if (end !== undefined) throw corrupt(`${data.length - pos} bytes after the END record`);
    if (data.length - pos < FRAME_OVERHEAD) {
      stopOr(truncated(`a record header at byte ${pos} is cut off`));
      break;
    }
    const type = data[pos];
    const length = view.getUint32(pos + 1, true);
    const where = `${RECORD_NAMES[type] ?? `type ${type}`} record at byte ${pos}`;
    if (length > MAX_RECORD_BYTES) {
      stopOr(corrupt(`${where} claims ${length} bytes (limit ${MAX_RECORD_BYTES})`));
      break;
    }
    if (length + FRAME_OVERHEAD > data.length - pos) {
      stopOr(truncated(`${where} needs ${length + FRAME_OVERHEAD} bytes, only ${data.length - pos} remain`));
      break;
    }
    const crcStored = view.getUint32(pos + 5 + length, true);
    if (crc32(data.subarray(pos, pos + 5 + length)) !== crcStored) {
      stopOr(corrupt(`${where} fails its checksum`));
      break;
    }
    const payload = data.subarray(pos + 5, pos + 5 + length);
    const r = new ByteReader(payload, where);
    const frameStart = pos;
    pos += FRAME_OVERHEAD + length;
    sliceBytes += FRAME_OVERHEAD + length;

    if (header === undefined) {
      if (type !== RecordType.header) throw corrupt(`the first record is ${RECORD_NAMES[type] ?? `type ${type}`}, not the header`);
      header = decodeHeader(payload);
      ramTree = new MerkleTree(sha256, header.machine.ramPages);
      diskTree = new MerkleTree(sha256, header.machine.diskBlocks);
      usedBytes = pos;
      continue;
    }
    switch (type) {
      case RecordType.header:
        throw corrupt(`${where}: a second header`);
      case RecordType.blob: {
        const hash = r.bytes(HASH_BYTES);
        const content = payload.subarray(HASH_BYTES);
        if (content.length === 0 || content.length > Math.max(PAGE_BYTES, MAX_STATE_BYTES)) throw corrupt(`${where}: blob of ${content.length} bytes`);
        if (verifyBlobs && !bytesEqual(sha256(content), hash)) throw tampered(`${where}: content does not match its sha256 ${toHex(hash).slice(0, 16)}…`);
        pendingBlobs.push([toHex(hash), { at: frameStart + 5 + HASH_BYTES, length: content.length }]);
        break;
      }
      case RecordType.events:
        if (pendingEvents) throw corrupt(`${where}: two event records in one slice`);
        pendingEvents = { payload, at: frameStart };
        break;
      case RecordType.output:
        if (pendingOutput) throw corrupt(`${where}: two output records in one slice`);
        pendingOutput = { payload, at: frameStart };
        break;
      case RecordType.snapshot: {
        const s = decodeSnapshot(r, header.machine.ramPages, header.machine.diskBlocks);
        const prev = snapshots[snapshots.length - 1];
        if (s.index !== snapshots.length) throw corrupt(`${where}: snapshot ${s.index} where ${snapshots.length} was expected`);
        if (prev && s.tick <= prev.tick) throw corrupt(`${where}: snapshot ${s.index} at tick ${s.tick} is not after snapshot ${prev.index} at tick ${prev.tick}`);
        if (!prev && (s.ramPages.length !== header.machine.ramPages || s.diskBlocks.length !== header.machine.diskBlocks)) {
          throw corrupt(`${where}: snapshot 0 must list every RAM page and disk block`);
        }
        if (!prev && (pendingEvents || pendingOutput)) throw corrupt(`${where}: inputs or output before snapshot 0`);
        for (const [key, loc] of pendingBlobs) blobs.set(key, loc);
        pendingBlobs = [];
        const has = (hash: Uint8Array) => bytesEqual(hash, zero) || blobs.has(toHex(hash));
        if (!has(s.stateHash)) throw corrupt(`${where}: its CPU/device state blob is not in the recording`);
        if (prev) {
          for (let i = 0; i < s.ramPages.length; i++) {
            if (!has(s.ramHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES))) throw corrupt(`${where}: RAM page ${s.ramPages[i]} refers to content that is not in the recording`);
          }
          for (let i = 0; i < s.diskBlocks.length; i++) {
            if (!has(s.diskHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES))) throw corrupt(`${where}: disk block ${s.diskBlocks[i]} refers to content that is not in the recording`);
          }
          const events = pendingEvents ? decodeEvents(new ByteReader(pendingEvents.payload, `events record at byte ${pendingEvents.at}`), prev.tick) : [];
          const output = pendingOutput ? decodeOutput(new ByteReader(pendingOutput.payload, `output record at byte ${pendingOutput.at}`), prev.tick) : [];
          for (const e of events) if (e.tick >= s.tick) throw corrupt(`${where}: an input at tick ${e.tick} lies outside slice ${prev.index} [${prev.tick}, ${s.tick})`);
          for (const o of output) if (o.tick > s.tick) throw corrupt(`${where}: output at tick ${o.tick} lies outside slice ${prev.index} [${prev.tick}, ${s.tick}]`);
          slices.push({ index: prev.index, startTick: prev.tick, endTick: s.tick, events, output });
        }
        pendingEvents = undefined;
        pendingOutput = undefined;
        if (verifyRoots) {
          for (let i = 0; i < s.ramPages.length; i++) ramTree!.setLeaf(s.ramPages[i], s.ramHashes.subarray(i * HASH_BYTES));
          for (let i = 0; i < s.diskBlocks.length; i++) diskTree!.setLeaf(s.diskBlocks[i], s.diskHashes.subarray(i * HASH_BYTES));
          const root = stateRoot(sha256, s.stateHash, ramTree!.root(), diskTree!.root());
          if (!bytesEqual(root, s.root)) throw tampered(`snapshot ${s.index}'s state root does not match its state and pages`);
        }
        snapshots.push(s);
        snapshotBytes.push(sliceBytes);
        sliceBytes = 0;
        usedBytes = pos;
        break;
      }
      case RecordType.end: {
        end = decodeEnd(r);
        const last = snapshots[snapshots.length - 1];
        if (pendingBlobs.length || pendingEvents || pendingOutput) throw corrupt(`${where}: records after the last snapshot`);
        if (!last || end.snapshotCount !== snapshots.length || end.endTick !== last.tick) {
          throw corrupt(`${where}: says ${end.snapshotCount} snapshots ending at tick ${end.endTick}, the file has ${snapshots.length}${last ? ` ending at tick ${last.tick}` : ''}`);
        }
        usedBytes = pos;
        break;
      }
      default:
        throw corrupt(`${where}: unknown record type`);
    }
  }

  if (header === undefined) throw truncated('it has no header record');
  if (end === undefined && !recovery) throw truncated('it has no END record (the recorder did not finish; open the .partial file to recover it)');
  if (snapshots.length === 0) throw truncated('it has no complete snapshot');

  return {
    header,
    complete: end !== undefined,
    end,
    snapshots,
    slices,
    usedBytes,
    fileBytes: data.length,
    snapshotBytes,
    blobCount: blobs.size,
    blob(hash) {
      const loc = blobs.get(toHex(hash));
      if (loc) return data.subarray(loc.at, loc.at + loc.length);
      if (bytesEqual(hash, zero)) return new Uint8Array(PAGE_BYTES);
      return undefined;
    },
  };
}

/**
 * A finished file must be a clean chain of frames ending in END. Walking the
 * frame lengths first finds a cut-off file before any hashing; a broken chain
 * is reported as corruption if a frame before the break fails its checksum.
 */
function precheckFinished(data: Uint8Array, view: DataView): void {
  let pos = FILE_HEADER_BYTES;
  let lastType = -1;
  let broken: string | undefined;
  while (pos < data.length) {
    if (data.length - pos < FRAME_OVERHEAD) {
      broken = `a record header at byte ${pos} is cut off`;
      break;
    }
    const length = view.getUint32(pos + 1, true);
    if (length > MAX_RECORD_BYTES || length + FRAME_OVERHEAD > data.length - pos) {
      broken = `the record at byte ${pos} needs ${length + FRAME_OVERHEAD} bytes, only ${data.length - pos} remain`;
      break;
    }
    lastType = data[pos];
    pos += FRAME_OVERHEAD + length;
  }
  if (broken === undefined && lastType === RecordType.end) return;
  for (let at = FILE_HEADER_BYTES; at < pos; ) {
    const length = view.getUint32(at + 1, true);
    if (crc32(data.subarray(at, at + 5 + length)) !== view.getUint32(at + 5 + length, true)) throw corrupt(`${RECORD_NAMES[data[at]] ?? `type ${data[at]}`} record at byte ${at} fails its checksum`);
    at += FRAME_OVERHEAD + length;
  }
  throw truncated(broken ?? 'it has no END record (the recorder did not finish; open the .partial file to recover it)');
}

function hasMagic(data: Uint8Array): boolean {
  for (let i = 0; i < RECORDING_MAGIC.length; i++) if (data[i] !== RECORDING_MAGIC.charCodeAt(i)) return false;
  return true;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  return s;
}

/** The full page and block hashes of snapshot k, folded from snapshot 0's list and every change since. */
export function manifestAt(rec: Pick<Recording, 'snapshots' | 'header'>, k: number): { ram: Uint8Array; disk: Uint8Array } {
  const ram = new Uint8Array(rec.header.machine.ramPages * HASH_BYTES);
  const disk = new Uint8Array(rec.header.machine.diskBlocks * HASH_BYTES);
  for (let j = 0; j <= k; j++) applyChanges(rec.snapshots[j], ram, disk);
  return { ram, disk };
}

export function applyChanges(s: SnapshotRecord, ram: Uint8Array, disk: Uint8Array): void {
  for (let i = 0; i < s.ramPages.length; i++) ram.set(s.ramHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES), s.ramPages[i] * HASH_BYTES);
  for (let i = 0; i < s.diskBlocks.length; i++) disk.set(s.diskHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES), s.diskBlocks[i] * HASH_BYTES);
}

/** The last snapshot at or before `tick`. */
export function snapshotBefore(rec: Pick<Recording, 'snapshots'>, tick: bigint): number {
  let lo = 0;
  let hi = rec.snapshots.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (rec.snapshots[mid].tick <= tick) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
