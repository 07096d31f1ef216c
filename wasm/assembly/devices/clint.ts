// CLINT (SiFive Core-Local Interruptor, as in QEMU hw/intc/riscv_aclint.c) for
// hart 0, plus the Sstc supervisor timer compare (Privileged spec, "Sstc"
// extension: stimecmp, menvcfg.STCE).
//   0x0000 msip     (32-bit; bit 0 drives mip.MSIP)
//   0x4000 mtimecmp (64-bit; mip.MTIP = mtime >= mtimecmp)
//   0xbff8 mtime    (64-bit; Privileged spec 3.2.1)
// 32- and 64-bit accesses (and narrower ones) are accepted at any byte of a register.
//
// Time (docs/design.md section 2): mtime = tick / TICKS_PER_MTIME + mtimeOffset.
// Writing mtime only changes mtimeOffset, so ticks stay the one clock.
import { Device, regRead, regMerge } from './device';
import { StateWriter, StateReader } from '../serialize';
import { tick, menvcfg, stimecmp, setIrqLine, IRQ_MSIP, IRQ_MTIP, IRQ_STIP } from '../state';
import { TICKS_PER_MTIME } from '../constants';
import { beginNodeAt, endNode, propBegin, propEnd, cell, propReg, propStr, PHANDLE_CPU_INTC, INTC_M_SOFT, INTC_M_TIMER } from '../fdt-writer';

export const CLINT_MSIP: u32 = 0x0;
export const CLINT_MTIMECMP: u32 = 0x4000;
export const CLINT_MTIME: u32 = 0xbff8;

/** menvcfg.STCE (Sstc): stimecmp drives mip.STIP, which then is read-only. */
export const MENVCFG_STCE: u64 = <u64>1 << 63;

const U64_MAX: u64 = 0xffff_ffff_ffff_ffff;

export class Clint extends Device {
  msip: u32 = 0;
  mtimecmp: u64 = U64_MAX;
  mtimeOffset: u64 = 0;

  @inline mtime(): u64 { return tick / TICKS_PER_MTIME + this.mtimeOffset; }

  read(offset: u32, size: u32): u64 {
    if (offset < CLINT_MSIP + 4) return regRead(<u64>this.msip, offset - CLINT_MSIP, size);
    if (offset >= CLINT_MTIMECMP && offset < CLINT_MTIMECMP + 8) return regRead(this.mtimecmp, offset - CLINT_MTIMECMP, size);
    if (offset >= CLINT_MTIME && offset < CLINT_MTIME + 8) return regRead(this.mtime(), offset - CLINT_MTIME, size);
    return 0;
  }

  write(offset: u32, value: u64, size: u32): void {
    if (offset < CLINT_MSIP + 4) {
      this.msip = <u32>regMerge(<u64>this.msip, offset - CLINT_MSIP, value, size) & 1;
      setIrqLine(IRQ_MSIP, this.msip != 0);
    } else if (offset >= CLINT_MTIMECMP && offset < CLINT_MTIMECMP + 8) {
      this.mtimecmp = regMerge(this.mtimecmp, offset - CLINT_MTIMECMP, value, size);
      timersUpdate();
    } else if (offset >= CLINT_MTIME && offset < CLINT_MTIME + 8) {
      const next = regMerge(this.mtime(), offset - CLINT_MTIME, value, size);
      this.mtimeOffset = next - tick / TICKS_PER_MTIME;
      timersUpdate();
    }
  }

  save(w: StateWriter): void {
    w.u32(this.msip);
    w.u64(this.mtimecmp);
    w.u64(this.mtimeOffset);
  }

  load(r: StateReader): void {
    this.msip = r.u32();
    this.mtimecmp = r.u64();
    this.mtimeOffset = r.u64();
  }

  reset(): void {
    this.msip = 0;
    this.mtimecmp = U64_MAX;
    this.mtimeOffset = 0;
  }

  dtNode(base: u64, size: u64): void {
    beginNodeAt('clint', base);
    propBegin('interrupts-extended');
    cell(PHANDLE_CPU_INTC); cell(INTC_M_SOFT);
    cell(PHANDLE_CPU_INTC); cell(INTC_M_TIMER);
    propEnd();
    propReg(base, size);
    propStr('compatible', 'sifive,clint0\0riscv,clint0');
    endNode();
  }
}

export const clint = new Clint();

/** mtime now; the `time` CSR (Zicntr) reads the same value. */
export function mtimeNow(): u64 { return clint.mtime(); }

/** Recomputes the time-driven lines MSIP, MTIP and (with menvcfg.STCE) STIP. */
export function timersUpdate(): void {
  const now = clint.mtime();
  setIrqLine(IRQ_MSIP, clint.msip != 0);
  setIrqLine(IRQ_MTIP, now >= clint.mtimecmp);
  // Sstc: with STCE clear, STIP belongs to software (mipSw); our line stays low.
  setIrqLine(IRQ_STIP, (menvcfg & MENVCFG_STCE) != 0 && now >= stimecmp);
}

/** First tick at which mtime reaches `cmp`; U64_MAX if never (or beyond u64). `now` = mtime now < cmp. */
function tickWhenMtimeReaches(cmp: u64, now: u64): u64 {
  const delta = cmp - now; // > 0
  const base = tick / TICKS_PER_MTIME;
  if (delta > U64_MAX / TICKS_PER_MTIME - base) return U64_MAX;
  return (base + delta) * TICKS_PER_MTIME;
}

/**
 * The earliest tick at which MTIP or (with menvcfg.STCE) STIP goes from clear
 * to pending; U64_MAX if none will. A timer already pending is not counted:
 * it cannot wake a WFI that it has not already woken, and a batch need not end
 * for it. The run loop ends batches at this tick and warps WFI to it.
 */
export function nextTimerTick(): u64 {
  const now = clint.mtime();
  let next = U64_MAX;
  if (now < clint.mtimecmp) next = tickWhenMtimeReaches(clint.mtimecmp, now);
  if ((menvcfg & MENVCFG_STCE) != 0 && now < stimecmp) {
    const s = tickWhenMtimeReaches(stimecmp, now);
    if (s < next) next = s;
  }
  return next;
}
