// Little-endian byte writer and a bounds-checked reader for the recording
// format. The reader never allocates from an unchecked length: every read
// checks what is left first and throws `RecordingError` (RECORDING_CORRUPT)
// naming the record it was reading.
import { PrnrError } from '../errors';

export class ByteWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.length++] = v;
    return this;
  }

  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
    return this;
  }

  u64(v: bigint): this {
    this.reserve(8);
    this.view.setBigUint64(this.length, v, true);
    this.length += 8;
    return this;
  }

  /** Unsigned LEB128. */
  varint(v: bigint | number): this {
    let x = BigInt(v);
    if (x < 0n) throw new RangeError('varint must be non-negative');
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) byte |= 0x80;
      this.u8(byte);
    } while (x !== 0n);
    return this;
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export class ByteReader {
  private readonly view: DataView;
  pos = 0;

  constructor(
    readonly data: Uint8Array,
    /** What is being read, for error messages ("snapshot record at byte 1234"). */
    readonly what: string,
  ) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get left(): number {
    return this.data.length - this.pos;
  }

  need(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > this.left) {
      throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${this.what} needs ${n} more bytes, has ${this.left}`);
    }
  }

  u8(): number {
    this.need(1);
    return this.data[this.pos++];
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  varint(): bigint {
    let v = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.u8();
      v |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return v;
    }
    throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${this.what} has an over-long varint`);
  }

  /** A varint that must fit `max` (a count or length about to be used). */
  count(max: number, name: string): number {
    const v = this.varint();
    if (v > BigInt(max)) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${this.what}: ${name} ${v} exceeds ${max}`);
    return Number(v);
  }

  /** A view (not a copy) of the next n bytes. */
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  end(): void {
    if (this.left !== 0) throw new PrnrError('RECORDING_CORRUPT', `recording is corrupt: ${this.what} has ${this.left} unexpected trailing bytes`);
  }
}
