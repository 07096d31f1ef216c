// Argument kinds for memory, processes, signals, time and the rest of the
// kernel's interfaces.
import { type ArgKind, type Ctx, flagsOf, lengthOf, value, xvalOf } from './kind.ts';
import { hex, ptr, uint } from './format.ts';
import { flags, xval } from './xlat.ts';
import { buf, cstr } from './strings.ts';
import { sigmask, signal, signalName } from './signals.ts';
import * as P from './flags-proc.ts';
import * as S from './structs.ts';

/** mmap's flags: the mapping type, then the other flags (strace print_mmap_flags). */
function mapFlags(v: bigint): string {
  const f = v & 0xffffffffn;
  const type = xval(P.MAP_TYPE, f & 0xfn, 'MAP_???');
  const rest = f & ~0xfn;
  return rest ? `${type}|${flags(P.MAP_FLAGS, rest)}` : type;
}

/** clone's flags with the exit signal (CSIGNAL) appended by name: CLONE_CHILD_SETTID|SIGCHLD. */
function cloneFlags(v: bigint): string {
  const sig = v & 0xffn;
  const rest = v & ~0xffn;
  if (!rest) return signal(sig);
  const f = flags(P.CLONE_FLAGS, rest, 'CLONE_???');
  return sig ? `${f}|${signal(sig)}` : f;
}

/** riscv's clone(flags, stack, parent_tid, tls, child_tid) printed in strace's order and names (clone.c). */
const CLONE_PARENT_SETTID = 0x100000n;
const CLONE_PIDFD = 0x1000n;
const CLONE_SETTLS = 0x80000n;
const CLONE_CHILD_TIDS = 0x1200000n;
function cloneTail(c: Ctx): string | undefined {
  const f = c.args[0] & ~0xffn;
  const parts: string[] = [];
  if (f & (CLONE_PARENT_SETTID | CLONE_PIDFD)) {
    const at = c.args[2];
    parts.push(`parent_tid=${c.failed ? ptr(at) : S.ints(c.mem, at, 1)}`);
  }
  if (f & CLONE_SETTLS) parts.push(`tls=${ptr(c.args[3])}`);
  if (f & CLONE_CHILD_TIDS) parts.push(`child_tidptr=${ptr(c.args[4])}`);
  return parts.length ? parts.join(', ') : undefined;
}

function futexArg(c: Ctx, slot: number): string | undefined {
  const op = Number(BigInt.asUintN(32, c.args[1]));
  const cmd = P.futexOpName(op & 127) ?? '';
  const a = c.args;
  const u = (k: number) => uint(a[k]);
  const ts = () => S.timespec(c.mem, a[3]);
  const bitset = () => xval(P.FUTEX_BITSET, BigInt.asUintN(32, a[5]));
  const by: Record<string, (() => string)[]> = {
    FUTEX_WAIT: [() => u(2), ts],
    FUTEX_LOCK_PI: [ts],
    FUTEX_LOCK_PI2: [ts],
    FUTEX_WAIT_BITSET: [() => u(2), ts, bitset],
    FUTEX_WAKE_BITSET: [() => u(2), bitset],
    FUTEX_REQUEUE: [() => u(2), () => u(3), () => ptr(a[4])],
    FUTEX_CMP_REQUEUE: [() => u(2), () => u(3), () => ptr(a[4]), () => u(5)],
    FUTEX_CMP_REQUEUE_PI: [() => u(2), () => u(3), () => ptr(a[4]), () => u(5)],
    FUTEX_WAKE_OP: [() => u(2), () => u(3), () => ptr(a[4]), () => hex(BigInt.asUintN(32, a[5]))],
    FUTEX_WAIT_REQUEUE_PI: [() => u(2), ts, () => ptr(a[4])],
    FUTEX_WAKE: [() => u(2)],
    FUTEX_FD: [() => u(2)],
    FUTEX_UNLOCK_PI: [],
    FUTEX_TRYLOCK_PI: [],
  };
  const printers = by[cmd] ?? [() => hex(a[2]), () => hex(a[3]), () => hex(a[4]), () => hex(a[5])];
  return printers[slot - 2]?.();
}

/** prctl's arguments after the option (strace prctl.c for the common options, hex for the rest). */
function prctlArg(c: Ctx, slot: number, phase: 'enter' | 'exit'): string | null | undefined {
  const option = P.PRCTL_OPTIONS.byValue.get(BigInt.asUintN(32, c.args[0]));
  const a = c.args[slot];
  switch (option) {
    case 'PR_SET_NAME': return slot === 1 ? cstr(c.mem, a, c.strsize, 15) : undefined;
    case 'PR_GET_NAME':
      if (slot !== 1) return undefined;
      if (phase === 'enter') return null;
      return c.failed ? ptr(a) : cstr(c.mem, a, c.strsize, 16);
    case 'PR_SET_PDEATHSIG': return slot === 1 ? signal(a) : undefined;
    case 'PR_GET_PDEATHSIG':
      if (slot !== 1) return undefined;
      if (phase === 'enter') return null;
      return c.failed ? ptr(a) : S.ints(c.mem, a, 1, (n) => signalName(n) ?? String(n));
    case 'PR_GET_DUMPABLE': case 'PR_GET_KEEPCAPS': case 'PR_GET_SECCOMP': case 'PR_GET_TIMERSLACK':
    case 'PR_GET_CHILD_SUBREAPER': case 'PR_GET_NO_NEW_PRIVS': case 'PR_GET_THP_DISABLE':
    case 'PR_TASK_PERF_EVENTS_DISABLE': case 'PR_TASK_PERF_EVENTS_ENABLE':
      return undefined;
    case 'PR_SET_DUMPABLE': case 'PR_SET_KEEPCAPS': case 'PR_SET_CHILD_SUBREAPER': case 'PR_SET_NO_NEW_PRIVS':
    case 'PR_SET_TIMERSLACK': case 'PR_SET_THP_DISABLE':
      return slot === 1 ? uint(a) : undefined;
    default: return hex(a);
  }
}

function syslogArg(c: Ctx, slot: number, phase: 'enter' | 'exit'): string | null | undefined {
  const type = Number(BigInt.asIntN(32, c.args[0]));
  const len = Number(BigInt.asIntN(32, c.args[2]));
  if ([0, 1, 5, 6, 7, 9, 10].includes(type)) return undefined;
  if (type >= 2 && type <= 4) {
    if (phase === 'enter') return null;
    if (slot === 2) return String(len);
    return c.failed ? ptr(c.args[1]) : buf(c.mem, c.args[1], c.ret, c.strsize);
  }
  if (slot === 1) return ptr(c.args[1]);
  if (type !== 8) return String(len);
  return `${len} /* ${P.LOGLEVELS.byValue.get(BigInt(len)) ?? 'LOGLEVEL_???'} */`;
}

/** A CPU affinity mask of `len` bytes: the set CPUs, "[0 1]" (strace print_affinitylist). */
function cpuset(c: Ctx, addr: bigint, len: bigint): string {
  const size = Number(len > 4096n ? 4096n : len < 0n ? 0n : len);
  const b = c.mem.bytes(addr, size);
  if (!b || addr === 0n) return ptr(addr);
  const cpus: number[] = [];
  b.forEach((byte, k) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) cpus.push(8 * k + bit);
  });
  return `[${cpus.join(' ')}]`;
}

export const PROC_KINDS: Record<string, ArgKind> = {
  prot: flagsOf(P.PROT, 'PROT_???'),
  mapflags: value(mapFlags),
  mremapflags: flagsOf(P.MREMAP_FLAGS, 'MREMAP_???'),
  /** mremap's new address: printed only with MREMAP_FIXED. */
  mremapaddr: value((v, c) => ((c.args[3] & 2n) !== 0n ? ptr(v) : undefined)),
  msyncflags: flagsOf(P.MSYNC_FLAGS, 'MS_???'),
  mlockallflags: flagsOf(P.MLOCKALL_FLAGS, 'MCL_???'),
  mlockflags: flagsOf(P.MLOCK_FLAGS, 'MLOCK_???'),
  madvice: xvalOf(P.MADVICE, 'MADV_???'),

  clonestack: value((_v, c) => `child_stack=${ptr(c.args[1])}`),
  cloneflags: value((_v, c) => `flags=${cloneFlags(c.args[0])}`),
  /** The arguments clone prints at return: parent_tid=[N], tls=, child_tidptr=, as the flags ask. */
  clonetail: { exit: (c) => cloneTail(c) },
  /** unshare/setns: namespace flags without an exit signal. */
  nsflags: flagsOf(P.CLONE_FLAGS, 'CLONE_???'),
  clone3args: value((v, c, _i, p) =>
    S.cloneArgs(c.mem, v, typeof p === 'number' ? c.args[p] : 0n, (f) => flags(P.CLONE3_FLAGS, f, 'CLONE_???'))),

  /** wait4's status: printed at return, the pointer when no child was reaped. */
  wstatus: {
    exit: (c, i) => {
      const at = c.args[i];
      if (c.failed || c.ret === 0n || at === 0n) return ptr(at);
      const s = c.mem.i32(at);
      return s === undefined ? ptr(at) : S.waitStatus(s);
    },
  },
  waitopts: flagsOf(P.WAIT_OPTIONS, 'W???'),
  waitidtype: xvalOf(P.WAITID_TYPES, 'P_???'),
  rusage: value((v, c) => S.rusage(c.mem, v)),
  siginfo: value((v, c) => S.siginfo(c.mem, v)),

  sighow: xvalOf(P.SIGPROCMASK_HOW, 'SIG_???'),
  /**
   * rt_sigreturn's "argument": the mask it restores, from the signal frame at
   * sp (riscv struct rt_sigframe: siginfo, 128 bytes, then ucontext with
   * uc_sigmask at 40). Left out when the event has no sp.
   */
  sigreturnmask: {
    enter: (c) => {
      if (c.sp === undefined) return undefined;
      const b = c.mem.bytes(c.sp + 168n, 8);
      return b ? `{mask=${sigmask(b)}}` : `{mask=${ptr(c.sp + 168n)}}`;
    },
  },
  sigaction: value((v, c) => S.sigaction(c.mem, v)),
  stack: value((v, c) => S.stackT(c.mem, v)),

  rlimres: xvalOf(P.RLIMITS, 'RLIMIT_???'),
  rlimit: value((v, c) => S.rlimit(c.mem, v)),
  rusagewho: xvalOf(P.RUSAGE_WHO, 'RUSAGE_???'),
  priowhich: xvalOf(P.PRIO_WHICH, 'PRIO_???'),
  itimerwhich: xvalOf(P.ITIMER_WHICH, 'ITIMER_???'),
  schedpolicy: xvalOf(P.SCHED_POLICIES, 'SCHED_???'),
  clockid: value((v) => xval(P.CLOCKS, BigInt.asIntN(32, v), undefined, (n) => n.toString())),
  timerflags: flagsOf(P.TIMER_FLAGS, 'TIMER_???'),
  /** A CPU mask whose size is argument @N, or the return value. */
  cpuset: value((v, c, _i, p) => cpuset(c, v, lengthOf(c, p))),
  utsname: value((v, c) => S.utsname(c.mem, v)),
  sysinfo: value((v, c) => S.sysinfo(c.mem, v)),
  tms: value((v, c) => S.tms(c.mem, v)),

  futexop: value((v) => {
    const op = Number(BigInt.asUintN(32, v));
    return P.futexOpName(op) ?? `${hex(op)} /* FUTEX_??? */`;
  }),
  /** futex's arguments after the op, as many as the op uses (strace futex.c). */
  futexarg: value((_v, c, i) => futexArg(c, i)),
  prctlop: xvalOf(P.PRCTL_OPTIONS, 'PR_???'),
  prctlarg: { enter: (c, i) => prctlArg(c, i, 'enter'), exit: (c, i, _p, e) => (e === null ? prctlArg(c, i, 'exit') : e) },
  reboot1: xvalOf(P.REBOOT_MAGIC1, 'LINUX_REBOOT_MAGIC_???'),
  reboot2: xvalOf(P.REBOOT_MAGIC2, 'LINUX_REBOOT_MAGIC_???'),
  rebootcmd: xvalOf(P.REBOOT_CMDS, 'LINUX_REBOOT_CMD_???'),
  /** reboot's argument: a string for LINUX_REBOOT_CMD_RESTART2 only. */
  rebootarg: value((v, c) => (BigInt.asUintN(32, c.args[2]) === 0xa1b2c3d4n ? cstr(c.mem, v, c.strsize, 255) : undefined)),
  syslogtype: value((v) => {
    const n = Number(BigInt.asIntN(32, v));
    const name = P.SYSLOG_ACTIONS.byValue.get(BigInt(n));
    return `${n} /* ${name ?? 'SYSLOG_ACTION_???'} */`;
  }),
  syslogarg: { enter: (c, i) => syslogArg(c, i, 'enter'), exit: (c, i, _p, e) => (e === null ? syslogArg(c, i, 'exit') : e) },
  grndflags: flagsOf(P.GRND_FLAGS, 'GRND_???'),
  membarriercmd: xvalOf(P.MEMBARRIER_CMDS, 'MEMBARRIER_CMD_???'),
  seccompop: xvalOf(P.SECCOMP_OPS, 'SECCOMP_SET_MODE_???'),
  ptracereq: xvalOf(P.PTRACE_REQUESTS, 'PTRACE_???'),
};
