// Appends a recording to a sink as it runs (docs/recording-format.md): the
// file header and HEADER record first, then per slice its new blobs (each
// stored in its smallest worthwhile encoding), its inputs and output, and its
// SNAPSHOT record, which commits to the integrity chain so far; synced. At
// the end the INDEX of every record and END, which seals the chain (and may
// be signed); then the sink publishes the file (renames <out>.partial to <out>).
import { concatBytes } from '../../shared/bytes';
import type { Sha256 } from '../../shared/sha256';
import { hashKey } from '../../shared/recording/blob-table';
import { ChainBuilder, chainSeed } from '../../shared/recording/chain';
import {
  encodeEnd,
  encodeEvents,
  encodeHeader,
  encodeIndex,
  encodeOutput,
  encodeSnapshot,
  fileHeader,
  frame,
  frameBlobParts,
  FILE_HEADER_BYTES,
  FRAME_OVERHEAD,
  signedEndBytes,
  RecordType,
  type EndRecord,
  type InputEvent,
  type OutputChunk,
  type RecordingHeader,
  type SnapshotRecord,
} from '../../shared/recording/format';
import { HASH_BYTES } from '../../shared/recording/merkle';
import { BlobEncoding, encodeBlobContent, type DeflateCodec } from '../../shared/recording/page-codec';

/** Where the bytes go. Synchronous, so a recorder on a worker can use it between runs. */
export interface RecordingSink {
  /**
   * Appends bytes. They may be a view of machine memory, valid only until the
   * next sync() (the recorder calls it before the machine runs again): a
   * sink that keeps them longer copies them.
   */
  append(bytes: Uint8Array): void;
  /** Makes everything appended so far durable (fsync). */
  sync(): void;
  /** Publishes the finished recording; nothing is visible under the final name before. */
  finish(): void;
}

/** Signs END (Ed25519): returns the public key and the signature of `message`. */
export type Signer = (message: Uint8Array) => { publicKey: Uint8Array; signature: Uint8Array };

export interface WriterOptions {
  sha256: Sha256;
  /** Deflate for blobs that sparse words do not shrink; without it they are stored raw or sparse. */
  deflate?: DeflateCodec;
  sign?: Signer;
  /** Store every blob raw (benchmarks compare against it). */
  raw?: boolean;
}

/** Entries an INDEX record holds at most (37 bytes each for blobs: well under the record limit). */
const INDEX_ENTRIES_PER_RECORD = 1 << 20;

export class RecordingWriter {
  private readonly stored = new Set<string>();
  private readonly chain: ChainBuilder;
  private readonly index = new IndexBuilder();
  bytesWritten = 0;
  /** Content bytes of the blobs stored, before encoding (what an uncompressed recording would hold). */
  blobContentBytes = 0;

  constructor(
    private readonly sink: RecordingSink,
    header: RecordingHeader,
    private readonly options: WriterOptions,
  ) {
    const head = fileHeader();
    this.chain = new ChainBuilder(options.sha256, chainSeed(options.sha256, head));
    this.append(head);
    this.record(RecordType.header, encodeHeader(header));
  }

  private append(bytes: Uint8Array): void {
    this.sink.append(bytes);
    this.bytesWritten += bytes.length;
  }

  /** Frames and appends a non-blob record, folding it into the chain and the index. */
  private record(type: RecordType, payload: Uint8Array, indexed = true): void {
    if (indexed) this.index.add(type, payload.length);
    this.chain.addPayload(type, payload);
    this.append(frame(type, payload));
  }

  /** Stores a blob unless one with this hash is stored already; returns the bytes written. */
  blob(hash: Uint8Array, content: Uint8Array): number {
    const key = hashKey(hash);
    if (this.stored.has(key)) return 0;
    this.stored.add(key);
    const { encoding, stored } = this.options.raw ? { encoding: BlobEncoding.raw, stored: content } : encodeBlobContent(content, this.options.deflate);
    const parts = frameBlobParts({ hash, encoding, size: content.length }, stored);
    const payloadLength = parts[0].length - 5 + stored.length;
    this.index.add(RecordType.blob, payloadLength, hash);
    this.chain.add(RecordType.blob, payloadLength, hash);
    let length = 0;
    for (const part of parts) {
      this.append(part);
      length += part.length;
    }
    this.blobContentBytes += content.length;
    return length;
  }

  /** Closes a slice: its inputs and output (ticks relative to `sliceStart`), then the snapshot that ends it; synced. */
  snapshot(sliceStart: bigint, events: readonly InputEvent[], output: readonly OutputChunk[], snapshot: Omit<SnapshotRecord, 'chain'>): number {
    const before = this.bytesWritten;
    if (snapshot.index > 0) {
      if (events.length > 0) this.record(RecordType.events, encodeEvents(sliceStart, events));
      if (output.length > 0) this.record(RecordType.output, encodeOutput(sliceStart, output));
    }
    const chain = this.chain.seal();
    this.record(RecordType.snapshot, encodeSnapshot({ ...snapshot, chain }));
    this.sink.sync();
    return this.bytesWritten - before;
  }

  /** Writes the INDEX and END (signed if a signer was given), syncs and publishes. Returns the recording's digest. */
  end(record: EndRecord): Uint8Array {
    const indexOffset = this.bytesWritten;
    for (const payload of this.index.payloads()) this.record(RecordType.index, payload, false);
    const chain = this.chain.seal();
    const sealed = { ...record, chain, indexOffset };
    const signature = this.options.sign?.(signedEndBytes(sealed));
    this.append(frame(RecordType.end, encodeEnd({ ...sealed, signature })));
    this.sink.sync();
    this.sink.finish();
    return chain;
  }
}

/** The INDEX: type and length of every record, and each blob's hash, in file order. */
class IndexBuilder {
  private types = new Uint8Array(4096);
  private lengths = new Uint32Array(4096);
  private hashes = new Uint8Array(4096 * HASH_BYTES);
  private count = 0;
  private blobs = 0;

  add(type: RecordType, length: number, hash?: Uint8Array): void {
    if (this.count === this.types.length) {
      this.types = grow(this.types, this.types.length * 2);
      this.lengths = grow(this.lengths, this.lengths.length * 2);
    }
    this.types[this.count] = type;
    this.lengths[this.count++] = length;
    if (hash) {
      if ((this.blobs + 1) * HASH_BYTES > this.hashes.length) this.hashes = grow(this.hashes, this.hashes.length * 2);
      this.hashes.set(hash.subarray(0, HASH_BYTES), this.blobs++ * HASH_BYTES);
    }
  }

  /** INDEX payloads of at most INDEX_ENTRIES_PER_RECORD entries each, the first describing the record after the file header. */
  *payloads(): Generator<Uint8Array> {
    let offset = FILE_HEADER_BYTES;
    let blob = 0;
    for (let from = 0; from < this.count; from += INDEX_ENTRIES_PER_RECORD) {
      const to = Math.min(this.count, from + INDEX_ENTRIES_PER_RECORD);
      const types = this.types.subarray(from, to);
      const lengths = this.lengths.subarray(from, to);
      let blobs = 0;
      for (let i = 0; i < types.length; i++) if (types[i] === RecordType.blob) blobs++;
      yield encodeIndex(offset, types, lengths, this.hashes.subarray(blob * HASH_BYTES, (blob + blobs) * HASH_BYTES));
      blob += blobs;
      for (let i = 0; i < lengths.length; i++) offset += FRAME_OVERHEAD + lengths[i];
    }
  }
}

function grow<T extends Uint8Array | Uint32Array>(a: T, size: number): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
}

/** A sink in memory (tests, the browser before it saves). */
export class MemorySink implements RecordingSink {
  private chunks: Uint8Array[] = [];
  finished = false;
  syncs = 0;

  append(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
  }

  sync(): void {
    this.syncs++;
  }

  finish(): void {
    this.finished = true;
  }

  bytes(): Uint8Array {
    const out = concatBytes(this.chunks);
    this.chunks = [out];
    return out;
  }
}
