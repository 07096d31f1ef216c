// In-memory checkpoints between a recording's snapshots (docs/design.md 4,
// Seek): a seek that runs forward from a snapshot keeps the machine's state
// at every CHECKPOINT_TICKS on the way, as a difference from that snapshot
// (the state blob and the RAM pages and disk blocks written since, which the
// machine's dirty maps name), so a later seek into the same stretch runs at
// most CHECKPOINT_TICKS from the nearest one instead of up to a whole slice.
// A checkpoint is the same three parts a snapshot is, so resuming from it is
// exact (test/record-linux/checkpoints.test.ts checks whole-machine hashes
// against plain seeks); it only changes how far a seek runs. Kept in memory up to a byte
// budget, least recently used first out.
import { PAGE_BYTES } from '../../shared/recording/format';
import type { MemoryArea } from '../snapshot/machine-memory';

/** Ticks between checkpoints (a seek runs at most this far from one: ~2-20 ms of guest code). */
export const CHECKPOINT_TICKS = 1_000_000n;

/** Units of a memory area (RAM pages, disk blocks) by index, their bytes packed in index order. */
export interface Units {
  ids: Uint32Array;
  data: Uint8Array;
}

export interface Checkpoint {
  tick: bigint;
  /** The snapshot it differs from. */
  base: number;
  /** The machine's state blob (CPU and devices). */
  state: Uint8Array;
  /** The RAM pages and disk blocks that may differ from the base snapshot's. */
  ram: Units;
  disk: Units;
  /** Bytes held. */
  bytes: number;
}

/** The units `area` marks dirty, copied. */
export function dirtyUnits(area: MemoryArea): Units {
  const dirty = area.dirty();
  let count = 0;
  for (let i = 0; i < dirty.length; i++) if (dirty[i] !== 0) count++;
  const ids = new Uint32Array(count);
  const data = new Uint8Array(count * PAGE_BYTES);
  const view = area.view();
  let n = 0;
  for (let i = 0; i < dirty.length; i++) {
    if (dirty[i] === 0) continue;
    ids[n] = i;
    data.set(view.subarray(i * PAGE_BYTES, (i + 1) * PAGE_BYTES), n * PAGE_BYTES);
    n++;
  }
  return { ids, data };
}

/** Writes `units` into `area` and marks them dirty (so the next snapshot restore rewrites them). */
export function writeUnits(area: MemoryArea, units: Units): void {
  const view = area.view();
  const dirty = area.dirty();
  for (let n = 0; n < units.ids.length; n++) {
    const i = units.ids[n];
    view.set(units.data.subarray(n * PAGE_BYTES, (n + 1) * PAGE_BYTES), i * PAGE_BYTES);
    dirty[i] = 1;
  }
}

/** Checkpoints of one recording by tick, up to `budget` bytes. */
export class CheckpointCache {
  /** By tick, in use order (the least recently used first). */
  private readonly byTick = new Map<bigint, Checkpoint>();
  private held = 0;

  constructor(readonly budget: number) {}

  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.byTick.size;
  }

  has(tick: bigint): boolean {
    return this.byTick.has(tick);
  }

  /** The latest checkpoint in (after, upTo], marked used. */
  latest(after: bigint, upTo: bigint): Checkpoint | undefined {
    let best: Checkpoint | undefined;
    for (const c of this.byTick.values()) if (c.tick > after && c.tick <= upTo && (!best || c.tick > best.tick)) best = c;
    if (best) {
      this.byTick.delete(best.tick);
      this.byTick.set(best.tick, best);
    }
    return best;
  }

  /** Keeps `c`, dropping the least recently used while over budget (`c` itself if it alone is). */
  add(c: Checkpoint): void {
    if (this.byTick.has(c.tick)) return;
    this.byTick.set(c.tick, c);
    this.held += c.bytes;
    for (const [tick, old] of this.byTick) {
      if (this.held <= this.budget) break;
      this.byTick.delete(tick);
      this.held -= old.bytes;
    }
  }

  /** Drops every checkpoint. */
  clear(): void {
    this.byTick.clear();
    this.held = 0;
  }

  /** Whether a checkpoint of about `bytes` would fit without dropping any. */
  fits(bytes: number): boolean {
    return this.held + bytes <= this.budget;
  }
}

/** The checkpoint ticks in (from, to]: the multiples of CHECKPOINT_TICKS. */
export function checkpointTicks(from: bigint, to: bigint): bigint[] {
  const out: bigint[] = [];
  for (let t = (from / CHECKPOINT_TICKS + 1n) * CHECKPOINT_TICKS; t <= to; t += CHECKPOINT_TICKS) out.push(t);
  return out;
}
