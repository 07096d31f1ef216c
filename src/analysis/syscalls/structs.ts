// Structures read from guest memory, with riscv64's (LP64, little-endian,
// asm-generic) layouts, printed as strace prints them by default (its
// "abbreviated" form: the fields that matter and "..." for the rest).
import type { Mem } from './memory.ts';
import { hex, id, octal, ptr, quote } from './format.ts';
import { flags } from './xlat.ts';
import { S_IFBLK, S_IFCHR, S_IFMT, STATX_ATTRS, STATX_MASK, symbolicMode, openFlags } from './flags-fs.ts';
import { SA_FLAGS, SA_HANDLERS, SS_FLAGS } from './flags-proc.ts';
import { sigmask, signal } from './signals.ts';

/** Read `size` bytes at `addr` and print them with `fn`, or the pointer when they cannot be read. */
export function struct(mem: Mem, addr: bigint, size: number, fn: (v: DataView) => string): string {
  if (addr === 0n) return 'NULL';
  const v = mem.view(addr, size);
  return v ? fn(v) : ptr(addr);
}

const i64 = (v: DataView, o: number) => v.getBigInt64(o, true);
const u64 = (v: DataView, o: number) => v.getBigUint64(o, true);
const u32 = (v: DataView, o: number) => v.getUint32(o, true);
const i32 = (v: DataView, o: number) => v.getInt32(o, true);

/** glibc's major()/minor() of a dev_t, printed as strace's print_dev_t. */
export function makedev(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `makedev(${hex(major)}, ${hex(minor)})`;
}

/** struct stat (asm-generic/stat.h, 128 bytes): {st_mode=S_IFREG|0644, st_size=82, ...}. */
export const stat = (mem: Mem, addr: bigint) => struct(mem, addr, 128, (v) => {
  const mode = u32(v, 16);
  const type = mode & S_IFMT;
  const second = type === S_IFCHR || type === S_IFBLK ? `st_rdev=${makedev(u64(v, 32))}` : `st_size=${i64(v, 48)}`;
  return `{st_mode=${symbolicMode(mode)}, ${second}, ...}`;
});

/** struct statx (linux/stat.h, 256 bytes). */
export const statx = (mem: Mem, addr: bigint) => struct(mem, addr, 256, (v) => {
  const mask = u32(v, 0);
  let s = `{stx_mask=${flags(STATX_MASK, mask, 'STATX_???')}, stx_attributes=${flags(STATX_ATTRS, u64(v, 8), 'STATX_ATTR_???')}`;
  if (mask & 0x3) s += `, stx_mode=${symbolicMode(v.getUint16(28, true))}`;
  if (mask & 0x200) s += `, stx_size=${u64(v, 40)}`;
  return `${s}, ...}`;
});

const timespecFields = (v: DataView, o = 0) => `{tv_sec=${i64(v, o)}, tv_nsec=${i64(v, o + 8)}}`;
const timevalFields = (v: DataView, o = 0) => `{tv_sec=${i64(v, o)}, tv_usec=${i64(v, o + 8)}}`;

export const timespec = (mem: Mem, addr: bigint) => struct(mem, addr, 16, (v) => timespecFields(v));
export const timeval = (mem: Mem, addr: bigint) => struct(mem, addr, 16, (v) => timevalFields(v));
export const timespecPair = (mem: Mem, addr: bigint) => struct(mem, addr, 32, (v) => `[${timespecFields(v)}, ${timespecFields(v, 16)}]`);
export const itimerspec = (mem: Mem, addr: bigint) =>
  struct(mem, addr, 32, (v) => `{it_interval=${timespecFields(v)}, it_value=${timespecFields(v, 16)}}`);
export const itimerval = (mem: Mem, addr: bigint) =>
  struct(mem, addr, 32, (v) => `{it_interval=${timevalFields(v)}, it_value=${timevalFields(v, 16)}}`);
export const timezone = (mem: Mem, addr: bigint) =>
  struct(mem, addr, 8, (v) => `{tz_minuteswest=${i32(v, 0)}, tz_dsttime=${i32(v, 4)}}`);

/** strace print_rlim64_t: RLIM64_INFINITY, N*1024, N. */
function rlim(n: bigint): string {
  if (n === 0xffffffffffffffffn) return 'RLIM64_INFINITY';
  return n > 1024n && n % 1024n === 0n ? `${n / 1024n}*1024` : n.toString();
}
export const rlimit = (mem: Mem, addr: bigint) =>
  struct(mem, addr, 16, (v) => `{rlim_cur=${rlim(u64(v, 0))}, rlim_max=${rlim(u64(v, 8))}}`);

export const rusage = (mem: Mem, addr: bigint) =>
  struct(mem, addr, 144, (v) => `{ru_utime=${timevalFields(v)}, ru_stime=${timevalFields(v, 16)}, ...}`);

function cfield(v: DataView, o: number, len: number): string {
  const b = new Uint8Array(v.buffer, v.byteOffset + o, len);
  const nul = b.indexOf(0);
  return quote(nul < 0 ? b : b.subarray(0, nul));
}
/** struct new_utsname (6 x 65 bytes): {sysname="Linux", nodename="prnr", ...}. */
export const utsname = (mem: Mem, addr: bigint) =>
  struct(mem, addr, 390, (v) => `{sysname=${cfield(v, 0, 65)}, nodename=${cfield(v, 65, 65)}, ...}`);

export const sysinfo = (mem: Mem, addr: bigint) => struct(mem, addr, 112, (v) => {
  const loads = [8, 16, 24].map((o) => u64(v, o)).join(', ');
  const names = ['totalram', 'freeram', 'sharedram', 'bufferram', 'totalswap', 'freeswap'];
  const mems = names.map((n, k) => `${n}=${u64(v, 32 + 8 * k)}`).join(', ');
  return `{uptime=${i64(v, 0)}, loads=[${loads}], ${mems}, procs=${v.getUint16(80, true)}, totalhigh=${u64(v, 88)}, freehigh=${u64(v, 96)}, mem_unit=${u32(v, 104)}}`;
});

export const tms = (mem: Mem, addr: bigint) => struct(mem, addr, 32, (v) =>
  `{tms_utime=${u64(v, 0)}, tms_stime=${u64(v, 8)}, tms_cutime=${u64(v, 16)}, tms_cstime=${u64(v, 24)}}`);

/** The kernel's struct sigaction on riscv (no sa_restorer): handler, flags, mask. */
export const sigaction = (mem: Mem, addr: bigint) => struct(mem, addr, 24, (v) => {
  const handler = u64(v, 0);
  const h = SA_HANDLERS.byValue.get(handler) ?? ptr(handler);
  const mask = new Uint8Array(v.buffer, v.byteOffset + 16, 8);
  return `{sa_handler=${h}, sa_mask=${sigmask(mask)}, sa_flags=${flags(SA_FLAGS, u64(v, 8), 'SA_???')}}`;
});

export const stackT = (mem: Mem, addr: bigint) => struct(mem, addr, 24, (v) =>
  `{ss_sp=${ptr(u64(v, 0))}, ss_flags=${flags(SS_FLAGS, u32(v, 8), 'SS_???')}, ss_size=${u64(v, 16)}}`);

/** An array of `n` ints: pipe2's and socketpair's fds "[3, 4]", getresuid's "[0]". */
export function ints(mem: Mem, addr: bigint, n: number, fmt: (x: number) => string = String): string {
  return struct(mem, addr, 4 * n, (v) => `[${Array.from({ length: n }, (_, k) => fmt(i32(v, 4 * k))).join(', ')}]`);
}

export const u64At = (mem: Mem, addr: bigint, fmt: (x: bigint) => string = String) => struct(mem, addr, 8, (v) => `[${fmt(u64(v, 0))}]`);

/** wait status as strace's printstatus(): [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
export function waitStatus(status: number): string {
  const low = status & 0x7f;
  let s: string;
  let rest = status;
  if ((status & 0xff) === 0x7f) {
    const sig = (status >> 8) & 0xff;
    s = `{WIFSTOPPED(s) && WSTOPSIG(s) == ${signal(BigInt(sig & 0x7f))}${sig & 0x80 ? ' | 0x80' : ''}}`;
    rest &= ~((sig << 8) | 0x7f);
  } else if (low !== 0 && low !== 0x7f) {
    s = `{WIFSIGNALED(s) && WTERMSIG(s) == ${signal(BigInt(low))}${status & 0x80 ? ' && WCOREDUMP(s)' : ''}}`;
    rest &= ~0xff;
  } else if (low === 0) {
    s = `{WIFEXITED(s) && WEXITSTATUS(s) == ${(status >> 8) & 0xff}}`;
    rest &= ~0xff00;
  } else if (status === 0xffff) {
    return '[{WIFCONTINUED(s)}]';
  } else {
    return `[${hex(status >>> 0)}]`;
  }
  if (rest >>> 16) s += `|${hex(rest >>> 16)}<<16`;
  if (rest & 0xffff) s += `|${hex(rest & 0xffff)}`;
  return `[${s}]`;
}

export const flock = (mem: Mem, addr: bigint, withPid: boolean, types: (t: number) => string) => struct(mem, addr, 32, (v) => {
  const whence = ['SEEK_SET', 'SEEK_CUR', 'SEEK_END'][v.getInt16(2, true)] ?? String(v.getInt16(2, true));
  const pid = withPid ? `, l_pid=${i32(v, 24)}` : '';
  return `{l_type=${types(v.getInt16(0, true))}, l_whence=${whence}, l_start=${i64(v, 8)}, l_len=${i64(v, 16)}${pid}}`;
});

/** struct open_how (openat2): {flags=..., mode=..., resolve=...}. */
export const openHow = (mem: Mem, addr: bigint, resolve: (r: bigint) => string) => struct(mem, addr, 24, (v) => {
  const f = u64(v, 0);
  const mode = u64(v, 8);
  const m = (f & 0o20000100n) !== 0n || mode !== 0n ? `, mode=${octal(mode)}` : '';
  return `{flags=${openFlags(f)}${m}, resolve=${resolve(u64(v, 16))}}`;
});

/** Abbreviated siginfo: the signal, code, and for SIGCHLD the child fields. */
export const siginfo = (mem: Mem, addr: bigint) => struct(mem, addr, 128, (v) => {
  const signo = i32(v, 0);
  const code = i32(v, 8);
  if (signo === 0) return '{}';
  const head = `{si_signo=${signal(BigInt(signo))}, si_code=${code}`;
  if (signo === 17) {
    return `${head}, si_pid=${i32(v, 16)}, si_uid=${id(BigInt(u32(v, 20)))}, si_status=${i32(v, 24)}, si_utime=${i64(v, 32)}, si_stime=${i64(v, 40)}}`;
  }
  return `${head}, ...}`;
});

/** struct clone_args (clone3), the fields strace shows by default. */
export const cloneArgs = (mem: Mem, addr: bigint, size: bigint, flagText: (f: bigint) => string) => {
  if (size < 64n) return ptr(addr);
  return struct(mem, addr, 64, (v) => {
    const f = u64(v, 0);
    let s = `{flags=${flagText(f)}`;
    if (f & 0x1000n) s += `, pidfd=${ptr(u64(v, 8))}`;
    if (f & 0x1200000n) s += `, child_tid=${ptr(u64(v, 16))}`;
    if (f & 0x100000n) s += `, parent_tid=${ptr(u64(v, 24))}`;
    s += `, exit_signal=${signal(u64(v, 32))}, stack=${ptr(u64(v, 40))}, stack_size=${hex(u64(v, 48))}`;
    if (f & 0x80000n) s += `, tls=${ptr(u64(v, 56))}`;
    return `${s}}`;
  });
};

