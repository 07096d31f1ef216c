// The state root of a snapshot (docs/recording-format.md "State root"):
//   root = sha256(stateBlobHash || ramRoot || diskRoot)
// where ramRoot and diskRoot are Merkle trees over the 4 KiB page (block)
// hashes with a fan-out of 64: a node is the sha256 of its (up to 64)
// children's hashes concatenated, level by level until one node is left; with
// a single leaf the root is the hash of that leaf, with none 32 zero bytes.
// The wide fan-out keeps updates cheap: changing k leaves rehashes at most k
// nodes of 2 KiB on the first level and a handful above (32768 RAM pages:
// three levels), where a binary tree would rehash k * 15 nodes.
import type { Sha256 } from '../sha256';

export const HASH_BYTES = 32;
export const MERKLE_FANOUT = 64;

export class MerkleTree {
  /** levels[0] holds the leaves; levels[i+1][j] = sha256(levels[i][64j .. 64j+63]); the last level has one node. */
  private readonly levels: Uint8Array[] = [];
  /** Per level above the leaves: 1 where a node must be rehashed. */
  private readonly stale: Uint8Array[] = [];
  private anyStale = false;

  constructor(
    private readonly sha256: Sha256,
    readonly leafCount: number,
  ) {
    let count = leafCount;
    this.levels.push(new Uint8Array(count * HASH_BYTES));
    while (count > 1 || this.levels.length === 1) {
      count = Math.ceil(count / MERKLE_FANOUT);
      this.levels.push(new Uint8Array(count * HASH_BYTES));
      this.stale.push(new Uint8Array(count).fill(1));
      if (count <= 1) break;
    }
    this.anyStale = leafCount > 0;
  }

  leaf(i: number): Uint8Array {
    return this.levels[0].subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES);
  }

  /** All leaves, contiguous (leaf i at i*32). A view: copy it to keep it. */
  leaves(): Uint8Array {
    return this.levels[0];
  }

  setLeaf(i: number, hash: Uint8Array): void {
    this.levels[0].set(hash.subarray(0, HASH_BYTES), i * HASH_BYTES);
    this.markStale(i);
  }

  /** Sets every leaf from a contiguous array of hashes. */
  setAll(hashes: Uint8Array): void {
    this.levels[0].set(hashes.subarray(0, this.leafCount * HASH_BYTES));
    for (const s of this.stale) s.fill(1);
    this.anyStale = this.leafCount > 0;
  }

  root(): Uint8Array {
    if (this.leafCount === 0) return new Uint8Array(HASH_BYTES);
    if (this.anyStale) {
      for (let level = 0; level < this.stale.length; level++) {
        const children = this.levels[level];
        const parents = this.levels[level + 1];
        const stale = this.stale[level];
        for (let p = 0; p < stale.length; p++) {
          if (stale[p] === 0) continue;
          stale[p] = 0;
          const from = p * MERKLE_FANOUT * HASH_BYTES;
          parents.set(this.sha256(children.subarray(from, Math.min(children.length, from + MERKLE_FANOUT * HASH_BYTES))), p * HASH_BYTES);
          if (level + 1 < this.stale.length) this.stale[level + 1][Math.floor(p / MERKLE_FANOUT)] = 1;
        }
      }
      this.anyStale = false;
    }
    return this.levels[this.levels.length - 1].slice(0, HASH_BYTES);
  }

  private markStale(leaf: number): void {
    this.stale[0][Math.floor(leaf / MERKLE_FANOUT)] = 1;
    this.anyStale = true;
  }
}

export function stateRoot(sha256: Sha256, stateBlobHash: Uint8Array, ramRoot: Uint8Array, diskRoot: Uint8Array): Uint8Array {
  const input = new Uint8Array(HASH_BYTES * 3);
  input.set(stateBlobHash, 0);
  input.set(ramRoot, HASH_BYTES);
  input.set(diskRoot, HASH_BYTES * 2);
  return sha256(input);
}
