// Number and string formatting as strace prints it (strace src/util.c,
// print_utils.h): %#llx hex, NULL pointers, %#03o modes, and string_quote()'s
// escaping rules.

const U64 = (1n << 64n) - 1n;

/** Unsigned 64-bit view of a register value. */
export function u64(v: bigint): bigint {
  return v & U64;
}

/** strace PRINT_VAL_X: %#llx, so zero is "0". */
export function hex(v: bigint | number): string {
  const b = typeof v === 'bigint' ? u64(v) : BigInt(v >>> 0);
  return b === 0n ? '0' : `0x${b.toString(16)}`;
}

/** strace printaddr: NULL or %#llx. */
export function ptr(v: bigint): string {
  const b = u64(v);
  return b === 0n ? 'NULL' : `0x${b.toString(16)}`;
}

/** Signed 32-bit decimal (an int argument: fds, pids, ...). */
export function int(v: bigint): string {
  return BigInt.asIntN(32, v).toString();
}

/** Unsigned 32-bit decimal. */
export function uint(v: bigint): string {
  return BigInt.asUintN(32, v).toString();
}

/** Signed 64-bit decimal (long, off_t, ssize_t). */
export function long(v: bigint): string {
  return BigInt.asIntN(64, v).toString();
}

/** Unsigned 64-bit decimal (size_t, unsigned long). */
export function ulong(v: bigint): string {
  return u64(v).toString();
}

/** strace PRINT_VAL_03O: %#03o ("000", "022", "0644", "0100644"). */
export function octal(v: bigint | number): string {
  const s = BigInt(v).toString(8);
  return (s === '0' ? '0' : `0${s}`).padStart(3, '0');
}

/** uid_t/gid_t as strace prints them: -1 for (uid_t)-1, else unsigned. */
export function id(v: bigint): string {
  const u = BigInt.asUintN(32, v);
  return u === 0xffffffffn ? '-1' : u.toString();
}

const HEX_DIGITS = '0123456789abcdef';

/**
 * strace string_quote(): quote `bytes` (the printed window only). Escapes
 * \" \\ \f \n \r \t \v, prints 0x20..0x7e as is and everything else as
 * \ooo octal in its shortest form unless the next byte is an octal digit.
 * With `forceHex` every byte is \xNN (QUOTE_FORCE_HEX, e.g. getrandom).
 */
export function quote(bytes: Uint8Array, forceHex = false): string {
  let s = '"';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (forceHex) {
      s += `\\x${HEX_DIGITS[c >> 4]}${HEX_DIGITS[c & 15]}`;
      continue;
    }
    switch (c) {
      case 0x22: s += '\\"'; break;
      case 0x5c: s += '\\\\'; break;
      case 0x0c: s += '\\f'; break;
      case 0x0a: s += '\\n'; break;
      case 0x0d: s += '\\r'; break;
      case 0x09: s += '\\t'; break;
      case 0x0b: s += '\\v'; break;
      default:
        if (c >= 0x20 && c <= 0x7e) {
          s += String.fromCharCode(c);
        } else {
          const next = i + 1 < bytes.length ? bytes[i + 1] : -1;
          const full = next >= 0x30 && next <= 0x37;
          s += `\\${full ? c.toString(8).padStart(3, '0') : c.toString(8)}`;
        }
    }
  }
  return `${s}"`;
}

/** Quote a JS string of ASCII/Latin-1 text (names in structs already read). */
export function quoteText(text: string): string {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return quote(bytes);
}
