// Signals of riscv64 Linux (asm-generic/signal.h) as strace names them:
// SIGHUP..SIGSYS, SIGRTMIN (32), SIGRT_1..SIGRT_32 (33..64), and sigsets
// printed as "[CHLD]" or, with two thirds or more of the bits set, as the
// complement "~[RTMIN RT_1]" (strace src/signal.c).
import type { Mem } from './memory.ts';
import { ptr } from './format.ts';

const NAMES = [
  '0', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR',
  'SIGSYS', 'SIGRTMIN',
];
const SIGRTMIN = 32;
const SIGRTMAX = 64;
/** Bytes of the kernel's sigset_t (_NSIG / 8). */
export const NSIG_BYTES = 8;

/** The name of signal `n` ("SIGCHLD", "SIGRT_3"), or undefined. */
export function signalName(n: number): string | undefined {
  if (n > 0 && n < NAMES.length) return NAMES[n];
  if (n > SIGRTMIN && n <= SIGRTMAX) return `SIGRT_${n - SIGRTMIN}`;
  return undefined;
}

/** strace printsignal(): the name, else the number. */
export function signal(v: bigint): string {
  const n = Number(BigInt.asIntN(32, v));
  return n === 0 ? '0' : signalName(n) ?? String(n);
}

/** A sigset held in `bytes` (little-endian words), as strace's sprintsigmask_n prints it. */
export function sigmask(bytes: Uint8Array): string {
  const words = Math.ceil(Math.min(bytes.length, NSIG_BYTES) / 4);
  const nbits = words * 32;
  const bit = (i: number) => (i >> 3 < bytes.length ? (bytes[i >> 3] >> (i & 7)) & 1 : 0);
  let set = 0;
  for (let i = 0; i < nbits; i++) set += bit(i);
  const invert = set >= Math.floor((nbits * 2) / 3);
  const names: string[] = [];
  for (let i = 0; i < nbits; i++) {
    if ((bit(i) === 1) === invert) continue;
    const n = i + 1;
    if (n < NAMES.length) names.push(NAMES[n].slice(3));
    else if (n > SIGRTMIN && n <= SIGRTMAX) names.push(`RT_${n - SIGRTMIN}`);
  }
  return `${invert ? '~' : ''}[${names.join(' ')}]`;
}

/** A pointer to a sigset of `len` bytes (print_sigset_addr_len): NULL, the pointer if unreadable or of a bad size, else the set. */
export function sigsetAt(mem: Mem, addr: bigint, len: bigint): string {
  if (addr === 0n) return 'NULL';
  if (len <= 0n || len > BigInt(NSIG_BYTES)) return ptr(addr);
  const b = mem.bytes(addr, Number(len));
  return b ? sigmask(b) : ptr(addr);
}
