// The hashes of every RAM page and disk block of one machine, kept current
// incrementally: after a run only the units the machine marked dirty are
// rehashed (and their Merkle paths updated). The recorder uses it to take
// snapshots, replay to compute the state root a slice ends in.
import type { Sha256 } from '../../shared/sha256';
import { bytesEqual } from '../../shared/sha256';
import { HASH_BYTES, MerkleTree, stateRoot } from '../../shared/recording/merkle';
import { PAGE_BYTES } from '../../shared/recording/format';
import { isZeroUnit } from '../../shared/recording/units';
import type { MemoryArea } from './machine-memory';

export interface UnitChanges {
  ids: number[];
  /** Hashes of the changed units, 32 bytes each, in `ids` order. */
  hashes: Uint8Array;
}

export class UnitTracker {
  readonly tree: MerkleTree;
  private readonly zero: Uint8Array;

  constructor(
    private readonly sha256: Sha256,
    readonly area: MemoryArea,
    zeroHash: Uint8Array,
  ) {
    this.tree = new MerkleTree(sha256, area.units);
    this.zero = zeroHash;
  }

  hashUnit(bytes: Uint8Array, unit: number): Uint8Array {
    const page = bytes.subarray(unit * PAGE_BYTES, (unit + 1) * PAGE_BYTES);
    return isZeroUnit(page) ? this.zero : this.sha256(page);
  }

  /** Hashes every unit (after a boot). */
  scanAll(): void {
    const bytes = this.area.view();
    const all = new Uint8Array(this.area.units * HASH_BYTES);
    for (let i = 0; i < this.area.units; i++) all.set(this.hashUnit(bytes, i), i * HASH_BYTES);
    this.tree.setAll(all);
    this.area.clearDirty();
  }

  /**
   * Hashes the units marked dirty and takes every other unit as zero. Right
   * after Machine.boot this is exact and cheap: boot starts from zeroed RAM
   * and marks every page it writes (firmware, kernel, initrd, device tree).
   */
  scanWritten(): void {
    const all = new Uint8Array(this.area.units * HASH_BYTES);
    for (let i = 0; i < this.area.units; i++) all.set(this.zero, i * HASH_BYTES);
    this.tree.setAll(all);
    this.updateDirty();
  }

  /** Rehashes the dirty units, clears the dirty map and returns the units whose hash changed. */
  updateDirty(): UnitChanges {
    const dirty = this.area.dirty();
    const bytes = this.area.view();
    const ids: number[] = [];
    for (let i = 0; i < dirty.length; i++) if (dirty[i] !== 0) ids.push(i);
    const changes = rehashUnits(this.tree, ids, (k) => this.hashUnit(bytes, ids[k]));
    this.area.clearDirty();
    return changes;
  }

  /** Writes `content` into unit i (host write, not marked dirty) and records its hash. */
  write(i: number, content: Uint8Array, hash: Uint8Array): void {
    this.area.view().set(content, i * PAGE_BYTES);
    this.tree.setLeaf(i, hash);
  }

  root(): Uint8Array {
    return this.tree.root();
  }
}

/**
 * Updates `tree` with the hash of each unit in `ids` (`hashOf(k)` hashes the
 * k-th of them) and returns the units whose hash changed, in `ids` order.
 */
export function rehashUnits(tree: MerkleTree, ids: ArrayLike<number>, hashOf: (k: number) => Uint8Array): UnitChanges {
  const changed: number[] = [];
  const out: Uint8Array[] = [];
  for (let k = 0; k < ids.length; k++) {
    const h = hashOf(k);
    if (bytesEqual(h, tree.leaf(ids[k]))) continue;
    tree.setLeaf(ids[k], h);
    changed.push(ids[k]);
    out.push(h);
  }
  const packed = new Uint8Array(changed.length * HASH_BYTES);
  out.forEach((h, i) => packed.set(h, i * HASH_BYTES));
  return { ids: changed, hashes: packed };
}

/** The machine's RAM and disk trackers and its state root. */
export class MachineHashes {
  constructor(
    readonly sha256: Sha256,
    readonly ram: UnitTracker,
    readonly disk: UnitTracker,
  ) {}

  rootFor(stateHash: Uint8Array): Uint8Array {
    return stateRoot(this.sha256, stateHash, this.ram.root(), this.disk.root());
  }
}
