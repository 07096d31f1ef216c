// CSRs (Privileged spec chapter 2 listing, 3.1 machine, 4.1 supervisor;
// Unprivileged spec 10 Zicntr, 13.2 fcsr; Sstc). csrRead/csrWrite check the
// privilege and existence of the CSR and raise illegal instruction otherwise.
import * as S from './state';
import { PRIV_M, PRIV_S, PRIV_U } from './state';
import { raise, CAUSE_ILLEGAL_INSN } from './trap';
import { tlbFlush, mmuContextChanged } from './mmu';
import { HOOK_SATP } from './constants';
import { hooksOn, hookSatp } from './hooks';
import { mtimeNow } from './devices/clint';

const MISA: u64 = (<u64>2 << 62) | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

const MSTATUS_WRITABLE: u64 = S.MSTATUS_SIE | S.MSTATUS_MIE | S.MSTATUS_SPIE | S.MSTATUS_MPIE | S.MSTATUS_SPP
  | S.MSTATUS_MPP | S.MSTATUS_FS | S.MSTATUS_MPRV | S.MSTATUS_SUM | S.MSTATUS_MXR | S.MSTATUS_TVM | S.MSTATUS_TW | S.MSTATUS_TSR;
const SSTATUS_MASK: u64 = S.MSTATUS_SIE | S.MSTATUS_SPIE | S.MSTATUS_UBE | S.MSTATUS_SPP | S.MSTATUS_VS | S.MSTATUS_FS
  | S.MSTATUS_XS | S.MSTATUS_SUM | S.MSTATUS_MXR | S.MSTATUS_UXL | S.MSTATUS_SD;
const SSTATUS_WRITABLE: u64 = S.MSTATUS_SIE | S.MSTATUS_SPIE | S.MSTATUS_SPP | S.MSTATUS_FS | S.MSTATUS_SUM | S.MSTATUS_MXR;
const MSTATUS_FIXED: u64 = (<u64>2 << 32) | (<u64>2 << 34); // UXL = SXL = 64-bit

const MIE_WRITABLE: u64 = S.IRQ_SSIP | S.IRQ_MSIP | S.IRQ_STIP | S.IRQ_MTIP | S.IRQ_SEIP | S.IRQ_MEIP;
const MIDELEG_WRITABLE: u64 = S.IRQ_SSIP | S.IRQ_STIP | S.IRQ_SEIP;
const MEDELEG_WRITABLE: u64 = 0xb3ff; // causes 0-9, 12, 13, 15; not ecall from M (11)
const MENVCFG_STCE: u64 = <u64>1 << 63;
const MENVCFG_WRITABLE: u64 = MENVCFG_STCE | 1; // STCE, FIOM

export const PMP_COUNT: i32 = 16;
const pmpcfg: usize = memory.data(PMP_COUNT, 8); // one byte per entry
const pmpaddr: usize = memory.data(PMP_COUNT * 8, 8);

/** Set by the last csrRead/csrWrite when the access was illegal (exception raised). */
let csrFailed: bool = false;

function illegal(insn: u32): u64 {
  raise(CAUSE_ILLEGAL_INSN, <u64>insn);
  csrFailed = true;
  return 0;
}

@inline function counterEnabled(bit: u32): bool {
  if (S.priv == PRIV_M) return true;
  if (((S.mcounteren >> bit) & 1) == 0) return false;
  if (S.priv == PRIV_U && ((S.scounteren >> bit) & 1) == 0) return false;
  return true;
}

export function sstatusValue(): u64 { return readMstatus() & SSTATUS_MASK; }

function readMstatus(): u64 {
  let v = (S.mstatus & MSTATUS_WRITABLE) | MSTATUS_FIXED;
  if ((v & S.MSTATUS_FS) == S.MSTATUS_FS) v |= S.MSTATUS_SD;
  return v;
}

function writeMstatus(v: u64): void {
  const old = S.mstatus;
  let next = (old & ~MSTATUS_WRITABLE) | (v & MSTATUS_WRITABLE);
  if (((next & S.MSTATUS_MPP) >> S.MSTATUS_MPP_SHIFT) == 2) next = (next & ~S.MSTATUS_MPP) | (old & S.MSTATUS_MPP); // MPP is WARL: 2 is reserved
  S.setMstatus(next);
  if (((old ^ next) & (S.MSTATUS_SUM | S.MSTATUS_MXR)) != 0) tlbFlush();
  if (((old ^ next) & (S.MSTATUS_MPRV | S.MSTATUS_MPP)) != 0) mmuContextChanged();
  S.requestInterruptCheck();
}

/**
 * Whether the current privilege may access CSR `num` beyond its number's
 * privilege bits (Privileged spec 2.1): fcsr needs mstatus.FS on (3.1.6.6),
 * counters their xcounteren bits (3.1.11), stimecmp menvcfg.STCE in S-mode
 * (Sstc), satp mstatus.TVM clear in S-mode (3.1.6.5).
 */
function csrAccessible(num: u32): bool {
  switch (num) {
    case 0x001: case 0x002: case 0x003: return S.fpEnabled();
    case 0xc00: case 0xc01: case 0xc02: return counterEnabled(num - 0xc00);
    case 0x14d: return S.priv != PRIV_S || (S.menvcfg & MENVCFG_STCE) != 0;
    case 0x180: return S.priv != PRIV_S || (S.mstatus & S.MSTATUS_TVM) == 0;
  }
  if (num >= 0xc03 && num <= 0xc1f) return counterEnabled(num - 0xc00); // hpmcounterN
  return true;
}

/** Set by the last csrPeek when the CSR does not exist. */
let csrMissing: bool = false;

/**
 * The value of CSR `num`, with no access checks and no side effects; sets
 * csrMissing (and returns 0) if the hart has no such CSR. The one list of the
 * CSRs that exist: instructions read through csrRead, the host through it directly.
 */
export function csrPeek(num: u32): u64 {
  csrMissing = false;
  switch (num) {
    case 0x001: return <u64>S.fflags;
    case 0x002: return <u64>S.frm;
    case 0x003: return <u64>((S.frm << 5) | S.fflags);
    case 0xc00: return S.tick - S.mcycleOffset;
    case 0xc01: return mtimeNow();
    case 0xc02: return S.tick - S.minstretOffset;
    case 0x100: return sstatusValue();
    case 0x104: return S.mie & S.mideleg;
    case 0x105: return S.stvec;
    case 0x106: return <u64>S.scounteren;
    case 0x10a: return S.senvcfg;
    case 0x140: return S.sscratch;
    case 0x141: return S.sepc;
    case 0x142: return S.scause;
    case 0x143: return S.stval;
    case 0x144: return S.mipValue() & S.mideleg;
    case 0x14d: return S.stimecmp;
    case 0x180: return S.satp;
    case 0xf11: case 0xf12: case 0xf13: case 0xf14: case 0xf15: return 0;
    case 0x300: return readMstatus();
    case 0x301: return MISA;
    case 0x302: return S.medeleg;
    case 0x303: return S.mideleg;
    case 0x304: return S.mie;
    case 0x305: return S.mtvec;
    case 0x306: return <u64>S.mcounteren;
    case 0x30a: return S.menvcfg;
    case 0x320: return <u64>S.mcountinhibit;
    case 0x340: return S.mscratch;
    case 0x341: return S.mepc;
    case 0x342: return S.mcause;
    case 0x343: return S.mtval;
    case 0x344: return S.mipValue();
    case 0xb00: return S.tick - S.mcycleOffset;
    case 0xb02: return S.tick - S.minstretOffset;
  }
  if (num >= 0xc03 && num <= 0xc1f) return 0; // hpmcounterN
  if ((num >= 0xb03 && num <= 0xb1f) || (num >= 0x323 && num <= 0x33f)) return 0; // mhpmcounterN, mhpmeventN
  if (num >= 0x3a0 && num <= 0x3af && (num & 1) == 0) { // RV64: odd pmpcfg registers do not exist
    const first = <i32>(num - 0x3a0) * 4;
    return first < PMP_COUNT ? load<u64>(pmpcfg + first) : 0;
  }
  if (num >= 0x3b0 && num <= 0x3ef) {
    const i = <i32>(num - 0x3b0);
    return i < PMP_COUNT ? load<u64>(pmpaddr + i * 8) : 0;
  }
  csrMissing = true;
  return 0;
}

/** True if the hart has CSR `num` (whether or not the current privilege may access it). */
export function csrExists(num: u32): bool {
  csrPeek(num);
  return !csrMissing;
}

/** Reads CSR `num` for the instruction `insn`; raises illegal instruction (returning 0) if not allowed. */
export function csrRead(num: u32, insn: u32): u64 {
  csrFailed = false;
  if (((num >> 8) & 3) > S.priv || !csrAccessible(num)) return illegal(insn);
  const v = csrPeek(num);
  if (csrMissing) return illegal(insn);
  // Privileged spec 3.1.11 / Zicntr: an instruction reads the count of the instructions before
  // it. tick already counts the one executing (docs/design.md 2), so it reads one less than the host
  // sees between instructions. A write (csrWrite) sets the count the next instruction reads: the
  // writing instruction's own increment is suppressed.
  if (num == 0xb00 || num == 0xb02 || num == 0xc00 || num == 0xc02) return v - 1;
  return v;
}

/** Writes CSR `num`; raises illegal instruction if not allowed or read-only. Returns false on failure. */
export function csrWrite(num: u32, v: u64, insn: u32): bool {
  csrFailed = false;
  if (((num >> 8) & 3) > S.priv || (num >> 10) == 3) { illegal(insn); return false; }
  switch (num) {
    case 0x001: if (!S.fpEnabled()) { illegal(insn); return false; } S.setFflags(<u32>v); S.markFpDirty(); return true;
    case 0x002: if (!S.fpEnabled()) { illegal(insn); return false; } S.setFrm(<u32>v); S.markFpDirty(); return true;
    case 0x003: if (!S.fpEnabled()) { illegal(insn); return false; } S.setFflags(<u32>v); S.setFrm(<u32>(v >> 5)); S.markFpDirty(); return true;
    case 0x100: writeMstatus((S.mstatus & ~SSTATUS_WRITABLE) | (v & SSTATUS_WRITABLE)); return true;
    case 0x104: S.setMie((S.mie & ~S.mideleg) | (v & S.mideleg & MIE_WRITABLE)); S.requestInterruptCheck(); return true;
    case 0x105: S.setStvec(v & ~(<u64>2)); return true;
    case 0x106: S.setScounteren(<u32>v & 7); return true;
    case 0x10a: S.setSenvcfg(v & 1); return true;
    case 0x140: S.setSscratch(v); return true;
    case 0x141: S.setSepc(v & ~(<u64>1)); return true;
    case 0x142: S.setScause(v); return true;
    case 0x143: S.setStval(v); return true;
    case 0x144: {
      const mask = S.IRQ_SSIP & S.mideleg;
      S.setMipSw((S.mipSw & ~mask) | (v & mask));
      S.requestInterruptCheck();
      return true;
    }
    case 0x14d:
      if (S.priv == PRIV_S && (S.menvcfg & MENVCFG_STCE) == 0) { illegal(insn); return false; }
      S.setStimecmp(v); S.requestInterruptCheck(); return true;
    case 0x180: {
      if (S.priv == PRIV_S && (S.mstatus & S.MSTATUS_TVM) != 0) { illegal(insn); return false; }
      const mode = v >> 60;
      if (mode != 0 && mode != 8) return true; // WARL: unsupported modes leave satp unchanged
      const old = S.satp;
      S.setSatp(v & ((<u64>0xf << 60) | 0xfff_ffff_ffff)); // ASIDLEN = 0
      tlbFlush();
      if (hooksOn(HOOK_SATP)) hookSatp(old, S.satp);
      return true;
    }
    case 0x300: writeMstatus(v); return true;
    case 0x301: return true; // misa is read-only here (WARL)
    case 0x302: S.setMedeleg(v & MEDELEG_WRITABLE); return true;
    case 0x303: S.setMideleg(v & MIDELEG_WRITABLE); S.requestInterruptCheck(); return true;
    case 0x304: S.setMie(v & MIE_WRITABLE); S.requestInterruptCheck(); return true;
    case 0x305: S.setMtvec(v & ~(<u64>2)); return true;
    case 0x306: S.setMcounteren(<u32>v & 7); return true;
    case 0x30a: S.setMenvcfg(v & MENVCFG_WRITABLE); S.requestInterruptCheck(); return true;
    case 0x320: S.setMcountinhibit(<u32>v & 5); return true; // XXX: inhibit bits are stored but counters keep counting
    case 0x340: S.setMscratch(v); return true;
    case 0x341: S.setMepc(v & ~(<u64>1)); return true;
    case 0x342: S.setMcause(v); return true;
    case 0x343: S.setMtval(v); return true;
    case 0x344: {
      let mask = S.IRQ_SSIP | S.IRQ_SEIP;
      if ((S.menvcfg & MENVCFG_STCE) == 0) mask |= S.IRQ_STIP;
      S.setMipSw((S.mipSw & ~mask) | (v & mask));
      S.requestInterruptCheck();
      return true;
    }
    case 0xb00: S.setMcycleOffset(S.tick - v); return true;
    case 0xb02: S.setMinstretOffset(S.tick - v); return true;
  }
  if ((num >= 0xb03 && num <= 0xb1f) || (num >= 0x323 && num <= 0x33f)) return true; // hpm counters/events: read-only zero
  if (num >= 0x3a0 && num <= 0x3af) {
    if ((num & 1) != 0) { illegal(insn); return false; }
    const first = <i32>(num - 0x3a0) * 4;
    for (let k = 0; k < 8; k++) {
      const i = first + k;
      if (i >= PMP_COUNT) break;
      if ((load<u8>(pmpcfg + i) & 0x80) != 0) continue; // locked
      let cfg = <u8>(v >> (8 * <u64>k)) & 0x9f;
      if ((cfg & 3) == 2) cfg &= ~<u8>3; // R=0, W=1 is reserved
      store<u8>(pmpcfg + i, cfg);
    }
    return true;
  }
  if (num >= 0x3b0 && num <= 0x3ef) {
    const i = <i32>(num - 0x3b0);
    if (i < PMP_COUNT && (load<u8>(pmpcfg + i) & 0x80) == 0) store<u64>(pmpaddr + i * 8, v & 0x3f_ffff_ffff_ffff);
    return true;
  }
  illegal(insn);
  return false;
}

export function csrLastFailed(): bool { return csrFailed; }

export function pmpReset(): void {
  memory.fill(pmpcfg, 0, PMP_COUNT);
  memory.fill(pmpaddr, 0, PMP_COUNT * 8);
}
export function pmpCfgPtr(): usize { return pmpcfg; }
export function pmpAddrPtr(): usize { return pmpaddr; }
// XXX: PMP entries are kept as OpenSBI programs them but not enforced.
