// Comparing one call as qemu-riscv64 -strace printed it with our decoding of
// the same registers. qemu's format is not strace's; the normalisation is
// this file, all of it:
//
// N1 whitespace outside string literals is dropped on both sides
//    (qemu: "{tv_sec = 0,tv_nsec = 5}", ", " never; strace: ", " between all).
// N2 numbers compare by value: qemu pads pointers to 16 hex digits, prints
//    offsets in decimal where strace prints hex, NULL is 0, a leading 0 is octal;
//    qemu 7.2 prints read's and write's buffer with %#x, cut to 32 bits: a
//    qemu hex number equal to our value's low 32 bits is the same.
// N3 where qemu prints a bare number and we print a name or a struct, qemu
//    does not decode that argument (e.g. newfstatat's flags, getrandom's
//    flags): counted, not compared. The reverse (qemu decodes, we print a
//    number) is a difference.
// N4 flags (A|B|C) compare as sets: qemu orders some differently
//    (O_DIRECTORY before O_NONBLOCK; strace prints it last).
// N5 strings: qemu prints them raw and whole; we decode with -s 65536 and the
//    test's paths and arguments are plain ASCII, so they compare as text.
// N6 syscalls qemu has no printer for: qemu prints the six registers in
//    decimal; only the name is compared.
// N7 clone: qemu prints "FLAGS|0xSIG,child_stack=..,parent_tidptr=..,tls=..,
//    child_tidptr=.."; strace "child_stack=.., flags=FLAGS|SIGNAME, [fields the
//    flags use]": fields compare by name, qemu's hex exit signal as a number.
// N8 execve: qemu prints argv as {"a","b",NULL} and no envp; we print
//    ["a", "b"] and the envp count: argv compares, envp is ours alone.
// N9 a mode with a file type (cp's openat(..., S_IFREG|0644)): qemu prints the
//    type by name, strace the number (0100644): the permission bits compare.
// N10 nanosleep/clock_nanosleep's remainder: qemu prints the struct at entry,
//    strace the pointer unless a signal cut the sleep: not compared.
// N11 fchmodat: qemu prints a fourth argument (glibc's flags) that Linux
//    6.1's fchmodat does not take (strace prints three): not compared.
// N12 rt_sigreturn's return: qemu logs its internal -QEMU_ESIGRETURN (513),
//    not a value the guest sees: not compared.
// N13 returns: qemu "-1 errno=N (text)" against "-1 ENAME (text)": the text
//    compares (glibc's strerror on both sides); a success compares by value
//    (N2), qemu's trailing "(struct)" and our "(flags ...)" aside.
import type { SyscallRecord } from '../../src/analysis/syscalls/index.ts';
import { signalName } from '../../src/analysis/syscalls/index.ts';
import { GuestMemory } from './guest-memory.ts';
import type { QemuCall } from './qemu.ts';

/** Split an argument list at its top-level commas. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
      cur += text.slice(i, j + 1);
      i = j;
      continue;
    }
    if ('({['.includes(c)) depth++;
    if (')}]'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '' || out.length) out.push(cur);
  return out;
}

/** N1. */
function squeeze(s: string): string {
  return s.replace(/("(?:[^"\\]|\\.)*")|\s+/g, (_m, str) => str ?? '');
}

/** N2: the value of a number as either side prints it, or undefined. */
export function numberOf(s: string): bigint | undefined {
  if (s === 'NULL') return 0n;
  if (/^-?\d+$/.test(s)) return BigInt.asUintN(64, BigInt(s.length > 1 && s.startsWith('0') ? `0o${s.slice(1)}` : s));
  if (/^0x[0-9a-f]+$/.test(s)) return BigInt(s);
  return undefined;
}

const isFlags = (s: string) => /^[A-Z_0-9]+(\|[A-Za-z_0-9]+)+$/.test(s);

/** The memory qemu's entry text shows: strings, argv arrays and timespecs where the registers point. */
export function memoryFrom(call: QemuCall, tokens: string[]): GuestMemory {
  const mem = new GuestMemory();
  let spare = 0x7fff_0000_0000n;
  tokens.forEach((t, i) => {
    const at = call.args[i];
    if (at === undefined || at === 0n) return;
    let m: RegExpExecArray | null;
    if (/^"[^"]*"$/.test(t)) mem.str(at, t.slice(1, -1));
    else if ((m = /^\{((?:"[^"]*",)*)NULL\}$/.exec(t))) {
      const items = [...m[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
      const ptrs = items.map((s) => {
        const p = (spare += 0x1000n);
        mem.str(p, s);
        return p;
      });
      mem.u64(at, ...ptrs, 0n);
    } else if ((m = /^\{tv_sec = (-?\d+),tv_nsec = (-?\d+)\}$/.exec(t))) mem.u64(at, BigInt(m[1]), BigInt(m[2]));
  });
  return mem;
}

export type Outcome = 'same' | 'qemu-undecoded' | 'skipped' | 'differs';

function compareValue(q: string, ours: string): Outcome {
  const qs = squeeze(q);
  const os = squeeze(ours);
  if (qs === os) return 'same';
  const qn = numberOf(qs);
  const on = numberOf(os);
  if (qn !== undefined) {
    if (on === undefined) return 'qemu-undecoded';
    return qn === on || (qs.startsWith('0x') && qn === (on & 0xffffffffn)) ? 'same' : 'differs';
  }
  const mode = /^S_IF[A-Z]+\|(0[0-7]+)$/.exec(qs);
  if (mode && on !== undefined) return (on & 0o7777n) === numberOf(mode[1]) ? 'same' : 'differs';
  if (isFlags(qs) || isFlags(os)) {
    const set = (s: string) => [...s.split('|')].sort().join('|');
    return set(qs) === set(os) ? 'same' : 'differs';
  }
  return 'differs';
}

function fields(tokens: string[]): Map<string, string> {
  return new Map(tokens.map((t) => {
    const eq = t.indexOf('=');
    return eq < 0 ? ['flags', t] : [t.slice(0, eq).trim(), t.slice(eq + 1)];
  }));
}

/** N7: qemu's "CLONE_X|0x11" as strace's "CLONE_X|SIGCHLD". */
function cloneFlags(q: string): string {
  return q.split('|').map((f) => (/^0x[0-9a-f]+$/.test(f) ? signalName(Number(f)) ?? f : f)).join('|');
}

export interface ArgResult {
  index: number;
  outcome: Outcome;
  qemu: string;
  ours: string;
}

/** Compare the arguments of one call (N1-N10). */
export function compareArgs(name: string, qemuArgs: string[], ours: SyscallRecord): ArgResult[] {
  const result = (index: number, qemu: string, mine: string | undefined, outcome?: Outcome): ArgResult =>
    ({ index, qemu, ours: mine ?? '(missing)', outcome: outcome ?? (mine === undefined ? 'differs' : compareValue(qemu, mine)) });
  if (name === 'clone') {
    const q = fields(qemuArgs);
    const o = fields(ours.args);
    return [...o].map(([key, v], i) => {
      const qv = q.get(key);
      if (qv === undefined) return result(i, '(not printed)', v, key === 'parent_tid' ? 'skipped' : 'differs');
      return result(i, key === 'flags' ? cloneFlags(qv) : qv, v);
    });
  }
  if (name === 'execve' && qemuArgs.length === 2) {
    const argv = qemuArgs[1].replace(/^\{(.*?),?NULL\}$/, '[$1]');
    return [result(0, qemuArgs[0], ours.args[0]), result(1, argv, ours.args[1])];
  }
  return qemuArgs.map((q, i) => {
    const skip = (name === 'clock_nanosleep' && i === 3) || (name === 'nanosleep' && i === 1) || (name === 'fchmodat' && i === 3);
    if (skip) return result(i, q, ours.args[i], 'skipped');
    return result(i, q, ours.args[i]);
  });
}

/** N6: qemu printed the six raw registers in decimal (it has no printer for this call). */
export function isRaw(call: QemuCall, qemuArgs: string[]): boolean {
  return qemuArgs.length === 6 && qemuArgs.every((t, i) => /^-?\d+$/.test(t) && BigInt.asUintN(64, BigInt(t)) === call.args[i]);
}

/** N13: the return. */
export function compareReturn(qemuRet: string, ours: SyscallRecord, errnoText: (n: number) => string): Outcome {
  const err = /^-1 errno=(\d+) \((.*)\)$/.exec(qemuRet);
  if (err) return ours.errno !== null && ours.ret === `-1 ${ours.errno} (${err[2]})` && err[2] === errnoText(Number(err[1])) ? 'same' : 'differs';
  if (ours.errno !== null) return 'differs';
  const q = numberOf(qemuRet.split(' ')[0]);
  const o = numberOf(ours.ret.split(' ')[0]);
  if (q === undefined || o === undefined) return 'skipped';
  return q === o ? 'same' : 'differs';
}
