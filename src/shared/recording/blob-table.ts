// Where each blob of a recording lies, found by its hash: the hashes in one
// array and an open-addressing table keyed by their first four bytes (they
// are sha256 outputs, so already uniform). A million blobs cost about 45 MB
// and are indexed in milliseconds; a Map of hex strings would cost several
// times that.
import { HASH_BYTES } from './merkle';

export class BlobTable {
  private hashes = new Uint8Array(1024 * HASH_BYTES);
  private offsets = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private slots = new Int32Array(2048).fill(-1);
  count = 0;

  /** Adds a blob record at `offset` (the frame's first byte) with its payload length; a hash added twice keeps its first place. */
  add(hash: Uint8Array, offset: number, length: number): void {
    if (this.find(hash) >= 0) return;
    if (this.count === this.offsets.length) this.grow();
    const i = this.count++;
    this.hashes.set(hash.subarray(0, HASH_BYTES), i * HASH_BYTES);
    this.offsets[i] = offset;
    this.lengths[i] = length;
    this.insert(i);
  }

  /** Where the blob with this hash lies (frame offset and payload length), or undefined. */
  locate(hash: Uint8Array): { offset: number; length: number } | undefined {
    const i = this.find(hash);
    return i < 0 ? undefined : { offset: this.offsets[i], length: this.lengths[i] };
  }

  has(hash: Uint8Array): boolean {
    return this.find(hash) >= 0;
  }

  /** Every blob as (hash, offset, length), in the order added. */
  *entries(): Generator<[Uint8Array, number, number]> {
    for (let i = 0; i < this.count; i++) yield [this.hashes.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES), this.offsets[i], this.lengths[i]];
  }

  private key(hash: Uint8Array): number {
    return (hash[0] | (hash[1] << 8) | (hash[2] << 16) | (hash[3] << 24)) >>> 0;
  }

  private find(hash: Uint8Array): number {
    const mask = this.slots.length - 1;
    for (let s = this.key(hash) & mask; ; s = (s + 1) & mask) {
      const i = this.slots[s];
      if (i < 0) return -1;
      if (this.equalAt(i, hash)) return i;
    }
  }

  private equalAt(i: number, hash: Uint8Array): boolean {
    const at = i * HASH_BYTES;
    for (let j = 0; j < HASH_BYTES; j++) if (this.hashes[at + j] !== hash[j]) return false;
    return true;
  }

  private insert(i: number): void {
    const mask = this.slots.length - 1;
    const at = i * HASH_BYTES;
    let s = this.key(this.hashes.subarray(at, at + 4)) & mask;
    while (this.slots[s] >= 0) s = (s + 1) & mask;
    this.slots[s] = i;
  }

  private grow(): void {
    const size = this.offsets.length * 2;
    const hashes = new Uint8Array(size * HASH_BYTES);
    hashes.set(this.hashes);
    this.hashes = hashes;
    const offsets = new Float64Array(size);
    offsets.set(this.offsets);
    this.offsets = offsets;
    const lengths = new Uint32Array(size);
    lengths.set(this.lengths);
    this.lengths = lengths;
    this.slots = new Int32Array(size * 2).fill(-1);
    for (let i = 0; i < this.count; i++) this.insert(i);
  }
}

/** A Set or Map key for a 32-byte hash: one char per byte (cheaper to build than hex, and only ever compared). */
export function hashKey(hash: Uint8Array): string {
  return String.fromCharCode.apply(null, hash.subarray(0, HASH_BYTES) as unknown as number[]);
}
