// Where a recording's bytes come from: random access by offset, so a reader
// opens a file of any size through its index and fetches only what it uses
// (docs/design.md 6, "Reading by parts").
//
// The reader is synchronous and reads a RecordingSource: bytes in memory
// (here), a file descriptor in Node (src/engine/node/recording-file.ts).
// A source whose reads are asynchronous (HTTP ranges for a shared link,
// src/engine/http-range.ts; an OPFS file in the browser,
// src/engine/web/opfs.ts) is a RangeReader, read through a PartialSource:
// the parts loaded so far, read synchronously, and a read of anything else
// fails with RECORDING_NOT_LOADED and is remembered, so its caller loads
// what was missing and tries again. open-parts.ts opens a recording so
// (header, END and index first, then the small records) and loads what a
// snapshot's restore needs.
import { PrnrError } from '../errors';

export interface RecordingSource {
  /** Total bytes. */
  readonly size: number;
  /** `length` bytes at `offset` (fewer only at the end of the source). May be a view: do not keep it across reads. */
  read(offset: number, length: number): Uint8Array;
  /** A name for messages, e.g. the file path. */
  readonly name?: string;
}

/** A recording held in memory (tests, a worker's shared buffer, a file read whole). */
export function bytesSource(data: Uint8Array, name?: string): RecordingSource {
  return {
    size: data.length,
    name,
    read: (offset, length) => data.subarray(offset, Math.min(data.length, offset + length)),
  };
}

/** Random access with asynchronous reads: what an HTTP server with ranges, a Blob or an OPFS file offers. */
export interface RangeReader {
  /** Total bytes. */
  readonly size: number;
  /** A name for messages, e.g. the URL. */
  readonly name?: string;
  /** `length` bytes at `offset` (fewer only at the end). Called with ranges within the size only. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Several ranges ([offset, length], sorted, apart) in one go, where the source can (one HTTP request of several ranges); else each is a read. */
  readRanges?(ranges: ReadonlyArray<readonly [number, number]>): Promise<Uint8Array[]>;
  /** Bytes the source fetched while opening (the first HTTP answer), loaded into its PartialSource at once. */
  readonly initial?: { start: number; bytes: Uint8Array };
}

/** A RangeReader over bytes in memory (tests; a server that answered a range request with the whole file). */
export function bytesRangeReader(data: Uint8Array, name?: string): RangeReader {
  return { size: data.length, name, read: async (offset, length) => data.slice(offset, offset + length) };
}

/** Ranges closer than this are loaded as one (fewer requests for a little more data)… */
export const RANGE_MERGE_GAP = 64 * 1024;
/** …or than this where several ranges go in one request (a range costs a part header there, not a round trip). */
export const MULTI_RANGE_MERGE_GAP = 4 * 1024;
/** Range requests in flight at once. */
const PARALLEL_READS = 6;
/** A readRanges call asks for at most so many ranges (an HTTP Range header under 8 KiB; Node's limit for all headers is 16)… */
export const RANGES_PER_READ = 400;
/** …and so many bytes, so a long load lands in steps. */
const BYTES_PER_READ = 16 * 2 ** 20;

interface Part {
  start: number;
  bytes: Uint8Array;
}

/**
 * The parts of a RangeReader loaded so far, as a synchronous RecordingSource.
 * A read of bytes not loaded throws RECORDING_NOT_LOADED and is kept in
 * `missing` until loadMissing().
 */
export class PartialSource implements RecordingSource {
  /** Loaded parts, sorted by start, neither overlapping nor touching. */
  private parts: Part[] = [];
  private pending: Array<[number, number]> = [];
  private completed: { promise: Promise<void>; resolve(): void } | undefined;

  constructor(readonly reader: RangeReader) {
    if (reader.initial && reader.initial.bytes.length > 0) this.insert(reader.initial.start, reader.initial.bytes);
  }

  get size(): number {
    return this.reader.size;
  }

  get name(): string | undefined {
    return this.reader.name;
  }

  /** Bytes loaded so far. */
  get loadedBytes(): number {
    return this.parts.reduce((sum, p) => sum + p.bytes.length, 0);
  }

  /** True once every byte is loaded. */
  get complete(): boolean {
    return this.size === 0 || (this.parts.length === 1 && this.parts[0].start === 0 && this.parts[0].bytes.length === this.size);
  }

  /** Resolves once every byte is loaded (at once if it is). */
  whenComplete(): Promise<void> {
    if (!this.completed) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.completed = { promise, resolve };
      if (this.complete) resolve();
    }
    return this.completed.promise;
  }

  /** Reads that failed since the last loadMissing(), as [offset, length]. */
  get missing(): ReadonlyArray<readonly [number, number]> {
    return this.pending;
  }

  read(offset: number, length: number): Uint8Array {
    const end = Math.min(this.size, offset + length);
    if (end <= offset) return new Uint8Array(0);
    const part = this.partAt(offset);
    if (part && part.start + part.bytes.length >= end) return part.bytes.subarray(offset - part.start, end - part.start);
    this.pending.push([offset, end - offset]);
    throw new PrnrError('RECORDING_NOT_LOADED', `${this.name ?? 'the recording'}: bytes ${offset}-${end} are not loaded yet`);
  }

  /** The whole file, once complete (a view: do not change it). */
  whole(): Uint8Array {
    if (!this.complete) throw new PrnrError('RECORDING_NOT_LOADED', `${this.name ?? 'the recording'} is not loaded whole`);
    return this.parts[0]?.bytes ?? new Uint8Array(0);
  }

  /** Loads the ranges not loaded yet (close ones as one read). */
  async load(ranges: ReadonlyArray<readonly [number, number]>): Promise<void> {
    const wanted = mergeRanges(ranges.flatMap(([offset, length]) => this.gaps(offset, Math.min(this.size, offset + length))), this.reader.readRanges ? MULTI_RANGE_MERGE_GAP : RANGE_MERGE_GAP);
    // Each request one range, or, where the reader takes several at once, a batch of them.
    const requests = this.reader.readRanges ? batches(wanted) : wanted.map((range) => [range]);
    for (let i = 0; i < requests.length; i += PARALLEL_READS) {
      const round = requests.slice(i, i + PARALLEL_READS);
      const read = await Promise.all(round.map((batch) => this.readBatch(batch)));
      round.forEach((batch, k) =>
        batch.forEach(([start, end], j) => {
          if (read[k][j].length !== end - start) throw new PrnrError('RECORDING_TRUNCATED', `recording is truncated: ${this.name ?? 'its source'} gave ${read[k][j].length} bytes for ${start}-${end}`);
          this.insert(start, read[k][j]);
        }),
      );
    }
  }

  private readBatch(batch: Array<[number, number]>): Promise<Uint8Array[]> {
    if (batch.length === 1 || !this.reader.readRanges) return Promise.all(batch.map(([start, end]) => this.reader.read(start, end - start)));
    return this.reader.readRanges(batch.map(([start, end]) => [start, end - start]));
  }

  /** Loads what reads failed for since the last call. */
  async loadMissing(): Promise<void> {
    const missing = this.pending;
    this.pending = [];
    await this.load(missing);
  }

  /** Loads every byte not loaded yet. */
  loadAll(): Promise<void> {
    return this.load([[0, this.size]]);
  }

  private partAt(offset: number): Part | undefined {
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = this.parts[mid];
      if (offset < p.start) hi = mid - 1;
      else if (offset >= p.start + p.bytes.length) lo = mid + 1;
      else return p;
    }
    return undefined;
  }

  /** The stretches of [start, end) not loaded, as [start, end) pairs. */
  private gaps(start: number, end: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let at = start;
    for (const p of this.parts) {
      if (at >= end) break;
      const pEnd = p.start + p.bytes.length;
      if (pEnd <= at) continue;
      if (p.start > at) out.push([at, Math.min(p.start, end)]);
      at = Math.max(at, pEnd);
    }
    if (at < end) out.push([at, end]);
    return out;
  }

  /** Adds a loaded part, joined with the parts it touches. */
  private insert(start: number, bytes: Uint8Array): void {
    let from = start;
    let to = start + bytes.length;
    const joined: Part[] = [];
    const kept: Part[] = [];
    for (const p of this.parts) {
      if (p.start + p.bytes.length < from || p.start > to) kept.push(p);
      else joined.push(p);
    }
    if (joined.length > 0) {
      from = Math.min(from, joined[0].start);
      to = Math.max(to, ...joined.map((p) => p.start + p.bytes.length));
      const merged = new Uint8Array(to - from);
      for (const p of joined) merged.set(p.bytes, p.start - from);
      merged.set(bytes, start - from);
      bytes = merged;
    }
    kept.push({ start: from, bytes });
    this.parts = kept.sort((a, b) => a.start - b.start);
    if (this.complete) this.completed?.resolve();
  }
}

/** [start, end) ranges sorted, with those closer than `gap` joined. */
function mergeRanges(ranges: Array<[number, number]>, gap: number): Array<[number, number]> {
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + gap) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** [start, end) ranges cut into the batches one readRanges call asks for (RANGES_PER_READ, BYTES_PER_READ). */
function batches(ranges: Array<[number, number]>): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  let batch: Array<[number, number]> = [];
  let bytes = 0;
  for (const range of ranges) {
    const length = range[1] - range[0];
    if (batch.length > 0 && (batch.length >= RANGES_PER_READ || bytes + length > BYTES_PER_READ)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(range);
    bytes += length;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}
