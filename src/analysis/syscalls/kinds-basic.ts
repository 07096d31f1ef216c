// Argument kinds for numbers, pointers, strings, buffers, signals and times.
import { type ArgKind, type Ctx, lengthOf, retCount, value } from './kind.ts';
import { hex, id, int, long, octal, ptr, uint, ulong } from './format.ts';
import { buf, cstr, path } from './strings.ts';
import { signal, sigsetAt } from './signals.ts';
import { AT_FDCWD } from './flags-fs.ts';
import * as S from './structs.ts';

const dirfd = (v: bigint) => (Number(BigInt.asIntN(32, v)) === AT_FDCWD ? 'AT_FDCWD' : int(v));

/** execve's argv as strace's printargv(): ["ls", "-l"], cut after -s elements. */
function argv(c: Ctx, addr: bigint): string {
  if (addr === 0n) return 'NULL';
  const items: string[] = [];
  for (let n = 0; ; n++) {
    const at = addr + BigInt(8 * n);
    const word = c.mem.u64(at);
    if (word === undefined) return n === 0 ? ptr(addr) : `[${[...items, `... /* ${ptr(at)} */`].join(', ')}]`;
    if (word === 0n) break;
    if (n >= c.strsize) {
      items.push('...');
      break;
    }
    items.push(cstr(c.mem, word, c.strsize));
  }
  return `[${items.join(', ')}]`;
}

/** execve's envp abbreviated as strace's printargc(): 0x7ffd... /* 12 vars *\/. */
function envc(c: Ctx, addr: bigint): string {
  if (addr === 0n) return 'NULL';
  let n = 0;
  for (; n < 1 << 20; n++) {
    const word = c.mem.u64(addr + BigInt(8 * n));
    if (word === undefined) return n === 0 ? ptr(addr) : `${ptr(addr)} /* ${n} var${n === 1 ? '' : 's'}, unterminated */`;
    if (word === 0n) break;
  }
  return `${ptr(addr)} /* ${n} var${n === 1 ? '' : 's'} */`;
}

export const BASIC_KINDS: Record<string, ArgKind> = {
  int: value(int),
  uint: value(uint),
  long: value(long),
  ulong: value(ulong),
  hex: value(hex),
  /** hex of the low 32 bits (rseq's length and signature). */
  hex32: value((v) => hex(BigInt.asUintN(32, v))),
  ptr: value(ptr),
  fd: value(int),
  dirfd: value(dirfd),
  pid: value(int),
  uid: value(id),
  /** A mode_t printed as strace's print_numeric_umode_t (an unsigned short, %#03o). */
  mode: value((v) => octal(v & 0xffffn)),
  /** strace leaves this register out (e.g. preadv2's high offset word on 64-bit). */
  skip: { enter: () => undefined },

  path: value((v, c) => path(c.mem, v)),
  /** A NUL-terminated string cut at -s; @N: at most that many bytes. */
  str: value((v, c, _i, p) => cstr(c.mem, v, c.strsize, typeof p === 'number' ? p : Infinity)),
  /** A buffer whose length is argument @N, or the return value (@ret, for data read). */
  buf: value((v, c, _i, p) => buf(c.mem, v, lengthOf(c, p), c.strsize)),
  /** getrandom's buffer: the length is the return value, bytes as \xNN. */
  randombuf: value((v, c) => buf(c.mem, v, c.ret, c.strsize, true)),
  /** getcwd: the path the kernel wrote, its length (with the NUL) the return value. */
  cwd: value((v, c) => path(c.mem, v, Math.max(retCount(c), 1))),

  argv: value((v, c) => argv(c, v)),
  envp: value((v, c) => envc(c, v)),

  signal: value(signal),
  /** A sigset whose size in bytes is argument @N. */
  sigset: value((v, c, _i, p) => sigsetAt(c.mem, v, lengthOf(c, p))),

  timespec: value((v, c) => S.timespec(c.mem, v)),
  timeval: value((v, c) => S.timeval(c.mem, v)),
  timespec2: value((v, c) => S.timespecPair(c.mem, v)),
  itimerspec: value((v, c) => S.itimerspec(c.mem, v)),
  itimerval: value((v, c) => S.itimerval(c.mem, v)),
  timezone: value((v, c) => S.timezone(c.mem, v)),
  /** A nanosleep-style remainder: written only when a signal interrupted the sleep, so printed only then. */
  remaining: {
    exit: (c, i) => (c.failed && isInterrupted(c.ret) ? S.timespec(c.mem, c.args[i]) : ptr(c.args[i])),
  },

  /** int *: "[N]" at return. */
  intp: value((v, c) => S.ints(c.mem, v, 1)),
  /** unsigned int * / uid_t *: "[N]". */
  uintp: value((v, c) => S.ints(c.mem, v, 1, (x) => String(x >>> 0))),
  idp: value((v, c) => S.ints(c.mem, v, 1, (x) => id(BigInt(x)))),
  /** unsigned long * or void **: "[N]" / "[0x...]". */
  ulongp: value((v, c) => S.u64At(c.mem, v)),
  ptrp: value((v, c) => S.u64At(c.mem, v, ptr)),
  /** loff_t *, in and out: "[0]" at entry, "[0] => [6]" if the call moved it. */
  offp: {
    enter: (c, i) => S.u64At(c.mem, c.args[i], (x) => BigInt.asIntN(64, x).toString()),
    exit: (c, i, _p, entered) => {
      if (c.failed || c.args[i] === 0n || entered === null || entered === undefined) return entered;
      const now = S.u64At(c.mem, c.args[i], (x) => BigInt.asIntN(64, x).toString());
      return now === entered ? entered : `${entered} => ${now}`;
    },
  },
  /** An array of gid_t whose length is argument @N (getgroups: the return value, unless the size was 0). */
  gids: value((v, c, _i, p) => {
    if (v === 0n) return 'NULL';
    const len = p === 'ret' && c.args[0] === 0n ? 0 : Number(BigInt.asUintN(32, lengthOf(c, p)));
    const shown = Math.min(len, c.strsize);
    const list = S.ints(c.mem, v, shown, (x) => id(BigInt(x)));
    if (len <= shown || !list.startsWith('[')) return list;
    return `${list.slice(0, -1)}${shown ? ', ' : ''}...]`;
  }),
};

/** -EINTR or one of the kernel's restart codes. */
export function isInterrupted(ret: bigint): boolean {
  const e = Number(-ret);
  return e === 4 || (e >= 512 && e <= 516);
}

