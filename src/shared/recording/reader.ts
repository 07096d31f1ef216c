// Opens a recording from a random-access source (docs/recording-format.md
// "Opening"). A finished file is opened through its tail: END, then the
// INDEX, then the small records (header, snapshots, inputs, output) — never
// the blobs, which are fetched, decoded and checked against their hash when
// used — so a recording of any size opens in memory proportional to its
// snapshots, not its pages. A file without a valid END (a `.partial` file
// after a crash, or a damaged one) is scanned frame by frame instead.
// Either way the integrity chain is recomputed over every record and checked
// against each snapshot and END, so an edit, splice, drop, reorder or
// truncation is named before anything runs. Errors are PrnrErrors:
//   RECORDING_TRUNCATED  the file ends early (or a finished file lacks END)
//   RECORDING_CORRUPT    a bad magic, frame, CRC, length or record
//   RECORDING_VERSION    another format version
//   RECORDING_TAMPERED   content that does not match its hash, chain or root
// A `.partial` file (recovery) keeps every slice up to its last complete
// snapshot and ignores a torn or damaged tail.
import { PrnrError } from '../errors';
import { crc32 } from '../crc32';
import { bytesEqual, toHex, type Sha256 } from '../sha256';
import { ByteReader } from './bytes';
import { BlobTable, hashKey } from './blob-table';
import { ChainBuilder, chainSeed } from './chain';
import {
  BLOB_HEAD_BYTES,
  decodeBlobHead,
  decodeEnd,
  decodeEvents,
  decodeHeader,
  decodeIndex,
  decodeOutput,
  decodeSnapshot,
  END_FRAME_BYTES,
  END_PAYLOAD_BYTES,
  FILE_HEADER_BYTES,
  FRAME_OVERHEAD,
  MAX_RECORD_BYTES,
  MAX_STATE_BYTES,
  PAGE_BYTES,
  RECORD_NAMES,
  RECORDING_MAGIC,
  RECORDING_VERSION,
  RecordType,
  signedEndBytes,
  type EndRecordV2,
  type InputEvent,
  type OutputChunk,
  type RecordingHeader,
  type SnapshotRecord,
} from './format';
import { HASH_BYTES, MerkleTree, stateRoot } from './merkle';
import { decodeBlobContent, type DeflateCodec } from './page-codec';
import type { RecordingSource } from './source';
import { zeroPageHash } from './units';

/** Checks an Ed25519 signature; hosts inject node:crypto (or WebCrypto, checked before opening). */
export type SignatureVerifier = (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => boolean;

export interface OpenOptions {
  sha256: Sha256;
  /** Inflates deflated blobs; without it a deflated blob is an error when read. */
  deflate?: DeflateCodec;
  /** Checks END's signature when there is one; without it the signature is reported as unchecked. */
  verifySignature?: SignatureVerifier;
  /** Accept a recording without END (a `.partial` file): keep every slice up to its last complete snapshot. */
  recovery?: boolean;
  /** Check every blob against its hash when it is read (default true). */
  verifyBlobs?: boolean;
  /** Recompute every snapshot's state root from its pages while opening (default true). */
  verifyRoots?: boolean;
}

/** Slice i: from snapshot i to snapshot i+1, with the inputs injected and the output printed in between (read on first use). */
export interface Slice {
  index: number;
  startTick: bigint;
  endTick: bigint;
  readonly events: InputEvent[];
  readonly output: OutputChunk[];
}

export type BlobKind = 'page' | 'state';

export interface Recording {
  header: RecordingHeader;
  /** True if the file ends with its END record; false for a recovered `.partial` file. */
  complete: boolean;
  end?: EndRecordV2;
  /** The head of the integrity chain sealed by END (complete files), or of the last complete snapshot (recovered ones). */
  digest: Uint8Array;
  /** 'valid', 'unchecked' (no verifier given) or undefined (unsigned). An invalid signature fails the open. */
  signature?: 'valid' | 'unchecked';
  snapshots: SnapshotRecord[];
  slices: Slice[];
  /** Bytes of the file that were used (recovery drops a torn tail). */
  usedBytes: number;
  fileBytes: number;
  /** Bytes stored per snapshot (its blobs and records). */
  snapshotBytes: number[];
  /** The content of a blob (decoded and, by default, checked against its hash), or undefined if the recording has none with this hash. */
  blob(hash: Uint8Array, kind?: BlobKind): Uint8Array | undefined;
  /** Whether blob() has content for this hash (a stored blob, or the zero page), without reading it. */
  hasBlob(hash: Uint8Array): boolean;
  /** Where the BLOB record of this hash lies in the file, [offset, bytes], if one is stored (what reading it by parts loads). */
  blobRecord(hash: Uint8Array): [number, number] | undefined;
  blobCount: number;
  /**
   * The blobs' stored bytes (after encoding) and content bytes (decoded), cheaply: the stored sizes come
   * from the index, the content sizes are 4 KiB per page and read from the heads of the state blobs only
   * (verifyBlobs checks that every page blob does hold 4 KiB).
   */
  blobBytes(): BlobBytes;
  /**
   * Every blob's frame, read and checked (CRC, encoding, size for its kind, hash): what `prnr verify`
   * adds to opening. Calls back per blob checked; returns the exact stored and content bytes.
   */
  verifyBlobs(onProgress?: (done: number, total: number) => void): BlobBytes;
}

/** Bytes the blobs of a recording occupy as stored (encoded, without their heads) and as content (decoded). */
export interface BlobBytes {
  stored: number;
  content: number;
}

const truncated = (why: string) => new PrnrError('RECORDING_TRUNCATED', `recording is truncated: ${why}`);
const corrupt = (why: string) => new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${why}`);
const tampered = (why: string) => new PrnrError('RECORDING_TAMPERED', `recording has been tampered with: ${why}`);
const recordName = (type: number) => RECORD_NAMES[type] ?? `type ${type}`;

/** One record as the assembler sees it: a blob by its hash, any other by its payload. */
interface RecordSeen {
  offset: number;
  type: number;
  length: number;
  /** Payload of a non-blob record. */
  payload?: Uint8Array;
  /** Hash of a BLOB. */
  blobHash?: Uint8Array;
}

export function openRecording(source: RecordingSource, options: OpenOptions): Recording {
  const { recovery = false } = options;
  const fileHeader = readFileHeader(source);
  if (!recovery) {
    const end = readEnd(source);
    if (end) return openIndexed(source, options, fileHeader, end);
  }
  return openScanned(source, options, fileHeader);
}

function readFileHeader(source: RecordingSource): Uint8Array {
  const head = source.read(0, FILE_HEADER_BYTES).slice();
  if (head.length >= 8 && !hasMagic(head)) throw corrupt(`not a prnr recording (bad magic "${printable(head.subarray(0, 8))}")`);
  if (head.length < FILE_HEADER_BYTES) throw truncated(`${source.size} bytes is shorter than the ${FILE_HEADER_BYTES}-byte file header`);
  const view = new DataView(head.buffer);
  const version = view.getUint32(8, true);
  if (version === 1) throw new PrnrError('RECORDING_VERSION', 'recording has format version 1, from a prnr before integrity chains; this prnr reads version 2 only: replay it with prnr 0.1, or record the session again');
  if (version !== RECORDING_VERSION) throw new PrnrError('RECORDING_VERSION', `recording has format version ${version}; this prnr reads version ${RECORDING_VERSION}`);
  if (view.getUint32(12, true) !== 0) throw corrupt('file header flags must be 0');
  return head;
}

/** The END record at the very end of the file, if it is there and intact. */
function readEnd(source: RecordingSource): { record: EndRecordV2; offset: number } | undefined {
  const offset = source.size - END_FRAME_BYTES;
  if (offset < FILE_HEADER_BYTES) return undefined;
  const frameBytes = source.read(offset, END_FRAME_BYTES).slice();
  const view = new DataView(frameBytes.buffer);
  if (frameBytes[0] !== RecordType.end || view.getUint32(1, true) !== END_PAYLOAD_BYTES) return undefined;
  if (crc32(frameBytes.subarray(0, 5 + END_PAYLOAD_BYTES)) !== view.getUint32(5 + END_PAYLOAD_BYTES, true)) return undefined;
  const where = `END record at byte ${offset}`;
  return { record: decodeEnd(new ByteReader(frameBytes.subarray(5, 5 + END_PAYLOAD_BYTES), where)), offset };
}

/** Reads one whole frame at `offset` and checks its type, length and CRC against what the index says. */
function readFrame(source: RecordingSource, offset: number, type: number, length: number): Uint8Array {
  const where = `${recordName(type)} record at byte ${offset}`;
  const head = source.read(offset, 5);
  if (head.length < 5) throw truncated(`${where} is cut off`);
  const stated = new DataView(head.buffer, head.byteOffset, 5).getUint32(1, true);
  if (head[0] !== type) throw corrupt(`the record at byte ${offset} is ${recordName(head[0])} where the index says ${recordName(type)}`);
  if (stated !== length) throw corrupt(`${where}: its length field says ${stated} bytes where the index says ${length}`);
  if (offset + FRAME_OVERHEAD + length > source.size) throw truncated(`${where} needs ${FRAME_OVERHEAD + length} bytes, only ${source.size - offset} remain`);
  const bytes = source.read(offset, FRAME_OVERHEAD + length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (crc32(bytes.subarray(0, 5 + length)) !== view.getUint32(5 + length, true)) throw corrupt(`${where} fails its checksum`);
  return bytes.subarray(5, 5 + length);
}

function openIndexed(source: RecordingSource, options: OpenOptions, fileHeader: Uint8Array, end: { record: EndRecordV2; offset: number }): Recording {
  const { record: endRecord, offset: endOffset } = end;
  if (endRecord.indexOffset < FILE_HEADER_BYTES || endRecord.indexOffset >= endOffset) throw corrupt(`END record at byte ${endOffset}: index offset ${endRecord.indexOffset} lies outside the file's records`);
  // The INDEX records, from END's pointer up to END.
  const indexPayloads: Uint8Array[] = [];
  const types: Uint8Array[] = [];
  const lengths: Uint32Array[] = [];
  const hashes: Uint8Array[] = [];
  let expectFirst = FILE_HEADER_BYTES;
  for (let at = endRecord.indexOffset; at < endOffset; ) {
    const head = source.read(at, 5);
    const length = new DataView(head.buffer, head.byteOffset, 5).getUint32(1, true);
    if (head[0] !== RecordType.index) throw corrupt(`the record at byte ${at} is ${recordName(head[0])} where END's index pointer leads to an INDEX record`);
    if (length > MAX_RECORD_BYTES || at + FRAME_OVERHEAD + length > endOffset) throw corrupt(`INDEX record at byte ${at} claims ${length} bytes, which overlaps END`);
    const payload = readFrame(source, at, RecordType.index, length).slice();
    const { firstOffset, entries } = decodeIndex(new ByteReader(payload, `INDEX record at byte ${at}`));
    if (firstOffset !== expectFirst) throw corrupt(`INDEX record at byte ${at} starts at byte ${firstOffset}, not ${expectFirst} where the previous one ended`);
    for (let i = 0; i < entries.lengths.length; i++) expectFirst += FRAME_OVERHEAD + entries.lengths[i];
    indexPayloads.push(payload);
    types.push(entries.types);
    lengths.push(entries.lengths);
    hashes.push(entries.blobHashes);
    at += FRAME_OVERHEAD + length;
  }
  if (expectFirst !== endRecord.indexOffset) throw corrupt(`the index describes records up to byte ${expectFirst}, but the index itself starts at byte ${endRecord.indexOffset}`);

  const asm = new Assembler(source, options, fileHeader);
  let offset = FILE_HEADER_BYTES;
  for (let part = 0; part < types.length; part++) {
    const t = types[part];
    const l = lengths[part];
    const h = hashes[part];
    let blob = 0;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === RecordType.blob) {
        asm.add({ offset, type: t[i], length: l[i], blobHash: h.subarray(blob * HASH_BYTES, (blob + 1) * HASH_BYTES) });
        blob++;
      } else {
        asm.add({ offset, type: t[i], length: l[i], payload: readFrame(source, offset, t[i], l[i]) });
      }
      offset += FRAME_OVERHEAD + l[i];
    }
  }
  for (const payload of indexPayloads) asm.chain.addPayload(RecordType.index, payload);
  return asm.finish({ record: endRecord, offset: endOffset });
}

/** Reads the file frame by frame (a `.partial` file, or one whose END is missing or damaged). */
function openScanned(source: RecordingSource, options: OpenOptions, fileHeader: Uint8Array): Recording {
  const recovery = options.recovery ?? false;
  const asm = new Assembler(source, options, fileHeader);
  let pos = FILE_HEADER_BYTES;
  // In recovery, anything wrong from here on is the torn tail of a killed recorder: stop and keep what is complete.
  const fail = (err: PrnrError): 'stop' => {
    if (recovery) return 'stop';
    throw err;
  };
  while (pos < source.size) {
    if (source.size - pos < FRAME_OVERHEAD) {
      fail(truncated(`a record header at byte ${pos} is cut off`));
      break;
    }
    const head = source.read(pos, 5 + BLOB_HEAD_BYTES).slice();
    const view = new DataView(head.buffer);
    const type = head[0];
    const length = view.getUint32(1, true);
    const where = `${recordName(type)} record at byte ${pos}`;
    if (length > MAX_RECORD_BYTES) {
      fail(corrupt(`${where} claims ${length} bytes (limit ${MAX_RECORD_BYTES})`));
      break;
    }
    if (length + FRAME_OVERHEAD > source.size - pos) {
      fail(truncated(`${where} needs ${length + FRAME_OVERHEAD} bytes, only ${source.size - pos} remain`));
      break;
    }
    const bytes = source.read(pos, FRAME_OVERHEAD + length);
    if (crc32(bytes.subarray(0, 5 + length)) !== new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(5 + length, true)) {
      fail(corrupt(`${where} fails its checksum`));
      break;
    }
    const payload = bytes.subarray(5, 5 + length);
    if (type === RecordType.end) {
      if (recovery) break; // a .partial file that has END: the rename did not happen; everything before END counts
      const r = new ByteReader(payload, where);
      const record = decodeEnd(r);
      if (pos + FRAME_OVERHEAD + length !== source.size) throw corrupt(`${source.size - pos - FRAME_OVERHEAD - length} bytes after the END record`);
      return asm.finish({ record, offset: pos });
    }
    try {
      if (type === RecordType.index) asm.chain.addPayload(type, payload);
      else if (type === RecordType.blob) asm.add({ offset: pos, type, length, blobHash: blobHeadOf(payload, where).hash });
      else asm.add({ offset: pos, type, length, payload: payload.slice() });
    } catch (err) {
      if (!(err instanceof PrnrError) || fail(err) === 'stop') break;
    }
    pos += FRAME_OVERHEAD + length;
  }
  if (!recovery) throw truncated(asm.snapshots.length === 0 ? 'it has no complete snapshot' : 'it has no END record (the recorder did not finish; open the .partial file to recover it)');
  return asm.finish(undefined);
}

function blobHeadOf(payload: Uint8Array, where: string) {
  const head = decodeBlobHead(new ByteReader(payload, where));
  if (head.size === 0 || head.size > MAX_STATE_BYTES) throw corrupt(`${where}: blob of ${head.size} bytes`);
  return head;
}

/** Folds records, in file order, into a Recording: order rules, the chain, snapshots, slices and the blob table. */
class Assembler {
  readonly chain: ChainBuilder;
  readonly blobs = new BlobTable();
  readonly snapshots: SnapshotRecord[] = [];
  private readonly slices: Slice[] = [];
  private readonly snapshotBytes: number[] = [];
  private header: RecordingHeader | undefined;
  private ramTree: MerkleTree | undefined;
  private diskTree: MerkleTree | undefined;
  private readonly zero: Uint8Array;
  private pendingEvents: RecordSeen | undefined;
  private pendingOutput: RecordSeen | undefined;
  private pendingBlobs: Array<[Uint8Array, number, number]> = [];
  private sliceStart = FILE_HEADER_BYTES;
  /** End of the last complete snapshot's record (what recovery keeps). */
  private usedBytes = FILE_HEADER_BYTES;
  private lastHead: Uint8Array;

  constructor(
    private readonly source: RecordingSource,
    private readonly options: OpenOptions,
    fileHeader: Uint8Array,
  ) {
    this.lastHead = chainSeed(options.sha256, fileHeader);
    this.chain = new ChainBuilder(options.sha256, this.lastHead);
    this.zero = zeroPageHash(options.sha256);
  }

  add(rec: RecordSeen): void {
    const where = `${recordName(rec.type)} record at byte ${rec.offset}`;
    if (this.header === undefined) {
      if (rec.type !== RecordType.header || !rec.payload) throw corrupt(`the first record is ${recordName(rec.type)}, not the header`);
      this.header = decodeHeader(rec.payload);
      this.ramTree = new MerkleTree(this.options.sha256, this.header.machine.ramPages);
      this.diskTree = new MerkleTree(this.options.sha256, this.header.machine.diskBlocks);
      this.chain.addPayload(rec.type, rec.payload);
      return;
    }
    switch (rec.type) {
      case RecordType.header:
        throw corrupt(`${where}: a second header`);
      case RecordType.blob:
        if (rec.length < BLOB_HEAD_BYTES + 1) throw corrupt(`${where}: a blob record of ${rec.length} bytes`);
        this.chain.add(rec.type, rec.length, rec.blobHash!);
        this.pendingBlobs.push([rec.blobHash!, rec.offset, rec.length]);
        return;
      case RecordType.events:
      case RecordType.output: {
        const [kind, pending] = rec.type === RecordType.events ? ['inputs', this.pendingEvents] : ['output', this.pendingOutput];
        if (pending) throw corrupt(`${where}: two ${kind} records in one slice`);
        if (this.snapshots.length === 0) throw corrupt(`${where}: ${kind} before snapshot 0`);
        if (rec.type === RecordType.events) this.pendingEvents = rec;
        else this.pendingOutput = rec;
        this.chain.addPayload(rec.type, rec.payload!);
        return;
      }
      case RecordType.snapshot:
        this.snapshot(rec, where);
        return;
      default:
        throw corrupt(`${where}: a record of type ${recordName(rec.type)} does not belong here`);
    }
  }

  private snapshot(rec: RecordSeen, where: string): void {
    const header = this.header!;
    const s = decodeSnapshot(new ByteReader(rec.payload!, where), header.machine.ramPages, header.machine.diskBlocks);
    const head = this.chain.seal();
    const prev = this.snapshots[this.snapshots.length - 1];
    if (!bytesEqual(head, s.chain)) {
      const what = prev ? `slice ${prev.index} (bytes ${this.sliceStart}–${rec.offset}, after snapshot ${prev.index})` : `the header and snapshot 0's blobs (bytes ${FILE_HEADER_BYTES}–${rec.offset})`;
      throw tampered(`the records of ${what} do not match the integrity chain snapshot ${s.index} at byte ${rec.offset} commits to: a record there was edited, added, dropped or moved`);
    }
    if (s.index !== this.snapshots.length) throw corrupt(`${where}: snapshot ${s.index} where ${this.snapshots.length} was expected`);
    if (prev && s.tick <= prev.tick) throw corrupt(`${where}: snapshot ${s.index} at tick ${s.tick} is not after snapshot ${prev.index} at tick ${prev.tick}`);
    if (!prev && (s.ramPages.length !== header.machine.ramPages || s.diskBlocks.length !== header.machine.diskBlocks)) {
      throw corrupt(`${where}: snapshot 0 must list every RAM page and disk block`);
    }
    for (const [hash, offset, length] of this.pendingBlobs) this.blobs.add(hash, offset, length);
    this.pendingBlobs = [];
    const has = (hash: Uint8Array) => bytesEqual(hash, this.zero) || this.blobs.has(hash);
    if (!has(s.stateHash)) throw corrupt(`${where}: its CPU/device state blob is not in the recording`);
    if (prev) {
      for (let i = 0; i < s.ramPages.length; i++) {
        if (!has(s.ramHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES))) throw corrupt(`${where}: RAM page ${s.ramPages[i]} refers to content that is not in the recording`);
      }
      for (let i = 0; i < s.diskBlocks.length; i++) {
        if (!has(s.diskHashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES))) throw corrupt(`${where}: disk block ${s.diskBlocks[i]} refers to content that is not in the recording`);
      }
      this.slices.push(this.lazySlice(prev, s, this.pendingEvents, this.pendingOutput));
    }
    this.pendingEvents = undefined;
    this.pendingOutput = undefined;
    if (this.options.verifyRoots ?? true) {
      for (let i = 0; i < s.ramPages.length; i++) this.ramTree!.setLeaf(s.ramPages[i], s.ramHashes.subarray(i * HASH_BYTES));
      for (let i = 0; i < s.diskBlocks.length; i++) this.diskTree!.setLeaf(s.diskBlocks[i], s.diskHashes.subarray(i * HASH_BYTES));
      const root = stateRoot(this.options.sha256, s.stateHash, this.ramTree!.root(), this.diskTree!.root());
      if (!bytesEqual(root, s.root)) throw tampered(`snapshot ${s.index}'s state root does not match its state and pages`);
    }
    this.snapshots.push(s);
    this.chain.addPayload(rec.type, rec.payload!);
    this.lastHead = head;
    const endOfRecord = rec.offset + FRAME_OVERHEAD + rec.length;
    this.snapshotBytes.push(endOfRecord - this.sliceStart);
    this.sliceStart = endOfRecord;
    this.usedBytes = endOfRecord;
  }

  /** A slice whose inputs and output are read, checked against the digest the chain holds, and decoded on first use. */
  private lazySlice(prev: SnapshotRecord, s: SnapshotRecord, events: RecordSeen | undefined, output: RecordSeen | undefined): Slice {
    const sha256 = this.options.sha256;
    const source = this.source;
    const load = <T extends { tick: bigint }>(rec: RecordSeen | undefined, decode: (r: ByteReader, start: bigint) => T[], inSlice: (t: bigint) => boolean, what: string): (() => T[]) => {
      if (!rec) return () => [];
      const digest = sha256(rec.payload!);
      let cached: T[] | undefined;
      // Validate now (a malformed record is an error at open), keep only its place.
      const check = (payload: Uint8Array): T[] => {
        const where = `${recordName(rec.type)} record at byte ${rec.offset}`;
        const items = decode(new ByteReader(payload, where), prev.tick);
        for (const item of items) if (!inSlice(item.tick)) throw corrupt(`${where}: ${what} at tick ${item.tick} lies outside slice ${prev.index} [${prev.tick}, ${s.tick})`);
        return items;
      };
      check(rec.payload!);
      return () => {
        if (cached) return cached;
        const payload = readFrame(source, rec.offset, rec.type, rec.length);
        if (!bytesEqual(sha256(payload), digest)) throw tampered(`${recordName(rec.type)} record at byte ${rec.offset} changed after the recording was opened`);
        return (cached = check(payload));
      };
    };
    const events$ = load(events, decodeEvents, (t) => t >= prev.tick && t < s.tick, 'an input');
    const output$ = load(output, decodeOutput, (t) => t > prev.tick && t <= s.tick, 'output');
    return {
      index: prev.index,
      startTick: prev.tick,
      endTick: s.tick,
      get events() {
        return events$();
      },
      get output() {
        return output$();
      },
    };
  }

  finish(end: { record: EndRecordV2; offset: number } | undefined): Recording {
    const header = this.header;
    if (header === undefined) throw truncated('it has no header record');
    if (this.snapshots.length === 0) throw truncated('it has no complete snapshot');
    let digest = this.lastHead;
    let signature: Recording['signature'];
    if (end) {
      const { record, offset } = end;
      const where = `END record at byte ${offset}`;
      const last = this.snapshots[this.snapshots.length - 1];
      if (this.pendingBlobs.length || this.pendingEvents || this.pendingOutput) throw corrupt(`${where}: records after the last snapshot`);
      if (record.snapshotCount !== this.snapshots.length || record.endTick !== last.tick) {
        throw corrupt(`${where}: says ${record.snapshotCount} snapshots ending at tick ${record.endTick}, the file has ${this.snapshots.length} ending at tick ${last.tick}`);
      }
      const head = this.chain.seal();
      if (!bytesEqual(head, record.chain)) throw tampered(`${where}: the records after snapshot ${last.index} do not match the integrity chain END seals (the file was cut, extended or re-sealed)`);
      digest = head;
      if (record.signature) {
        if (this.options.verifySignature) {
          const ok = this.options.verifySignature(record.signature.publicKey, signedEndBytes(record), record.signature.signature);
          if (!ok) throw tampered(`${where}: its Ed25519 signature does not match (key ${toHex(record.signature.publicKey).slice(0, 16)}…)`);
          signature = 'valid';
        } else {
          signature = 'unchecked';
        }
      }
    }
    const source = this.source;
    const options = this.options;
    const blobs = this.blobs;
    const zero = this.zero;
    const readBlob = (hash: Uint8Array, offset: number, length: number, kind: BlobKind | undefined, verify: boolean): Uint8Array => {
      const where = `BLOB record at byte ${offset}`;
      const payload = readFrame(source, offset, RecordType.blob, length);
      const blobHead = blobHeadOf(payload, where);
      if (!bytesEqual(blobHead.hash, hash)) throw tampered(`${where} holds ${toHex(blobHead.hash).slice(0, 16)}… where the index says ${toHex(hash).slice(0, 16)}…`);
      if (kind === 'page' && blobHead.size !== PAGE_BYTES) throw tampered(`${where} is used as a 4 KiB page but holds ${blobHead.size} bytes`);
      const content = decodeBlobContent(blobHead.encoding, payload.subarray(BLOB_HEAD_BYTES), blobHead.size, where, options.deflate).slice();
      if (verify && !bytesEqual(options.sha256(content), hash)) throw tampered(`${where}: content does not match its sha256 ${toHex(hash).slice(0, 16)}…`);
      return content;
    };
    // A blob is a CPU/device state if a snapshot names it so, else a page or disk block.
    const stateHashes = new Set(this.snapshots.map((s) => hashKey(s.stateHash)));
    const kindOf = (hash: Uint8Array): BlobKind => (stateHashes.has(hashKey(hash)) ? 'state' : 'page');
    const snapshots = this.snapshots;
    /** A page or block that names a state blob (of another size) as its content would break the machine when restored. */
    const checkPageReferences = (stateSizes: Map<string, number>) => {
      for (const s of snapshots.slice(1)) {
        for (const [what, units, hashes] of [['RAM page', s.ramPages, s.ramHashes], ['disk block', s.diskBlocks, s.diskHashes]] as const) {
          for (let i = 0; i < units.length; i++) {
            const size = stateSizes.get(hashKey(hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)));
            if (size !== undefined && size !== PAGE_BYTES) throw tampered(`snapshot ${s.index} gives ${what} ${units[i]} the content of a ${size}-byte state blob, not 4 KiB`);
          }
        }
      }
    };
    return {
      header,
      complete: end !== undefined,
      end: end?.record,
      digest,
      signature,
      snapshots: this.snapshots,
      slices: this.slices,
      usedBytes: end ? source.size : this.usedBytes,
      fileBytes: source.size,
      snapshotBytes: this.snapshotBytes,
      hasBlob: (hash) => blobs.has(hash) || bytesEqual(hash, zero),
      blobRecord(hash) {
        const at = blobs.locate(hash);
        return at && [at.offset, FRAME_OVERHEAD + at.length];
      },
      blobCount: blobs.count,
      blob(hash, kind) {
        const at = blobs.locate(hash);
        if (at) return readBlob(hash, at.offset, at.length, kind, options.verifyBlobs ?? true);
        if (bytesEqual(hash, zero)) return new Uint8Array(PAGE_BYTES);
        return undefined;
      },
      blobBytes() {
        const bytes = { stored: 0, content: 0 };
        for (const [hash, offset, length] of blobs.entries()) {
          bytes.stored += length - BLOB_HEAD_BYTES;
          if (kindOf(hash) === 'page') bytes.content += PAGE_BYTES;
          else bytes.content += blobHeadOf(source.read(offset + 5, BLOB_HEAD_BYTES), `BLOB record at byte ${offset}`).size;
        }
        return bytes;
      },
      verifyBlobs(onProgress) {
        let done = 0;
        const bytes = { stored: 0, content: 0 };
        const stateSizes = new Map<string, number>();
        for (const [hash, offset, length] of blobs.entries()) {
          const kind = kindOf(hash);
          const size = readBlob(hash, offset, length, kind, true).length;
          if (kind === 'state') stateSizes.set(hashKey(hash), size);
          bytes.stored += length - BLOB_HEAD_BYTES;
          bytes.content += size;
          if (++done % 4096 === 0) onProgress?.(done, blobs.count);
        }
        checkPageReferences(stateSizes);
        onProgress?.(done, blobs.count);
        return bytes;
      },
    };
  }
}

function hasMagic(data: Uint8Array): boolean {
  for (let i = 0; i < RECORDING_MAGIC.length; i++) if (data[i] !== RECORDING_MAGIC.charCodeAt(i)) return false;
  return true;
}

function printable(bytes: Uint8Array): string {
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
