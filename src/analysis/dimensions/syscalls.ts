// The syscalls dimension (docs/design.md 5): every syscall of every task,
// decoded as strace prints it (src/analysis/syscalls), tagged with the task's
// pid, tid and comm from the OS profile.
//
// Per slice: calls entered and returned in the slice are decoded whole, with
// memory read at entry and at return (the replay stops at each). A call
// still open at the slice's end is kept with its entry decoding; its task's
// first return in a later slice (an orphan there) is decoded there against
// the registers and the kernel's saved frame, every byte the return's
// decoding read is kept, and the merge finishes the open call by replaying
// those reads: the call appears once, whole, at its entry tick.
import type { AnalysisEvent, MachineView } from '../../shared/analysis.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { integerParams, type AnalysisEnv, type Dimension } from '../dimension.ts';
import { CallTracker, OpenCalls, outcome, type Entered } from '../linux/calls.ts';
import { landing, readTask, type Landing, type TaskIdentity } from '../linux/kernel.ts';
import { sha256, toHex } from '../../shared/sha256.ts';
import { utf8Encode } from '../../shared/utf8.ts';
import { SYSCALLS, decodeSyscall, enterSyscall, exitSyscall, signalName, syscallName, unfinishedSyscall, type PendingSyscall, type ReadVirt, type SyscallRecord } from '../syscalls/index.ts';
import { ptr } from '../syscalls/format.ts';

export interface SyscallsParams {
  /** strace -s: the most bytes of a string or buffer printed. */
  strsize: number;
  [key: string]: number;
}

/** One call, whole. */
export interface TracedCall {
  /** Entry tick: seeking there puts the machine at the trap the ecall entered (sepc = pc, a7 = the number). */
  tick: bigint;
  /** Return tick (the sret back to U-mode), or null when it never returned. */
  endTick: bigint | null;
  /** Address of the ecall. */
  pc: bigint;
  /** The task_struct (a kernel address): tells tasks apart when they cannot be named. */
  task: bigint;
  /** The calling task as the kernel named it at entry; null without an OS profile. */
  who: TaskIdentity | null;
  record: SyscallRecord;
  /** Why the call has no ordinary result (a signal, a restart, the task's end). */
  note?: string;
}

/** What a call's entry leaves for its return: the caller and the entry's decoding. */
interface EntryData {
  who: TaskIdentity | null;
  pending: PendingSyscall;
}

/** A call entered in a slice that had not returned by the slice's end. */
type OpenCall = Entered<EntryData>;

/** One read of guest memory made while decoding an orphan return, with what it found. */
interface CapturedRead {
  addr: bigint;
  len: number;
  bytes: Uint8Array | null;
}

/** A task's first return in a slice with no entry there: the end of a call opened in an earlier slice, or a new task's first. */
interface OrphanReturn {
  task: bigint;
  tick: bigint;
  /** Where the return went on, and the result the program sees. */
  land: Landing;
  frame: { nr: bigint; origA0: bigint } | null;
  /** Every read made decoding the call again at its return (with the number and arguments the frame restored): the merge replays them. */
  reads: CapturedRead[];
}

export interface SyscallsPartial {
  calls: TracedCall[];
  open: OpenCall[];
  orphans: OrphanReturn[];
  /** Syscall events seen without the machine stopped at them (their memory could not be read); 0 in a proper replay. */
  unlive: number;
}

export interface SyscallsResult {
  /** Every call, by entry tick. */
  calls: TracedCall[];
  /** Set when tasks could not be named (no OS profile). */
  note?: string;
  unlive: number;
}

/** Canned memory for the decoder's fingerprint: 8 KiB of letters and NULs at 0x10000, nothing else. */
const CANNED_BASE = 0x10000n;
const cannedMemory: ReadVirt = (addr, len) =>
  addr >= CANNED_BASE && addr + BigInt(len) <= CANNED_BASE + 0x2000n ? Uint8Array.from({ length: len }, (_, i) => ((Number(addr - CANNED_BASE) + i) % 16 === 15 ? 0 : 0x61 + ((Number(addr - CANNED_BASE) + i) % 26))) : undefined;
let fingerprint: string | undefined;

/**
 * What the syscall decoder prints, as a fingerprint: every call of its table
 * decoded from the same registers and canned memory, returning a result and
 * failing. A change to the table or to a printer these show changes it, and
 * with it the cache key (DimensionDescription.code): a trace cached before a
 * decoder change is not served after it.
 */
export function decoderFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint;
  const lines: string[] = [];
  const args = [3n, CANNED_BASE, 64n, CANNED_BASE + 0x100n, 2n, CANNED_BASE + 0x200n];
  for (const spec of SYSCALLS.values()) {
    for (const ret of [3n, -2n]) {
      const r = decodeSyscall({ nr: spec.nr, args, sp: CANNED_BASE }, ret, cannedMemory, cannedMemory, { strsize: 32 });
      lines.push(`${r.name}(${r.args.join(', ')}) = ${r.ret}`);
    }
  }
  return (fingerprint = toHex(sha256(utf8Encode(lines.join('\n')))).slice(0, 16));
}

/** Calls whose return does not land after their ecall. */
const LANDS_ELSEWHERE = new Set(['execve', 'execveat', 'rt_sigreturn']);
const landsElsewhere = (nr: number) => LANDS_ELSEWHERE.has(syscallName(nr));
const noReturn = (nr: number) => SYSCALLS.get(nr)?.ret === 'none';

function capture(read: ReadVirt, log: CapturedRead[]): ReadVirt {
  return (addr, len) => {
    const bytes = read(addr, len);
    log.push({ addr, len, bytes: bytes ? bytes.slice() : null });
    return bytes;
  };
}

/** Serves the reads a capture saw (an exact one, else one that covers the range); anything else reads as unmapped. */
function replay(log: readonly CapturedRead[]): ReadVirt {
  return (addr, len) => {
    for (const r of log) if (r.addr === addr && r.len === len) return r.bytes ?? undefined;
    for (const r of log) {
      if (r.bytes && addr >= r.addr && addr + BigInt(len) <= r.addr + BigInt(r.len)) {
        const at = Number(addr - r.addr);
        return r.bytes.subarray(at, at + len);
      }
    }
    return undefined;
  };
}

function unfinished(call: OpenCall, note: string): TracedCall {
  return { tick: call.tick, endTick: null, pc: call.pc, task: call.task, who: call.data.who, record: unfinishedSyscall(call.data.pending), note };
}

/**
 * The entry's decoding with the arguments it could only print as pointers
 * read again at the return: a string in a page the program had not touched
 * yet is unmapped at the ecall, and the kernel faults it in to read it (an
 * input: what it holds at the return is what the call read).
 */
function reread(pending: PendingSyscall, read: ReadVirt): PendingSyscall {
  const unread = (t: string | null | undefined, k: number) => pending.raw[k] !== 0n && t === ptr(pending.raw[k]);
  if (!pending.text.some(unread)) return pending;
  const again = enterSyscall({ nr: pending.nr, args: pending.raw, sp: pending.sp }, read, { strsize: pending.strsize });
  return { ...pending, text: pending.text.map((t, k) => (unread(t, k) ? again.text[k] : t)) };
}

/** The whole call, from its start and where its return landed; `read` is memory at the return. */
function finished(call: OpenCall, endTick: bigint, land: Landing, read: ReadVirt): TracedCall {
  const how = outcome(call, land, landsElsewhere);
  const signal = how.signal === null ? undefined : signalName(how.signal) ?? `signal ${how.signal}`;
  if (how.kind === 'returned') {
    const done: TracedCall = { tick: call.tick, endTick, pc: call.pc, task: call.task, who: call.data.who, record: exitSyscall(reread(call.data.pending, read), how.ret, read) };
    if (signal) done.note = `${signal} arrived as it returned: its handler ran first`;
    return done;
  }
  const why = how.kind === 'restarted' ? 'interrupted, and restarted by the kernel' : 'the task went on elsewhere';
  return { ...unfinished(call, signal ? `${why} (${signal}, after its handler)` : why), endTick };
}

function byTick(a: { tick: bigint }, b: { tick: bigint }): number {
  return a.tick < b.tick ? -1 : a.tick > b.tick ? 1 : 0;
}

type SyscallEvent = Extract<AnalysisEvent, { kind: 'syscall' }>;

function observe(params: SyscallsParams, env: AnalysisEnv) {
  const tracker = new CallTracker<EntryData>(env.layout, landsElsewhere);
  const calls: TracedCall[] = [];
  const orphans: OrphanReturn[] = [];
  let unlive = 0;
  const who = (view: MachineView, task: bigint, satp: bigint) => (env.layout ? readTask(view, env.layout, task, satp) ?? null : null);
  const vanished = (c: OpenCall) => calls.push(unfinished(c, 'the task ended inside the call'));

  const entry = (e: SyscallEvent, view: MachineView) => {
    if (!view.live) unlive++;
    const read: ReadVirt = (addr, len) => view.readVirt(addr, len, e.satp);
    const nr = Number(e.nr);
    // At the entry stop the hart is at the trap with the user's registers untouched: sp is the caller's.
    const data: EntryData = { who: who(view, e.sscratch, e.satp), pending: enterSyscall({ nr, args: e.args, sp: view.live ? view.x(2) : undefined }, read, { strsize: params.strsize }) };
    const before = tracker.enter(e, data);
    if (before) vanished(before);
    if (noReturn(nr)) {
      tracker.drop(e.sscratch);
      calls.push({ tick: e.tick, endTick: null, pc: e.pc, task: e.sscratch, who: data.who, record: unfinishedSyscall(data.pending) });
    }
  };

  return {
    event(e: AnalysisEvent, view: MachineView) {
      if (e.kind === 'syscall') return entry(e, view);
      if (e.kind !== 'sysret') return;
      const satp = view.csr(CSR_NUMBERS.satp) ?? 0n;
      const read: ReadVirt = (addr, len) => view.readVirt(addr, len, satp);
      const r = tracker.exit(e, view, vanished);
      if (r.kind === 'return') {
        calls.push(finished(r.call, e.tick, landing(view, r.frame, satp), read));
      } else if (r.kind === 'orphan') {
        // Decode the return as if entered with the registers it restored, keeping every read for the merge.
        const land = landing(view, r.frame, satp);
        const nr = r.frame ? Number(r.frame.nr) : Number(view.x(17));
        const args = [r.frame?.origA0 ?? 0n, ...land.args];
        const reads: CapturedRead[] = [];
        const captured = capture(read, reads);
        exitSyscall(enterSyscall({ nr, args, sp: view.x(2) }, captured, { strsize: params.strsize }), land.ret, captured);
        orphans.push({ task: r.task, tick: e.tick, land, frame: r.frame ? { nr: r.frame.nr, origA0: r.frame.origA0 } : null, reads });
      }
    },
    finish(): SyscallsPartial {
      return { calls, open: tracker.open(), orphans, unlive };
    },
  };
}

export const syscallsDimension: Dimension<SyscallsParams, SyscallsPartial, SyscallsResult> = {
  name: 'syscalls',
  // 3: partials kept before then lost an open call's omitted arguments (undefined read back as null, printed '?').
  version: 3,
  summary: 'every syscall of every task, decoded as strace prints it',
  params: (given) => integerParams('syscalls', given, { strsize: { min: 0, max: 1 << 20, default: 32, help: 'the most bytes of a string or buffer printed, strace -s' } }),
  needs: () => ({ syscalls: true }),
  code: decoderFingerprint,
  start: (params, _slice, env) => observe(params, env),
  merge(_params, partials, env) {
    const calls: TracedCall[] = [];
    const open = new OpenCalls<OpenCall>(landsElsewhere);
    const vanished = (c: OpenCall) => calls.push(unfinished(c, 'the task ended inside the call'));
    let unlive = 0;
    for (const p of partials) {
      unlive += p.unlive;
      for (const o of p.orphans) {
        const call = open.take(o.task, o.frame ?? undefined, vanished);
        if (call) calls.push(finished(call, o.tick, o.land, replay(o.reads))); // else a new task's first return (a fork child's)
      }
      calls.push(...p.calls);
      open.add(p.open, vanished);
    }
    for (const call of open.rest()) calls.push(unfinished(call, 'the recording ends before the call returns'));
    calls.sort(byTick);
    return { calls, note: env.taskNote, unlive };
  },
};
