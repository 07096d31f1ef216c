// Quoting, numbers, flags and signal sets, each against what strace prints.
import { describe, expect, it } from 'vitest';
import { hex, octal, ptr, quote } from '../../src/analysis/syscalls/format.ts';
import { flags, xlat, xval } from '../../src/analysis/syscalls/xlat.ts';
import { sigmask, signal } from '../../src/analysis/syscalls/signals.ts';
import { openFlags, symbolicMode } from '../../src/analysis/syscalls/flags-fs.ts';
import { errnoName, errnoText } from '../../src/analysis/syscalls/errno.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const text = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('quote', () => {
  it('escapes as strace string_quote does', () => {
    expect(quote(text('a"b\\c\n\t\r\v\f'))).toBe('"a\\"b\\\\c\\n\\t\\r\\v\\f"');
    // The ELF header strace prints for read(3, ...): octal in its shortest form unless an octal digit follows.
    expect(quote(bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 3, 0, 0))).toBe('"\\177ELF\\2\\1\\1\\3\\0\\0"');
    expect(quote(bytes(0, 0x31, 1, 0x38))).toBe('"\\0001\\18"');
    expect(quote(bytes(0xff, 0x80))).toBe('"\\377\\200"');
    expect(quote(bytes(0x2c, 0x7b, 0x53), true)).toBe('"\\x2c\\x7b\\x53"');
  });
});

describe('numbers', () => {
  it('prints hex, pointers and modes as strace', () => {
    expect(hex(0n)).toBe('0');
    expect(hex(0x26000n)).toBe('0x26000');
    expect(hex(-1n)).toBe('0xffffffffffffffff');
    expect(ptr(0n)).toBe('NULL');
    expect(ptr(0x7ffd5901d2e0n)).toBe('0x7ffd5901d2e0');
    expect(octal(0)).toBe('000');
    expect(octal(0o22)).toBe('022');
    expect(octal(0o644)).toBe('0644');
    expect(octal(0o100644)).toBe('0100644');
  });
});

describe('flags and values', () => {
  const T = xlat({ ZERO: 0, A: 1, B: 2, AB: 3, C: 8 });
  it('follows printflags: table order, leftovers in hex, the zero entry only for 0', () => {
    expect(flags(T, 0, 'T_???')).toBe('ZERO');
    expect(flags(T, 3)).toBe('A|B');
    expect(flags(T, 0x19)).toBe('A|C|0x10');
    expect(flags(xlat({ A: 1 }), 0, 'A_???')).toBe('0');
    expect(flags(xlat({ A: 1 }), 0x10, 'A_???')).toBe('0x10 /* A_??? */');
    expect(xval(T, 9, 'T_???')).toBe('0x9 /* T_??? */');
  });

  it('prints open flags with the asm-generic values', () => {
    expect(openFlags(0o2000000n)).toBe('O_RDONLY|O_CLOEXEC');
    expect(openFlags(0o1102n)).toBe('O_RDWR|O_CREAT|O_TRUNC');
    expect(openFlags(0o2204000n)).toBe('O_RDONLY|O_NONBLOCK|O_CLOEXEC|O_DIRECTORY');
    expect(openFlags(0o4010001n)).toBe('O_WRONLY|O_SYNC');
    expect(openFlags(0o20200002n)).toBe('O_RDWR|O_TMPFILE');
    expect(openFlags(0o100002n)).toBe('O_RDWR|O_LARGEFILE');
  });

  it('prints modes symbolically', () => {
    expect(symbolicMode(0o41777)).toBe('S_IFDIR|S_ISVTX|0777');
    expect(symbolicMode(0o100644)).toBe('S_IFREG|0644');
    expect(symbolicMode(0o20620)).toBe('S_IFCHR|0620');
    expect(symbolicMode(0o10666)).toBe('S_IFIFO|0666');
    expect(symbolicMode(0o644)).toBe('0644');
  });
});

describe('signals and errno', () => {
  it('names signals as strace', () => {
    expect(signal(17n)).toBe('SIGCHLD');
    expect(signal(0n)).toBe('0');
    expect(signal(32n)).toBe('SIGRTMIN');
    expect(signal(34n)).toBe('SIGRT_2');
    expect(signal(99n)).toBe('99');
  });

  it('prints sigsets, inverted with two thirds of the bits set', () => {
    const set = (...sigs: number[]) => {
      const b = new Uint8Array(8);
      for (const s of sigs) b[(s - 1) >> 3] |= 1 << ((s - 1) & 7);
      return b;
    };
    expect(sigmask(set())).toBe('[]');
    expect(sigmask(set(17))).toBe('[CHLD]');
    expect(sigmask(set(2, 15, 17))).toBe('[INT TERM CHLD]');
    const all = Array.from({ length: 64 }, (_, k) => k + 1);
    expect(sigmask(set(...all.filter((s) => s !== 32 && s !== 33)))).toBe('~[RTMIN RT_1]');
    expect(sigmask(set(...all.filter((s) => ![9, 19, 32, 33].includes(s))))).toBe('~[KILL STOP RTMIN RT_1]');
  });

  it('knows errno names and glibc texts', () => {
    expect([errnoName(2), errnoText(2)]).toEqual(['ENOENT', 'No such file or directory']);
    expect([errnoName(25), errnoText(25)]).toEqual(['ENOTTY', 'Inappropriate ioctl for device']);
    expect(errnoName(41)).toBeUndefined();
    expect(errnoText(600)).toBe('Unknown error 600');
  });
});
