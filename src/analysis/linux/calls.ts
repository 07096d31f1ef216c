// Matching syscall entries with their returns within one slice, per task,
// and saying what every other return to U-mode is (docs/design.md 5): the
// rule the syscalls and processes dimensions share.
//
// A syscall's entry names its task (sscratch at the ecall); each sret to
// U-mode names the task it returns to (sscratch again, the view being live
// at it). A task's next return after its entry ends that call. A task's
// first return in a slice, with nothing pending there, is an "orphan": the
// end of a call entered in an earlier slice (stitched in the merge), or a new
// task's first step in U-mode (fork and clone children return from the
// parent's clone). With the OS profile the frame the kernel restored
// (pt_regs) tells syscall returns from interrupt and fault returns and
// carries the call's number and first argument, so both are checked.
import type { AnalysisEvent, MachineView } from '../../shared/analysis.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import { currentUserTask, isSyscallCause, syscallFrame, type KernelLayout, type Landing, type SyscallFrame } from './kernel.ts';

type SyscallEvent = Extract<AnalysisEvent, { kind: 'syscall' }>;
type SysretEvent = Extract<AnalysisEvent, { kind: 'sysret' }>;

/** A call entered in this slice, with what its dimension kept of the entry. */
export interface Entered<E> {
  task: bigint;
  tick: bigint;
  pc: bigint;
  nr: number;
  /** a0..a5 at entry. */
  args: bigint[];
  satp: bigint;
  data: E;
}

/** What one sret to U-mode was. */
export type ReturnKind<E> =
  /** The return of a call entered in this slice (with the frame the kernel restored, when the profile lets it be read). */
  | { kind: 'return'; call: Entered<E>; frame: SyscallFrame | undefined }
  /** A task's first return here with nothing pending: a call entered before the slice, or a new task's first. */
  | { kind: 'orphan'; task: bigint; frame: SyscallFrame | undefined }
  /** An interrupt or fault return, or a return the tracker cannot read (the view was not live). */
  | { kind: 'other'; task: bigint };

/** Where a return lands: after the ecall (pc + 4), or elsewhere for calls that change the program (execve, rt_sigreturn). */
export type LandsElsewhere = (nr: number) => boolean;

/**
 * Whether a frame restored at a return is `call`'s: a syscall's, with its
 * number and first argument (calls that replace the registers, execve and
 * rt_sigreturn, are matched by the cause alone).
 */
export function matches(frame: { cause?: bigint; nr: bigint; origA0: bigint }, call: { nr: number; args: readonly bigint[] }, landsElsewhere: LandsElsewhere): boolean {
  if (frame.cause !== undefined && !isSyscallCause(frame.cause)) return false;
  return landsElsewhere(call.nr) || (frame.nr === BigInt(call.nr) && frame.origA0 === call.args[0]);
}

export class CallTracker<E> {
  private readonly pending = new Map<bigint, Entered<E>>();
  private readonly seen = new Set<bigint>();

  constructor(
    private readonly layout: KernelLayout | undefined,
    private readonly landsElsewhere: LandsElsewhere,
  ) {}

  /** A syscall entry; returns the task's earlier call if one was still pending (it never returned: the task was replaced). */
  enter(e: SyscallEvent, data: E): Entered<E> | undefined {
    const task = e.sscratch;
    this.seen.add(task);
    const before = this.pending.get(task);
    this.pending.set(task, { task, tick: e.tick, pc: e.pc, nr: Number(e.nr), args: e.args, satp: e.satp, data });
    return before;
  }

  /** Forgets a call that never returns (exit, exit_group) once its dimension has recorded it. */
  drop(task: bigint): void {
    this.pending.delete(task);
  }

  /**
   * Classifies an sret to U-mode; `vanished` hears a pending call whose task
   * turned out to be another one (the task died in the kernel and its
   * task_struct was reused).
   */
  exit(_e: SysretEvent, view: MachineView, vanished: (call: Entered<E>) => void): ReturnKind<E> {
    if (!view.live) return { kind: 'other', task: 0n };
    const task = currentUserTask(view);
    const first = !this.seen.has(task);
    this.seen.add(task);
    const frame = this.layout ? syscallFrame(view, this.layout, task, view.csr(CSR_NUMBERS.satp) ?? 0n) : undefined;
    const call = this.pending.get(task);
    if (call) {
      this.pending.delete(task);
      if (!frame || matches(frame, call, this.landsElsewhere)) return { kind: 'return', call, frame };
      vanished(call);
      return isSyscallCause(frame.cause) ? { kind: 'orphan', task, frame } : { kind: 'other', task };
    }
    if (first && (this.layout ? frame !== undefined && isSyscallCause(frame.cause) : true)) return { kind: 'orphan', task, frame };
    return { kind: 'other', task };
  }

  /** Calls still pending at the slice's end, oldest first. */
  open(): Entered<E>[] {
    return [...this.pending.values()].sort((a, b) => (a.tick < b.tick ? -1 : 1));
  }
}

/**
 * The merge's side of stitching (per dimension): calls left open at the end
 * of earlier slices, by task, each finished by the orphan return of its task
 * in a later slice when the orphan matches it.
 */
export class OpenCalls<T extends { task: bigint; nr: number; args: readonly bigint[]; pc: bigint }> {
  private readonly byTask = new Map<bigint, T>();

  constructor(private readonly landsElsewhere: LandsElsewhere) {}

  /** An orphan return of `task`: its open call if the frame matches (matches()), removed; otherwise undefined, and a stale call of that task is handed to `vanished`. */
  take(task: bigint, frame: { nr: bigint; origA0: bigint } | undefined, vanished: (call: T) => void): T | undefined {
    const call = this.byTask.get(task);
    if (!call) return undefined;
    this.byTask.delete(task);
    if (!frame || matches(frame, call, this.landsElsewhere)) return call;
    vanished(call);
    return undefined;
  }

  /** Calls a slice left open; one of the same task still open here never returned. */
  add(calls: readonly T[], vanished: (call: T) => void): void {
    for (const call of calls) {
      const before = this.byTask.get(call.task);
      if (before) vanished(before);
      this.byTask.set(call.task, call);
    }
  }

  /** Whatever is still open (at the recording's end), oldest first by the caller's order of adding. */
  rest(): T[] {
    return [...this.byTask.values()];
  }
}

/** How a call ended, from where its return landed (kernel.ts landing()). */
export type Outcome =
  /** It returned `ret` to the program (a signal's handler, if any, ran first). */
  | { kind: 'returned'; ret: bigint; signal: number | null }
  /** The kernel sent the task back to the ecall to make it again (after `signal`'s handler, if any). */
  | { kind: 'restarted'; signal: number | null }
  /** The task went on elsewhere. */
  | { kind: 'elsewhere'; signal: number | null };

export function outcome(call: { nr: number; pc: bigint }, land: Landing, landsElsewhere: LandsElsewhere): Outcome {
  if (landsElsewhere(call.nr) || land.pc === call.pc + 4n) return { kind: 'returned', ret: land.ret, signal: land.signal };
  return { kind: land.pc === call.pc ? 'restarted' : 'elsewhere', signal: land.signal };
}
