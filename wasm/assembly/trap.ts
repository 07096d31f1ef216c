// Traps (Privileged spec 3.1.6-3.1.9, 3.3.2, 4.1.1): exception and interrupt
// entry with delegation to S-mode, MRET/SRET, and interrupt selection.
// Exceptions never unwind: the instruction that faults calls raise() and
// returns; the run loop sees excPending and enters the trap.
import {
  pc, priv, mstatus, medeleg, mideleg, mie, mtvec, stvec, mepc, sepc,
  setPc, setPriv, setMstatus, setMepc, setMcause, setMtval, setSepc, setScause, setStval,
  mipValue, PRIV_M, PRIV_S, PRIV_U,
  MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_SIE, MSTATUS_SPIE, MSTATUS_SPP, MSTATUS_MPRV,
  IRQ_MEIP, IRQ_MSIP, IRQ_MTIP, IRQ_SEIP, IRQ_SSIP, IRQ_STIP,
} from './state';
import { mmuContextChanged } from './mmu';
import { hooksOn, hookSyscall } from './hooks';
import { HOOK_SYSCALL } from './constants';

export const CAUSE_MISALIGNED_FETCH: u64 = 0;
export const CAUSE_FETCH_ACCESS: u64 = 1;
export const CAUSE_ILLEGAL_INSN: u64 = 2;
export const CAUSE_BREAKPOINT: u64 = 3;
export const CAUSE_MISALIGNED_LOAD: u64 = 4;
export const CAUSE_LOAD_ACCESS: u64 = 5;
export const CAUSE_MISALIGNED_STORE: u64 = 6;
export const CAUSE_STORE_ACCESS: u64 = 7;
export const CAUSE_ECALL_U: u64 = 8;
export const CAUSE_ECALL_S: u64 = 9;
export const CAUSE_ECALL_M: u64 = 11;
export const CAUSE_FETCH_PAGE: u64 = 12;
export const CAUSE_LOAD_PAGE: u64 = 13;
export const CAUSE_STORE_PAGE: u64 = 15;
export const CAUSE_INTERRUPT: u64 = 1 << 63;

/** Set by raise(); the run loop takes the trap before the next instruction. */
export let excPending: bool = false;
export let excCause: u64 = 0;
export let excTval: u64 = 0;

export function raise(cause: u64, tval: u64): void {
  if (excPending) return; // the first fault of an instruction wins
  excPending = true;
  excCause = cause;
  excTval = tval;
}

/** LR/SC reservation (A extension 8.2); any trap or xRET clears it. */
export let reservationValid: bool = false;
export let reservationAddr: u64 = 0;
@inline export function setReservation(valid: bool, addr: u64): void { reservationValid = valid; reservationAddr = addr; }

/** Enters the pending exception at the current pc. */
export function takeException(): void {
  excPending = false;
  if (excCause == CAUSE_ECALL_U && hooksOn(HOOK_SYSCALL)) hookSyscall();
  enterTrap(excCause, excTval);
}

function enterTrap(cause: u64, tval: u64): void {
  const isInterrupt = (cause & CAUSE_INTERRUPT) != 0;
  const code = cause & 63;
  const delegated = priv <= PRIV_S && (((isInterrupt ? mideleg : medeleg) >> code) & 1) != 0;
  reservationValid = false;
  let s = mstatus;
  if (delegated) {
    setScause(cause);
    setSepc(pc);
    setStval(tval);
    s = (s & ~MSTATUS_SPIE) | ((s & MSTATUS_SIE) != 0 ? MSTATUS_SPIE : 0);
    s = (s & ~MSTATUS_SPP) | (priv == PRIV_S ? MSTATUS_SPP : 0);
    s &= ~MSTATUS_SIE;
    setMstatus(s);
    setPriv(PRIV_S);
    setPc(trapVector(stvec, isInterrupt, code));
  } else {
    setMcause(cause);
    setMepc(pc);
    setMtval(tval);
    s = (s & ~MSTATUS_MPIE) | ((s & MSTATUS_MIE) != 0 ? MSTATUS_MPIE : 0);
    s = (s & ~MSTATUS_MPP) | (<u64>priv << MSTATUS_MPP_SHIFT);
    s &= ~MSTATUS_MIE;
    setMstatus(s);
    setPriv(PRIV_M);
    setPc(trapVector(mtvec, isInterrupt, code));
  }
  mmuContextChanged();
}

/** xtvec MODE 1 (vectored): interrupts go to BASE + 4 * cause (Privileged spec 3.1.7). */
@inline function trapVector(tvec: u64, isInterrupt: bool, code: u64): u64 {
  const base = tvec & ~(<u64>3);
  return (tvec & 3) == 1 && isInterrupt ? base + 4 * code : base;
}

/**
 * Takes the highest-priority pending and enabled interrupt, if any (Privileged
 * spec 3.1.9: MEI, MSI, MTI, SEI, SSI, STI). Returns true if a trap was taken.
 */
export function takeInterrupt(): bool {
  const pending = mipValue() & mie;
  if (pending == 0) return false;
  const mEnabled = priv < PRIV_M || (mstatus & MSTATUS_MIE) != 0;
  const sEnabled = priv < PRIV_S || (priv == PRIV_S && (mstatus & MSTATUS_SIE) != 0);
  let candidates: u64 = 0;
  if (mEnabled) candidates |= pending & ~mideleg;
  if (sEnabled) candidates |= pending & mideleg;
  if (candidates == 0) return false;
  let code: u64;
  if (candidates & IRQ_MEIP) code = 11;
  else if (candidates & IRQ_MSIP) code = 3;
  else if (candidates & IRQ_MTIP) code = 7;
  else if (candidates & IRQ_SEIP) code = 9;
  else if (candidates & IRQ_SSIP) code = 1;
  else if (candidates & IRQ_STIP) code = 5;
  else return false;
  enterTrap(CAUSE_INTERRUPT | code, 0);
  return true;
}

/** True if any interrupt is pending and enabled in mie, regardless of global enables (WFI wake-up, 3.3.3). */
@inline export function wakeupPending(): bool { return (mipValue() & mie) != 0; }

/** MRET (Privileged spec 3.3.2). */
export function doMret(): void {
  let s = mstatus;
  const mpp = <u32>((s & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT);
  s = (s & ~MSTATUS_MIE) | ((s & MSTATUS_MPIE) != 0 ? MSTATUS_MIE : 0);
  s |= MSTATUS_MPIE;
  s &= ~MSTATUS_MPP; // MPP := U
  if (mpp != PRIV_M) s &= ~MSTATUS_MPRV;
  setMstatus(s);
  setPriv(mpp);
  setPc(mepc);
  reservationValid = false;
  mmuContextChanged();
}

/** SRET (Privileged spec 3.3.2). */
export function doSret(): void {
  let s = mstatus;
  const spp = (s & MSTATUS_SPP) != 0 ? PRIV_S : PRIV_U;
  s = (s & ~MSTATUS_SIE) | ((s & MSTATUS_SPIE) != 0 ? MSTATUS_SIE : 0);
  s |= MSTATUS_SPIE;
  s &= ~MSTATUS_SPP;
  s &= ~MSTATUS_MPRV;
  setMstatus(s);
  setPriv(spp);
  setPc(sepc);
  reservationValid = false;
  mmuContextChanged();
}

export function trapReset(): void {
  excPending = false;
  excCause = 0;
  excTval = 0;
  reservationValid = false;
  reservationAddr = 0;
}

