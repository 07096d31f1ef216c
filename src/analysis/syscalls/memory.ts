// Guest memory as the decoders see it: a ReadVirt wrapped so that nothing
// it does can throw, with little-endian integer and C-string reads.
import { concatBytes } from '../../shared/bytes.ts';
import type { ReadVirt } from './types.ts';

const PAGE = 4096n;
const ADDR_END = 1n << 64n;

export class Mem {
  constructor(private readonly read: ReadVirt) {}

  /** `len` bytes at `addr`, or undefined if any of them cannot be read. */
  bytes(addr: bigint, len: number): Uint8Array | undefined {
    if (len === 0) return new Uint8Array(0);
    if (!(len > 0) || addr < 0n || addr + BigInt(len) > ADDR_END) return undefined;
    try {
      const out = this.read(addr, len);
      return out && out.length >= len ? out.subarray(0, len) : undefined;
    } catch (_) {
      return undefined;
    }
  }

  view(addr: bigint, len: number): DataView | undefined {
    const b = this.bytes(addr, len);
    return b && new DataView(b.buffer, b.byteOffset, b.byteLength);
  }

  u64(addr: bigint): bigint | undefined {
    return this.view(addr, 8)?.getBigUint64(0, true);
  }

  u32(addr: bigint): number | undefined {
    return this.view(addr, 4)?.getUint32(0, true);
  }

  i32(addr: bigint): number | undefined {
    return this.view(addr, 4)?.getInt32(0, true);
  }

  /**
   * A NUL-terminated string of at most `max` bytes, read page by page as
   * strace's umovestr() does: undefined if a page is unreadable before the
   * NUL or `max` bytes; `terminated` says whether the NUL was found.
   */
  cstring(addr: bigint, max: number): { bytes: Uint8Array; terminated: boolean } | undefined {
    const parts: Uint8Array[] = [];
    let total = 0;
    let at = addr;
    while (total < max) {
      const inPage = Number(PAGE - (at % PAGE));
      const chunk = this.bytes(at, Math.min(inPage, max - total));
      if (!chunk) return undefined;
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        return { bytes: parts.length === 1 ? parts[0] : concatBytes(parts), terminated: true };
      }
      parts.push(chunk);
      total += chunk.length;
      at += BigInt(chunk.length);
    }
    return { bytes: parts.length === 1 ? parts[0] : concatBytes(parts), terminated: false };
  }
}
