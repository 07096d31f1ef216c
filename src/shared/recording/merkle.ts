// The state root of a snapshot (docs/recording-format.md "State root"):
//   root = sha256(stateBlobHash || ramRoot || diskRoot)
// where ramRoot and diskRoot are binary Merkle trees over the 4 KiB page
// (block) hashes, padded with zero leaves to a power of two, each inner node
// sha256(left || right). The tree keeps every node, so updating k leaves
// costs k * log2(n) hashes.
import type { Sha256 } from '../sha256';

export const HASH_BYTES = 32;

export class MerkleTree {
  /** Node i at [i*32, i*32+32); the root is node 1, leaf j is node width+j. */
  private readonly nodes: Uint8Array;
  private readonly width: number;
  private dirty: number[] = [];
  private readonly pair = new Uint8Array(HASH_BYTES * 2);

  constructor(
    private readonly sha256: Sha256,
    readonly leafCount: number,
  ) {
    let width = 1;
    while (width < leafCount) width *= 2;
    this.width = width;
    this.nodes = new Uint8Array(width * 2 * HASH_BYTES);
  }

  leaf(i: number): Uint8Array {
    const at = (this.width + i) * HASH_BYTES;
    return this.nodes.subarray(at, at + HASH_BYTES);
  }

  /** All leaves, contiguous (leaf i at i*32). A view: copy it to keep it. */
  leaves(): Uint8Array {
    return this.nodes.subarray(this.width * HASH_BYTES, (this.width + this.leafCount) * HASH_BYTES);
  }

  setLeaf(i: number, hash: Uint8Array): void {
    this.nodes.set(hash.subarray(0, HASH_BYTES), (this.width + i) * HASH_BYTES);
    this.dirty.push(this.width + i);
  }

  /** Sets every leaf from a contiguous array of hashes and rebuilds the tree. */
  setAll(hashes: Uint8Array): void {
    this.nodes.set(hashes.subarray(0, this.leafCount * HASH_BYTES), this.width * HASH_BYTES);
    this.dirty = [];
    for (let node = this.width - 1; node >= 1; node--) this.hashNode(node);
  }

  root(): Uint8Array {
    if (this.leafCount === 0) return new Uint8Array(HASH_BYTES);
    let level = this.dirty;
    this.dirty = [];
    while (level.length > 0 && level[0] > 1) {
      const parents: number[] = [];
      let last = -1;
      for (const node of level.sort((a, b) => a - b)) {
        const parent = node >> 1;
        if (parent === last) continue;
        last = parent;
        this.hashNode(parent);
        parents.push(parent);
      }
      level = parents;
    }
    return this.nodes.slice(HASH_BYTES, 2 * HASH_BYTES);
  }

  private hashNode(node: number): void {
    this.pair.set(this.nodes.subarray(node * 2 * HASH_BYTES, node * 2 * HASH_BYTES + 2 * HASH_BYTES));
    this.nodes.set(this.sha256(this.pair), node * HASH_BYTES);
  }
}

export function stateRoot(sha256: Sha256, stateBlobHash: Uint8Array, ramRoot: Uint8Array, diskRoot: Uint8Array): Uint8Array {
  const input = new Uint8Array(HASH_BYTES * 3);
  input.set(stateBlobHash, 0);
  input.set(ramRoot, HASH_BYTES);
  input.set(diskRoot, HASH_BYTES * 2);
  return sha256(input);
}
