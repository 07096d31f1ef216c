// The machine-thread half of a snapshot (recorder.ts): copy what changed since
// the previous snapshot, clear the dirty maps, and let the machine run on.
// Everything else (hashing, the Merkle trees, writing) happens later, on this
// thread or on another, in a SnapshotProcessor (snapshot-processor.ts).
import type { Sha256 } from '../../shared/sha256';
import { PAGE_BYTES, type InputEvent, type OutputChunk } from '../../shared/recording/format';
import { HASH_BYTES } from '../../shared/recording/merkle';
import type { Machine } from '../machine';
import type { MemoryArea } from '../snapshot/machine-memory';
import { isZeroUnit } from '../../shared/recording/units';

/** One snapshot as captured: plain data, with one transferable buffer holding every copied byte. */
export interface CapturedSnapshot {
  index: number;
  tick: bigint;
  /** Tick of the previous snapshot, where this snapshot's slice starts (0 for snapshot 0). */
  sliceStart: bigint;
  /** The slice's inputs and console output (empty for snapshot 0). */
  events: InputEvent[];
  output: OutputChunk[];
  /** The CPU/device state, padded to 8 bytes, then the content of each unit in `ramPages`, then of each in `diskBlocks` (then unused bytes). */
  buffer: ArrayBuffer;
  stateBytes: number;
  /** The RAM pages and disk blocks written since the previous snapshot (for snapshot 0: the pages boot wrote and every disk block). */
  ramPages: Uint32Array;
  diskBlocks: Uint32Array;
  /**
   * For snapshot 0, the units' hashes (32 bytes each, RAM pages first) in
   * place of their content: its units are never stored (the boot reproduces
   * them), and hashing them here costs less than copying them into fresh memory.
   */
  unitHashes?: Uint8Array;
}

/** Where the content of captured unit `k` starts in `buffer` (k counts RAM pages first, then disk blocks). */
export function unitOffset(capture: CapturedSnapshot, k: number): number {
  return alignedStateBytes(capture.stateBytes) + k * PAGE_BYTES;
}

const alignedStateBytes = (n: number) => (n + 7) & ~7;

/**
 * Capture buffers for reuse, handed back once processed: a fresh allocation
 * of a few MiB costs more than copying into it (the OS maps and zeroes every
 * page on first touch).
 */
export class CaptureBuffers {
  private free: ArrayBuffer[] = [];

  constructor(private readonly keep = 8) {}

  /** A buffer of at least `bytes` bytes (its content is garbage). */
  take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) if (this.free[i].byteLength >= bytes && (best < 0 || this.free[i].byteLength < this.free[best].byteLength)) best = i;
    if (best >= 0) return this.free.splice(best, 1)[0];
    return new ArrayBuffer(Math.ceil(bytes / ALLOC_UNIT) * ALLOC_UNIT);
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return; // detached (transferred)
    this.free.push(buffer);
    if (this.free.length > this.keep) this.free.sort((a, b) => b.byteLength - a.byteLength).pop();
  }
}

const ALLOC_UNIT = 1 << 20;

/**
 * Captures snapshot `index` of `machine` at its current tick. Snapshot 0
 * (`first` set) takes every disk block, not only the dirty ones, by hash.
 */
export function captureSnapshot(
  machine: Machine,
  areas: { ram: MemoryArea; disk: MemoryArea },
  slice: { index: number; sliceStart: bigint; events: InputEvent[]; output: OutputChunk[] },
  first: { sha256: Sha256; zeroHash: Uint8Array } | undefined,
  buffers: CaptureBuffers,
): CapturedSnapshot {
  const state = machine.saveState();
  const ramPages = dirtyUnits(areas.ram.dirty(), false);
  const diskBlocks = dirtyUnits(areas.disk.dirty(), first !== undefined);
  const base = alignedStateBytes(state.length);
  const bytes = new Uint8Array(buffers.take(base + (first ? 0 : (ramPages.length + diskBlocks.length) * PAGE_BYTES)));
  bytes.set(state);
  let unitHashes: Uint8Array | undefined;
  if (first) {
    unitHashes = new Uint8Array((ramPages.length + diskBlocks.length) * HASH_BYTES);
    hashUnits(areas.ram.view(), ramPages, first, unitHashes, 0);
    hashUnits(areas.disk.view(), diskBlocks, first, unitHashes, ramPages.length);
  } else {
    copyUnits(areas.ram.view(), ramPages, bytes, base);
    copyUnits(areas.disk.view(), diskBlocks, bytes, base + ramPages.length * PAGE_BYTES);
  }
  areas.ram.clearDirty();
  areas.disk.clearDirty();
  return { ...slice, tick: machine.tick, buffer: bytes.buffer, stateBytes: state.length, ramPages, diskBlocks, unitHashes };
}

/** Writes the hash of each unit `ids` of `from` into `to`, from hash number `at` on. */
function hashUnits(from: Uint8Array, ids: Uint32Array, hash: { sha256: Sha256; zeroHash: Uint8Array }, to: Uint8Array, at: number): void {
  for (let k = 0; k < ids.length; k++) {
    const page = from.subarray(ids[k] * PAGE_BYTES, (ids[k] + 1) * PAGE_BYTES);
    to.set(isZeroUnit(page) ? hash.zeroHash : hash.sha256(page), (at + k) * HASH_BYTES);
  }
}

function dirtyUnits(dirty: Uint8Array, all: boolean): Uint32Array {
  let count = 0;
  for (let i = 0; i < dirty.length; i++) if (all || dirty[i] !== 0) count++;
  const ids = new Uint32Array(count);
  for (let i = 0, k = 0; i < dirty.length; i++) if (all || dirty[i] !== 0) ids[k++] = i;
  return ids;
}

/** Copies units `ids` (ascending) of `from` to `to` at `at`, one copy per run of consecutive units. */
function copyUnits(from: Uint8Array, ids: Uint32Array, to: Uint8Array, at: number): void {
  for (let k = 0; k < ids.length; ) {
    let end = k + 1;
    while (end < ids.length && ids[end] === ids[end - 1] + 1) end++;
    to.set(from.subarray(ids[k] * PAGE_BYTES, (ids[end - 1] + 1) * PAGE_BYTES), at + k * PAGE_BYTES);
    k = end;
  }
}
