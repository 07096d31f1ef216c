// Appends a recording to a sink as it runs (docs/recording-format.md): the
// file header and HEADER record first, then per slice its new blobs, its
// inputs and output, and its SNAPSHOT record, synced; END last, after which
// the sink publishes the file (e.g. renames <out>.partial to <out>).
import { concatBytes } from '../../shared/bytes';
import {
  frameBlobParts,
  encodeEnd,
  encodeEvents,
  encodeHeader,
  encodeOutput,
  encodeSnapshot,
  fileHeader,
  frame,
  RecordType,
  type EndRecord,
  type InputEvent,
  type OutputChunk,
  type RecordingHeader,
  type SnapshotRecord,
} from '../../shared/recording/format';

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

export class RecordingWriter {
  private readonly stored = new Set<string>();
  bytesWritten = 0;

  constructor(
    private readonly sink: RecordingSink,
    header: RecordingHeader,
  ) {
    this.append(fileHeader());
    this.append(frame(RecordType.header, encodeHeader(header)));
  }

  private append(bytes: Uint8Array): void {
    this.sink.append(bytes);
    this.bytesWritten += bytes.length;
  }

  /** Stores a blob unless one with this hash is stored already; returns the bytes written. */
  blob(hash: Uint8Array, content: Uint8Array): number {
    const key = blobKey(hash);
    if (this.stored.has(key)) return 0;
    this.stored.add(key);
    let length = 0;
    for (const part of frameBlobParts(hash, content)) {
      this.append(part);
      length += part.length;
    }
    return length;
  }

  /** Closes a slice: its inputs and output (ticks relative to `sliceStart`), then the snapshot that ends it; synced. */
  snapshot(sliceStart: bigint, events: readonly InputEvent[], output: readonly OutputChunk[], snapshot: SnapshotRecord): number {
    const before = this.bytesWritten;
    if (snapshot.index > 0) {
      if (events.length > 0) this.append(frame(RecordType.events, encodeEvents(sliceStart, events)));
      if (output.length > 0) this.append(frame(RecordType.output, encodeOutput(sliceStart, output)));
    }
    this.append(frame(RecordType.snapshot, encodeSnapshot(snapshot)));
    this.sink.sync();
    return this.bytesWritten - before;
  }

  end(record: EndRecord): void {
    this.append(frame(RecordType.end, encodeEnd(record)));
    this.sink.sync();
    this.sink.finish();
  }
}

/** A Set key for a 32-byte hash: one char per byte (cheaper to build than hex, and only ever compared). */
function blobKey(hash: Uint8Array): string {
  return String.fromCharCode.apply(null, hash as unknown as number[]);
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
