// The processing half of a snapshot (capture.ts holds the other): keeps the
// hash of every RAM page and disk block and their Merkle trees, hashes the
// captured units, drops the unchanged ones, stores the new content once,
// computes the state root and writes the slice (docs/recording-format.md).
// Runtime-neutral: the recorder runs it on its own thread by default (the
// browser, tests); in Node a worker runs it (src/engine/node/snapshot.worker.ts).
import type { Sha256 } from '../../shared/sha256';
import { bytesEqual } from '../../shared/sha256';
import { type EndRecord, type RecordingHeader } from '../../shared/recording/format';
import { HASH_BYTES, MerkleTree, stateRoot } from '../../shared/recording/merkle';
import { rehashUnits, type UnitChanges } from '../snapshot/page-tracker';
import { isZeroUnit, zeroPageHash } from '../../shared/recording/units';
import { unitOffset, type CapturedSnapshot } from './capture';
import { RecordingWriter, type RecordingSink, type WriterOptions } from './writer';

export interface ProcessedSnapshot {
  index: number;
  /** Bytes this snapshot added to the recording, and the recording's size after it. */
  bytes: number;
  bytesWritten: number;
  ramPagesChanged: number;
  diskBlocksChanged: number;
  /** Time spent hashing and writing. */
  processMs: number;
  /** The capture's buffer, handed back for reuse (CaptureBuffers). */
  buffer?: ArrayBuffer;
}

export class SnapshotProcessor {
  private readonly writer: RecordingWriter;
  private readonly ram: MerkleTree;
  private readonly disk: MerkleTree;
  private readonly zero: Uint8Array;

  private readonly sha256: Sha256;

  /** Writes the file header and HEADER record. */
  constructor(sink: RecordingSink, options: WriterOptions, header: RecordingHeader) {
    this.sha256 = options.sha256;
    const sha256 = options.sha256;
    this.zero = zeroPageHash(sha256);
    this.ram = new MerkleTree(sha256, header.machine.ramPages);
    this.disk = new MerkleTree(sha256, header.machine.diskBlocks);
    this.writer = new RecordingWriter(sink, header, options);
  }

  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  /** Hashes and writes one captured snapshot; captures must come in order. */
  process(capture: CapturedSnapshot, now: () => number): ProcessedSnapshot {
    const started = now();
    const before = this.writer.bytesWritten;
    const bytes = new Uint8Array(capture.buffer);
    const state = bytes.subarray(0, capture.stateBytes);
    const stateHash = this.sha256(state);
    this.writer.blob(stateHash, state);
    const unit = (k: number) => bytes.subarray(unitOffset(capture, k), unitOffset(capture, k + 1));
    const ramCount = capture.ramPages.length;
    const first = capture.index === 0;
    // Snapshot 0 follows a boot from zeroed RAM: every page it did not capture is zero.
    if (first) for (const tree of [this.ram, this.disk]) tree.setAll(repeat(this.zero, tree.leafCount));
    const given = capture.unitHashes;
    const hashOf = given ? (k: number) => given.subarray(k * HASH_BYTES, (k + 1) * HASH_BYTES) : (k: number) => this.hashContent(unit(k));
    let ram = rehashUnits(this.ram, capture.ramPages, hashOf);
    let disk = rehashUnits(this.disk, capture.diskBlocks, (k) => hashOf(ramCount + k));
    if (first) {
      // The boot reproduces snapshot 0's units: the record lists every hash and no content is stored.
      ram = allUnits(this.ram);
      disk = allUnits(this.disk);
    } else {
      this.store(ram, capture.ramPages, (k) => unit(k));
      this.store(disk, capture.diskBlocks, (k) => unit(ramCount + k));
    }
    this.writer.snapshot(capture.sliceStart, capture.events, capture.output, {
      index: capture.index,
      tick: capture.tick,
      root: stateRoot(this.sha256, stateHash, this.ram.root(), this.disk.root()),
      stateHash,
      ramPages: Uint32Array.from(ram.ids),
      ramHashes: ram.hashes,
      diskBlocks: Uint32Array.from(disk.ids),
      diskHashes: disk.hashes,
    });
    const bytesWritten = this.writer.bytesWritten;
    return { index: capture.index, bytes: bytesWritten - before, bytesWritten, ramPagesChanged: ram.ids.length, diskBlocksChanged: disk.ids.length, processMs: now() - started, buffer: capture.buffer };
  }

  /** Writes the index and END, publishes the recording, and returns its digest. */
  end(record: EndRecord): Uint8Array {
    return this.writer.end(record);
  }

  private hashContent(page: Uint8Array): Uint8Array {
    return isZeroUnit(page) ? this.zero : this.sha256(page);
  }

  /** Stores the content of changed units (once per hash; zero pages never); `changes.ids` is a subsequence of `captured`. */
  private store(changes: UnitChanges, captured: Uint32Array, content: (k: number) => Uint8Array): void {
    for (let i = 0, k = 0; i < changes.ids.length; i++) {
      while (captured[k] !== changes.ids[i]) k++;
      const hash = changes.hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
      if (!bytesEqual(hash, this.zero)) this.writer.blob(hash, content(k));
    }
  }
}

function repeat(hash: Uint8Array, count: number): Uint8Array {
  const out = new Uint8Array(count * HASH_BYTES);
  for (let i = 0; i < count; i++) out.set(hash, i * HASH_BYTES);
  return out;
}

function allUnits(tree: MerkleTree): UnitChanges {
  return { ids: Array.from({ length: tree.leafCount }, (_, i) => i), hashes: tree.leaves().slice() };
}

/** Where captured snapshots go: processed at once on this thread, or handed to another (src/engine/node/snapshot-worker.ts). */
export interface SnapshotPipeline {
  /** Starts the recording (file header and HEADER record). */
  start(header: RecordingHeader): void;
  /**
   * Hands a snapshot over, with its buffer (the caller must not touch it
   * again); may wait while too many are in flight. Returns the snapshots
   * processed since the last call; throws the pipeline's first error.
   */
  submit(capture: CapturedSnapshot): ProcessedSnapshot[];
  /** Writes END after every snapshot, makes the file durable and publishes it; returns the snapshots processed since the last call. */
  finish(end: EndRecord): ProcessedSnapshot[];
  /** The recording's size so far (as far as processed). */
  readonly bytesWritten: number;
}

/** Processes each snapshot as it is submitted, on the caller's thread. */
export class InThreadPipeline implements SnapshotPipeline {
  private processor: SnapshotProcessor | undefined;

  constructor(
    private readonly sink: RecordingSink,
    private readonly writerOptions: WriterOptions,
    private readonly now: () => number,
  ) {}

  start(header: RecordingHeader): void {
    this.processor = new SnapshotProcessor(this.sink, this.writerOptions, header);
  }

  submit(capture: CapturedSnapshot): ProcessedSnapshot[] {
    return [this.started().process(capture, this.now)];
  }

  finish(end: EndRecord): ProcessedSnapshot[] {
    this.started().end(end);
    return [];
  }

  get bytesWritten(): number {
    return this.processor?.bytesWritten ?? 0;
  }

  private started(): SnapshotProcessor {
    if (!this.processor) throw new Error('InThreadPipeline: start() first');
    return this.processor;
  }
}
