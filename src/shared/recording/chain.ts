// The integrity chain of a recording (docs/recording-format.md "Integrity"):
// every record after the file header is folded, in file order, into a chain
// of sha256 heads. Records are grouped in segments that end before each
// SNAPSHOT, INDEX and END record; the head of a segment is
//   head = sha256(previous head || digest(r1) || digest(r2) || ...)
// with digest(r) = type:u8 length:u32le h, h being the blob's hash for a
// BLOB (its content is bound by that hash, checked whenever it is read) and
// sha256(payload) for every other record. A SNAPSHOT stores the head of the
// segment before it, END the head of the last one; so each slice can be
// checked on its own from two snapshots, and END seals the whole file.
import type { Sha256 } from '../sha256';
import { utf8Encode } from '../utf8';
import { HASH_BYTES } from './merkle';

export const RECORD_DIGEST_BYTES = 1 + 4 + HASH_BYTES;
const CHAIN_SEED = 'prnr chain v2';

/** The head before the first record: sha256 of a fixed label and the 16-byte file header. */
export function chainSeed(sha256: Sha256, fileHeader: Uint8Array): Uint8Array {
  const label = utf8Encode(CHAIN_SEED);
  const input = new Uint8Array(label.length + fileHeader.length);
  input.set(label);
  input.set(fileHeader, label.length);
  return sha256(input);
}

/** Folds records into segment heads. */
export class ChainBuilder {
  private buf: Uint8Array;
  private length = HASH_BYTES;

  constructor(
    private readonly sha256: Sha256,
    seed: Uint8Array,
  ) {
    this.buf = new Uint8Array(HASH_BYTES + 64 * RECORD_DIGEST_BYTES);
    this.buf.set(seed);
  }

  /** Adds a record by its type, payload length and h (a blob's hash, or sha256 of the payload). */
  add(type: number, payloadLength: number, h: Uint8Array): void {
    if (this.length + RECORD_DIGEST_BYTES > this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    const at = this.length;
    this.buf[at] = type;
    this.buf[at + 1] = payloadLength & 0xff;
    this.buf[at + 2] = (payloadLength >>> 8) & 0xff;
    this.buf[at + 3] = (payloadLength >>> 16) & 0xff;
    this.buf[at + 4] = payloadLength >>> 24;
    this.buf.set(h.subarray(0, HASH_BYTES), at + 5);
    this.length += RECORD_DIGEST_BYTES;
  }

  /** Adds a non-blob record by its payload. */
  addPayload(type: number, payload: Uint8Array): void {
    this.add(type, payload.length, this.sha256(payload));
  }

  /** Ends the segment: returns its head, which starts the next one. */
  seal(): Uint8Array {
    const head = this.sha256(this.buf.subarray(0, this.length));
    this.buf.set(head);
    this.length = HASH_BYTES;
    return head;
  }

  /** Records added since the last seal. */
  get pending(): number {
    return (this.length - HASH_BYTES) / RECORD_DIGEST_BYTES;
  }
}
