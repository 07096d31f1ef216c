// Reading the guest Linux kernel's own records of its tasks, through the OS
// profile (os-profile.ts: struct offsets from the kernel's debug info) and a
// MachineView at an event. On riscv Linux the current task is in sscratch
// while the hart runs in U-mode (and in tp while the kernel runs); task_struct
// begins with thread_info (THREAD_INFO_IN_TASK), whose kernel_sp the return
// path sets to the top of the task's kernel stack just before the sret to
// U-mode (arch/riscv/kernel/entry.S, ret_from_exception), right above the
// pt_regs it restored the user registers from.
import type { MachineView, TaskIdentity, Where } from '../../shared/analysis.ts';
import { CSR_NUMBERS } from '../../shared/riscv.ts';
import type { OsProfile } from '../os-profile.ts';

export type { TaskIdentity, Where } from '../../shared/analysis.ts';

/** The offsets the analyses read, taken from a profile. */
export interface KernelLayout {
  pid: number;
  tgid: number;
  comm: number;
  commBytes: number;
  realParent: number;
  /** Offset of thread_info.kernel_sp from the task pointer. */
  kernelSp: number;
}

/**
 * The layout of riscv64 struct pt_regs (arch/riscv/include/asm/ptrace.h in
 * Linux 6.1): epc, then x1..x31, then status, badaddr, cause, orig_a0, all
 * 64-bit; PT_SIZE_ON_STACK is its size (already 16-byte aligned). The
 * profile does not carry it; these are kernel ABI facts for riscv64, and
 * syscallFrame() checks them against the live registers before trusting them.
 */
const PT_REGS_WORDS = 36;
const PT_EPC = 0;
const PT_A7 = 17;
const PT_CAUSE = 34;
const PT_ORIG_A0 = 35;
/** scause of an ecall from U-mode (Privileged spec 4.1.9). */
export const CAUSE_USER_ECALL = 8n;
/** pt_regs.cause once the kernel handled a signal on a syscall's way out (arch/riscv/kernel/signal.c do_signal: "avoid additional syscall restarting"). */
export const CAUSE_SIGNAL_HANDLED = 0xffff_ffff_ffff_ffffn;

/** Whether a frame's cause says it is a syscall's: an ecall, or one whose way out delivered a signal. */
export function isSyscallCause(cause: bigint): boolean {
  return cause === CAUSE_USER_ECALL || cause === CAUSE_SIGNAL_HANDLED;
}

/** The layout the profile gives, or why it cannot: the note shown where a task would be named. */
export function kernelLayout(profile: OsProfile | undefined): { layout: KernelLayout } | { note: string } {
  if (!profile) return { note: 'the image has no OS profile (profile.json), so tasks cannot be named' };
  const task = profile.structs.task_struct?.fields;
  const info = profile.structs.thread_info?.fields;
  const missing = ['thread_info', 'pid', 'tgid', 'comm', 'real_parent'].filter((f) => !task?.[f]).map((f) => `task_struct.${f}`);
  if (!info?.kernel_sp) missing.push('thread_info.kernel_sp');
  if (missing.length > 0 || !task || !info) return { note: `the image's OS profile lacks ${missing.join(', ')}, so tasks cannot be named` };
  return {
    layout: {
      pid: task.pid.offset,
      tgid: task.tgid.offset,
      comm: task.comm.offset,
      commBytes: task.comm.size,
      realParent: task.real_parent.offset,
      kernelSp: task.thread_info.offset + info.kernel_sp.offset,
    },
  };
}

function u64At(view: MachineView, addr: bigint, satp: bigint): bigint | undefined {
  const b = view.readVirt(addr, 8, satp);
  return b && new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
}

function i32At(view: MachineView, addr: bigint, satp: bigint): number | undefined {
  const b = view.readVirt(addr, 4, satp);
  return b && new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);
}

/** The task at `task` (a kernel address; the kernel half is mapped under every process's satp). */
export function readTask(view: MachineView, layout: KernelLayout, task: bigint, satp: bigint): TaskIdentity | undefined {
  const tid = i32At(view, task + BigInt(layout.pid), satp);
  const pid = i32At(view, task + BigInt(layout.tgid), satp);
  const name = view.readVirt(task + BigInt(layout.comm), layout.commBytes, satp);
  if (tid === undefined || pid === undefined || !name) return undefined;
  const nul = name.indexOf(0);
  const comm = String.fromCharCode(...name.subarray(0, nul < 0 ? name.length : nul));
  const parent = u64At(view, task + BigInt(layout.realParent), satp);
  const ppid = parent === undefined || parent === task ? 0 : i32At(view, parent + BigInt(layout.tgid), satp) ?? 0;
  return { tid, pid, comm, ppid };
}

/** The task that returned to U-mode at a sysret (sscratch holds it again by then). */
export function currentUserTask(view: MachineView): bigint {
  return view.csr(CSR_NUMBERS.sscratch) ?? 0n;
}

/** Who runs at a privilege level, on this machine: the program (U), the kernel (S), the firmware (M, OpenSBI). */
export function whereOf(priv: number): Where {
  return priv === 0 ? 'user' : priv === 3 ? 'firmware' : 'kernel';
}

/** Lowest kernel address of Sv39 (the upper half). */
const KERNEL_HALF = 0xffff_ffc0_0000_0000n;

/**
 * The task running at any instruction, or 0 when it cannot be told: in
 * U-mode sscratch holds it; in S-mode tp does (riscv Linux keeps `current`
 * in tp in the kernel), except for a trap's first instructions, where tp is
 * still the user's (not a kernel address); in M-mode (the firmware) none.
 */
export function runningTask(view: MachineView): bigint {
  const priv = view.priv();
  if (priv === 0) return currentUserTask(view);
  if (priv !== 1) return 0n;
  const tp = view.x(4);
  return tp >= KERNEL_HALF ? tp : 0n;
}

/** What the kernel restored the user registers from, at an sret to U-mode. */
export interface SyscallFrame {
  /** The trap this return ends: CAUSE_USER_ECALL for a syscall. */
  cause: bigint;
  /** a7: the syscall number, for a syscall. */
  nr: bigint;
  /** a0 as the syscall was entered (the register now holds the result). */
  origA0: bigint;
}

/**
 * The pt_regs of `task` at its sret to U-mode (the view live at it), or
 * undefined when they cannot be read or do not match the registers the sret
 * just restored (another kernel, another layout).
 */
export function syscallFrame(view: MachineView, layout: KernelLayout, task: bigint, satp: bigint): SyscallFrame | undefined {
  const top = u64At(view, task + BigInt(layout.kernelSp), satp);
  if (top === undefined) return undefined;
  const regs = view.readVirt(top - BigInt(PT_REGS_WORDS * 8), PT_REGS_WORDS * 8, satp);
  if (!regs) return undefined;
  const word = (i: number) => new DataView(regs.buffer, regs.byteOffset + i * 8, 8).getBigUint64(0, true);
  if (word(PT_EPC) !== view.pc() || word(PT_A7) !== view.x(17)) return undefined;
  return { cause: word(PT_CAUSE), nr: word(PT_A7), origA0: word(PT_ORIG_A0) };
}

/**
 * riscv's signal frame (arch/riscv/kernel/signal.c struct rt_sigframe: a
 * 128-byte siginfo, then the uapi struct ucontext, whose uc_mcontext starts
 * at 176, after 40 bytes of flags, link and stack, 128 of signal mask and 8
 * of padding to its 16-byte alignment (its FP state is 16-aligned), with the
 * interrupted pc and x1..x31): at an sret into a signal
 * handler, a0 is the signal, a2 the ucontext (sp + 128), and the frame holds
 * the context the handler's rt_sigreturn will go back to.
 */
const SIGINFO_BYTES = 128n;
const UC_MCONTEXT = 176n;
const MAX_SIGNAL = 64n;

/** Where a return to U-mode really goes on: after a signal handler, the context saved in its frame. */
export interface Landing {
  pc: bigint;
  /** a0 as the program will see it once the handler returns: a syscall's result. */
  ret: bigint;
  /** a1..a5 there (a syscall's arguments, which the kernel leaves as they were). */
  args: bigint[];
  /** The signal whose handler runs first, or null. */
  signal: number | null;
}

/** The landing of the sret the view is live at: the registers, or the context saved under a signal handler's frame. */
export function landing(view: MachineView, frame: SyscallFrame | undefined, satp: bigint): Landing {
  const here: Landing = { pc: view.pc(), ret: view.x(10), args: [11, 12, 13, 14, 15].map((r) => view.x(r)), signal: null };
  if (frame && frame.cause !== CAUSE_SIGNAL_HANDLED) return here;
  const signal = view.x(10);
  const uc = view.x(12);
  if (signal < 1n || signal > MAX_SIGNAL || uc !== view.x(2) + SIGINFO_BYTES) return here;
  // uc_mcontext.sc_regs: pc, then x1..x31.
  const regs = view.readVirt(uc + UC_MCONTEXT, 32 * 8, satp);
  if (!regs) return here;
  const word = (i: number) => new DataView(regs.buffer, regs.byteOffset + i * 8, 8).getBigUint64(0, true);
  return { pc: word(0), ret: word(10), args: [11, 12, 13, 14, 15].map(word), signal: Number(signal) };
}
