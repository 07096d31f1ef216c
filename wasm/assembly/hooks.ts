// Hook events (docs/design.md section 2, Hooks): what analyses ask the machine
// to record as it runs, into a buffer in linear memory that the host drains
// after each run. The host enables kinds with a mask (none by default); each
// site is on a path that is slow already (trap entry, SRET, a satp write) and
// costs one test of the mask when its kind is off. Recording changes no
// machine state: the buffer and the mask are not saved, and the stop it asks
// for when nearly full only ends a batch early, which never changes what the
// hart does (machine.ts run).
//
// An event is a header word (kind | words << 8, words counting the header)
// followed by its u64 payload, in the order listed at HOOK_* in constants.ts.
//
// With HOOK_STOP in the mask, the run also stops (STOP_HOOKS) right after
// each syscall entry and each sret to U-mode, before another instruction
// runs: the host sees memory, registers and CSRs exactly as they were at that
// event (a syscall's string arguments at entry, its out-parameters at
// return), as docs/design.md 2 asks of "an event the host must see at once".
import { HOOK_SYSCALL, HOOK_SYSRET, HOOK_SATP, HOOK_STOP, STOP_HOOKS } from './constants';
import { tick, pc, satp, sscratch, getX, requestStop } from './state';

const BUFFER_WORDS: u32 = 8192; // 64 KiB
const LARGEST_EVENT_WORDS: u32 = 12;
/** Stop the run once fewer words than this are free: room for the events of the instruction that filled it. */
const STOP_BELOW_WORDS: u32 = 4 * LARGEST_EVENT_WORDS;

export const hookBuffer: usize = memory.data(<i32>(BUFFER_WORDS * 8), 8);
/** Words used in hookBuffer. */
export let hookWords: u32 = 0;
/** Events that found the buffer full (the host did not drain after STOP_HOOKS) and were lost. */
export let hookDropped: u32 = 0;
/** The kinds (HOOK_*) being recorded. */
export let hookMask: u32 = 0;

export function hooksSetMask(mask: u32): void { hookMask = mask & (HOOK_SYSCALL | HOOK_SYSRET | HOOK_SATP | HOOK_STOP); }
export function hooksClear(): void { hookWords = 0; hookDropped = 0; }

@inline export function hooksOn(kind: u32): bool { return (hookMask & kind) != 0; }

/** Reserves an event of `words` words (header included) and writes its header; the payload's address, or 0 if full. */
function begin(kind: u32, words: u32): usize {
  if (hookWords + words > BUFFER_WORDS) { hookDropped++; return 0; }
  const at = hookBuffer + (<usize>hookWords << 3);
  store<u64>(at, <u64>(kind | (words << 8)));
  hookWords += words;
  if (BUFFER_WORDS - hookWords < STOP_BELOW_WORDS) requestStop(STOP_HOOKS);
  return at + 8;
}

/** ECALL from U-mode, as the trap is entered: tick, pc, a7, a0..a5, satp, sscratch (Linux: the task pointer). */
export function hookSyscall(): void {
  const p = begin(HOOK_SYSCALL, 12);
  if (p == 0) return;
  store<u64>(p, tick);
  store<u64>(p, pc, 8);
  store<u64>(p, getX(17), 16);
  for (let i: u32 = 0; i < 6; i++) store<u64>(p + 24 + (<usize>i << 3), getX(10 + i));
  store<u64>(p, satp, 72);
  store<u64>(p, sscratch, 80);
  if (hooksOn(HOOK_STOP)) requestStop(STOP_HOOKS);
}

/** SRET that returned to U-mode: tick, a0 (a syscall's result). */
export function hookSysret(): void {
  const p = begin(HOOK_SYSRET, 3);
  if (p == 0) return;
  store<u64>(p, tick);
  store<u64>(p, getX(10), 8);
  if (hooksOn(HOOK_STOP)) requestStop(STOP_HOOKS);
}

/** A satp write that took effect: tick, old, new. */
export function hookSatp(old: u64, next: u64): void {
  const p = begin(HOOK_SATP, 4);
  if (p == 0) return;
  store<u64>(p, tick);
  store<u64>(p, old, 8);
  store<u64>(p, next, 16);
}
