// What of a syscall two executions can be expected to share (docs/design.md
// 5, diff): its decoded text without what moves between runs that do the
// same thing. The whole normalisation, kept small on purpose:
//   - addresses: hex numbers of five digits or more (0x10000 and up: user
//     pointers, mmap and brk results, stacks) become 0x?; small hex values
//     (flags, modes) stay;
//   - times: tv_sec/tv_nsec/tv_usec and the other clock fields of the structs
//     strace prints (rusage, tms, siginfo, sysinfo's uptime and loads) become ?,
//     and so does what times() returns (clock ticks since boot);
//   - memory counters of sysinfo (free, shared, buffer RAM, swap) become ?;
//   - process and thread ids where a call takes or returns one (fork's child,
//     getpid, wait4, kill, setpgid, ...) become the process's place in the
//     fork tree (diff.ts), so runs that number their processes differently
//     still compare equal.
// Everything else, strings, flags, fds, counts, errors, is compared as is.
import type { TracedCall } from '../dimensions/syscalls.ts';

const ADDRESS = /\b0x[0-9a-f]{5,}\b/g;
const CLOCK_FIELDS = /\b(tv_sec|tv_nsec|tv_usec|uptime|tms_utime|tms_stime|tms_cutime|tms_cstime|si_utime|si_stime|freeram|sharedram|bufferram|freeswap|freehigh)=-?\d+/g;
const LOADS = /\bloads=\[[^\]]*\]/g;
/** Calls whose result is a time. */
const TIME_RESULTS = new Set(['times']);

/** Calls whose result is a process or thread id. */
const PID_RESULTS = new Set(['clone', 'clone3', 'getpid', 'getppid', 'gettid', 'set_tid_address', 'wait4']);
/** Calls' arguments that are process or thread ids, by position. */
const PID_ARGS: Record<string, number[]> = { kill: [0], tkill: [0], tgkill: [0, 1], setpgid: [0, 1], getpgid: [0], getsid: [0], wait4: [0], prlimit64: [0], sched_getaffinity: [0], sched_setaffinity: [0] };

export function normalizeText(text: string): string {
  return text.replace(ADDRESS, '0x?').replace(CLOCK_FIELDS, '$1=?').replace(LOADS, 'loads=[?]');
}

/** A process or thread id's stand-in (its place in the fork tree), or undefined for one the trace does not know. */
export type PidName = (pid: number) => string | undefined;

/** The call as the diff compares it: name, normalised arguments and result. */
export function normalizedCall(c: TracedCall, pidName: PidName = () => undefined): string {
  const { name, args, errno } = c.record;
  const pid = (text: string) => (/^\d+$/.test(text) ? pidName(Number(text)) ?? text : text);
  const slots = PID_ARGS[name] ?? [];
  const shown = args.map((a, i) => (slots.includes(i) ? pid(a) : normalizeText(a)));
  const ret = errno !== null ? normalizeText(c.record.ret) : TIME_RESULTS.has(name) ? '?' : PID_RESULTS.has(name) ? pid(c.record.ret) : normalizeText(c.record.ret);
  return `${name}(${shown.join(', ')}) = ${ret}`;
}
