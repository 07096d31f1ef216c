// Decoding one syscall in two steps: at entry (arguments and strings as
// memory holds them then) and at return (out-parameters and the result as
// memory holds them then). Nothing here throws on guest data: unknown
// numbers, wild pointers and unterminated strings all decode to text.
import type { DecodeOptions, PendingSyscall, ReadVirt, SyscallEntryEvent, SyscallRecord } from './types.ts';
import type { ArgKind, ArgText, Ctx } from './kind.ts';
import { Mem } from './memory.ts';
import { hex, ptr, u64 } from './format.ts';
import { SYSCALLS, type ArgSpec, type SyscallSpec } from './table.ts';
import { KINDS } from './kinds.ts';
import { RETURNS } from './returns.ts';
import { RESTART_CODES, errnoName, errnoText } from './errno.ts';

const DEFAULT_STRSIZE = 32;
const MAX_ERRNO = 4095n;

/** The name strace gives a number the table does not know. */
export function unknownName(nr: number): string {
  return `syscall_${hex(BigInt(nr))}`;
}

/** The decoded name of syscall `nr` on riscv64 Linux 6.1. */
export function syscallName(nr: number): string {
  return SYSCALLS.get(nr)?.name ?? unknownName(nr);
}

function registers(args: readonly bigint[]): bigint[] {
  return Array.from({ length: 6 }, (_, k) => u64(args[k] ?? 0n));
}

function context(p: PendingSyscall, read: ReadVirt, ret?: bigint): Ctx {
  const r = ret === undefined ? 0n : BigInt.asIntN(64, ret);
  return {
    nr: p.nr, args: p.raw, sp: p.sp, mem: new Mem(read), strsize: p.strsize,
    exiting: ret !== undefined, ret: r, failed: ret !== undefined && r < 0n && r >= -MAX_ERRNO,
  };
}

/** The kind an argument slot uses, with ">" applied: printed at return, the pointer on failure. */
function kindOf(a: ArgSpec): ArgKind {
  const k = KINDS[a.kind];
  if (!k) return { enter: (c, i) => hex(c.args[i]) };
  if (!a.out) return k;
  const decode = k.enter ?? k.exit;
  return {
    exit: (c, i, p) => (c.failed || !decode ? ptr(c.args[i]) : decode(c, i, p, undefined) ?? ptr(c.args[i])),
  };
}

function safe(fn: () => ArgText, fallback: string): ArgText {
  try {
    return fn();
  } catch (_) {
    // A decoder bug must not lose the call: print the raw register instead.
    return fallback;
  }
}

/** Decode a syscall entry: `read` is the calling process's memory at the entry tick. */
export function enterSyscall(event: SyscallEntryEvent, read: ReadVirt, options: DecodeOptions = {}): PendingSyscall {
  const nr = event.nr;
  const spec = SYSCALLS.get(nr);
  const strsize = Math.max(0, Math.floor(options.strsize ?? DEFAULT_STRSIZE));
  const pending: PendingSyscall = { nr, name: spec?.name ?? unknownName(nr), raw: registers(event.args), text: [], strsize };
  if (event.sp !== undefined) pending.sp = u64(event.sp);
  if (!spec) {
    pending.text = pending.raw.map((v) => hex(v));
    return pending;
  }
  const c = context(pending, read);
  pending.text = spec.args.map((a, i) => {
    const k = kindOf(a);
    return k.enter ? safe(() => k.enter!(c, i, a.param), hex(c.args[i])) : null;
  });
  return pending;
}

function returnText(spec: SyscallSpec | undefined, c: Ctx): { ret: string; errno: string | null } {
  if (c.failed) {
    const e = Number(-c.ret);
    const restart = RESTART_CODES.get(e);
    const name = errnoName(e);
    if (restart) return { ret: `? ${name} (${restart})`, errno: name ?? null };
    if (!name) return { ret: `-1 (errno ${e})`, errno: `ERRNO_${e}` };
    return { ret: `-1 ${name} (${errnoText(e)})`, errno: name };
  }
  const print = RETURNS[spec?.ret ?? 'dec'] ?? RETURNS.dec;
  return { ret: safe(() => print(c), c.ret.toString()) ?? c.ret.toString(), errno: null };
}

function finishArgs(texts: readonly ArgText[]): string[] {
  return texts.filter((t): t is string | null => t !== undefined).map((t) => t ?? '?');
}

/** Run the return-time decoders of every argument slot. */
function finishTexts(pending: PendingSyscall, c: Ctx): ArgText[] {
  const spec = SYSCALLS.get(pending.nr);
  return pending.text.map((t, i) => {
    const a = spec?.args[i];
    if (!a) return t;
    const k = kindOf(a);
    if (!k.exit) return t;
    const out = safe(() => k.exit!(c, i, a.param, t), hex(c.args[i]));
    return out === null ? hex(c.args[i]) : out;
  });
}

/** Decode the return of a pending call: `read` is the process's memory at the return tick, `ret` is a0. */
export function exitSyscall(pending: PendingSyscall, ret: bigint, read: ReadVirt): SyscallRecord {
  const spec = SYSCALLS.get(pending.nr);
  const c = context(pending, read, ret);
  const { ret: retText, errno } = returnText(spec, c);
  return {
    nr: pending.nr, name: pending.name, args: finishArgs(finishTexts(pending, c)), ret: retText, errno, retval: c.ret,
    raw: pending.raw, noReturn: spec?.ret === 'none', unfinished: false,
  };
}

const EFAULT = 14n;

/**
 * Close a call that never returned: exit/exit_group ("= ?"), or one cut off
 * by the thread's death or the end of the recording. Arguments that print at
 * return print as they would for a failed call: mostly as their pointer.
 */
export function unfinishedSyscall(pending: PendingSyscall): SyscallRecord {
  const spec = SYSCALLS.get(pending.nr);
  const c = context(pending, () => undefined, -EFAULT);
  return {
    nr: pending.nr, name: pending.name, args: finishArgs(finishTexts(pending, c)), ret: '?', errno: null, retval: null,
    raw: pending.raw, noReturn: spec?.ret === 'none', unfinished: spec?.ret !== 'none',
  };
}

/** Both steps at once, for a call whose entry and return are at hand. */
export function decodeSyscall(
  event: SyscallEntryEvent, ret: bigint, readAtEntry: ReadVirt, readAtReturn: ReadVirt = readAtEntry,
  options: DecodeOptions = {},
): SyscallRecord {
  return exitSyscall(enterSyscall(event, readAtEntry, options), ret, readAtReturn);
}
