// Strings and buffers read from guest memory, printed as strace's
// printpath(), printstr() and printstrn() print them (strace src/util.c).
import { ptr, quote } from './format.ts';
import type { Mem } from './memory.ts';

const PATH_MAX = 4096;

/** A path: never cut by -s; "..." only past PATH_MAX; the pointer if unreadable. */
export function path(mem: Mem, addr: bigint, max = PATH_MAX): string {
  if (addr === 0n) return 'NULL';
  const s = mem.cstring(addr, max);
  if (!s) return ptr(addr);
  if (s.terminated) return quote(s.bytes);
  return `${quote(s.bytes.subarray(0, max - 1))}...`;
}

/** A NUL-terminated string cut at `strsize` bytes ("abc"...), at most `len` bytes long. */
export function cstr(mem: Mem, addr: bigint, strsize: number, len = Infinity): string {
  if (addr === 0n) return 'NULL';
  const size = Math.min(strsize + 1, len);
  const s = mem.cstring(addr, size);
  if (!s) return ptr(addr);
  const window = Math.min(size, strsize);
  // A NUL right after `strsize` bytes still counts as the whole string (no "...").
  if (s.terminated && s.bytes.length <= window) return quote(s.bytes);
  return `${quote(s.bytes.subarray(0, window))}...`;
}

/** A buffer of `len` bytes (read/write data), cut at `strsize` with "..." after. */
export function buf(mem: Mem, addr: bigint, len: bigint, strsize: number, forceHex = false): string {
  if (addr === 0n) return 'NULL';
  if (len < 0n) return ptr(addr);
  const fetch = len > BigInt(strsize) ? strsize + 1 : Number(len);
  const b = mem.bytes(addr, fetch);
  if (!b) return ptr(addr);
  const cut = len > BigInt(strsize);
  return cut ? `${quote(b.subarray(0, strsize), forceHex)}...` : quote(b, forceHex);
}
