// Where a recording's bytes come from: random access by offset, so a reader
// opens a file of any size through its index and fetches only what it uses.
// Hosts provide the source: bytes in memory (here), a file descriptor in Node
// (src/engine/node/recording-file.ts), OPFS or HTTP ranges in the browser.
// Reads are synchronous; an asynchronous host (HTTP) fetches what a slice
// needs into a cache first.

export interface RecordingSource {
  /** Total bytes. */
  readonly size: number;
  /** `length` bytes at `offset` (fewer only at the end of the source). May be a view: do not keep it across reads. */
  read(offset: number, length: number): Uint8Array;
  /** A name for messages, e.g. the file path. */
  readonly name?: string;
}

/** A recording held in memory (tests, the browser's OPFS copy, a worker's shared buffer). */
export function bytesSource(data: Uint8Array, name?: string): RecordingSource {
  return {
    size: data.length,
    name,
    read: (offset, length) => data.subarray(offset, Math.min(data.length, offset + length)),
  };
}
