// A sparse guest address space for decoder tests: 4 KiB pages that exist
// only where something was written, so anything else reads as unmapped.
import type { ReadVirt } from '../../src/analysis/syscalls/index.ts';

const PAGE = 4096n;

export class GuestMemory {
  private readonly pages = new Map<bigint, Uint8Array>();

  /** Write bytes (a string is written as Latin-1 bytes, with no NUL added). */
  put(addr: bigint, data: Uint8Array | string): this {
    const bytes = typeof data === 'string' ? Uint8Array.from(data, (ch) => ch.charCodeAt(0) & 0xff) : data;
    for (let i = 0; i < bytes.length; i++) this.page(addr + BigInt(i))[Number((addr + BigInt(i)) % PAGE)] = bytes[i];
    return this;
  }

  /** Write a NUL-terminated string. */
  str(addr: bigint, text: string): this {
    return this.put(addr, `${text}\0`);
  }

  u64(addr: bigint, ...values: bigint[]): this {
    const b = new Uint8Array(8 * values.length);
    const v = new DataView(b.buffer);
    values.forEach((x, k) => v.setBigUint64(8 * k, BigInt.asUintN(64, x), true));
    return this.put(addr, b);
  }

  u32(addr: bigint, ...values: number[]): this {
    const b = new Uint8Array(4 * values.length);
    const v = new DataView(b.buffer);
    values.forEach((x, k) => v.setUint32(4 * k, x >>> 0, true));
    return this.put(addr, b);
  }

  /** Map `len` zero bytes at `addr` (a struct the kernel will fill). */
  zero(addr: bigint, len: number): this {
    return this.put(addr, new Uint8Array(len));
  }

  private page(addr: bigint): Uint8Array {
    const n = addr / PAGE;
    let p = this.pages.get(n);
    if (!p) this.pages.set(n, (p = new Uint8Array(Number(PAGE))));
    return p;
  }

  readonly read: ReadVirt = (addr, len) => {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) {
      const a = addr + BigInt(i);
      const p = this.pages.get(a / PAGE);
      if (!p) return undefined;
      out[i] = p[Number(a % PAGE)];
    }
    return out;
  };
}

/** A reader over nothing: every address is unmapped. */
export const NO_MEMORY: ReadVirt = () => undefined;
