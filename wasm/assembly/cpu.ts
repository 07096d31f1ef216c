// The interpreter: fetch through the fetch page, expand compressed
// instructions through the RVC table, decode and execute RV64IMAFDC + Zicsr +
// Zifencei and the privileged instructions (Unprivileged spec chapters 2, 5,
// 7, 8, 16; Privileged spec 3.3). Traps are status: an instruction that faults
// raises the exception and leaves pc alone; the loop then enters the trap.
import * as S from './state';
import { getX, setX, PRIV_M, PRIV_S, PRIV_U } from './state';
import {
  fetchPage, fetchDelta, fetchSlow, loadHost, storeHost, loadSlow, storeSlow, amoHost,
  translate, TRANSLATE_FAULT, ACCESS_READ, ACCESS_WRITE, dataPriv, tlbFlush, accessFault,
} from './mmu';
import { ramPtr, ramPaddr } from './ram';
import {
  raise, excPending, takeException, reservationValid, reservationAddr, setReservation, doMret, doSret,
  CAUSE_ILLEGAL_INSN, CAUSE_BREAKPOINT, CAUSE_ECALL_U, CAUSE_MISALIGNED_LOAD, CAUSE_MISALIGNED_STORE,
} from './trap';
import { csrRead, csrWrite, csrLastFailed } from './csr';
import { rvcTable } from './rvc';
import { fpExecute } from './fpu';
import { hooksOn, hookSysret, watchActive, hookWrite } from './hooks';
import { HOOK_SYSRET, HOOK_WRITE_AMO } from './constants';
import { jitOn, jitEnter, jitChained, jitCounterSlot, jitThreshold } from './jit';

/** A fetch page no pc lies in (its low 12 bits are set): the next fetch takes the slow path. */
const NO_FETCH_PAGE: u64 = 0xffff_ffff_ffff_ffff;

/** Set by WFI: the hart idles until an interrupt is pending (Privileged spec 3.3.3). */
export let waitingForInterrupt: bool = false;
@inline export function setWaiting(v: bool): void { waitingForInterrupt = v; }

@inline function immI(insn: u32): u64 { return <u64>(<i64>(<i32>insn >> 20)); }
@inline function immS(insn: u32): u64 { return <u64>(<i64>(((<i32>insn >> 25) << 5) | <i32>((insn >> 7) & 0x1f))); }
@inline function immB(insn: u32): u64 {
  return <u64>(<i64>(((<i32>insn >> 31) << 12) | <i32>(((insn >> 7) & 1) << 11) | <i32>(((insn >> 25) & 0x3f) << 5) | <i32>(((insn >> 8) & 0xf) << 1)));
}
@inline function immJ(insn: u32): u64 {
  return <u64>(<i64>(((<i32>insn >> 31) << 20) | <i32>(insn & 0xff000) | <i32>(((insn >> 20) & 1) << 11) | <i32>(((insn >> 21) & 0x3ff) << 1)));
}
@inline function sext32(v: u64): u64 { return <u64>(<i64>(<i32>v)); }

export function mulhu(a: u64, b: u64): u64 {
  const a0 = a & 0xffff_ffff, a1 = a >> 32, b0 = b & 0xffff_ffff, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xffff_ffff) + (p10 & 0xffff_ffff);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}
export function mulh(a: u64, b: u64): u64 {
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  if (<i64>b < 0) r -= a;
  return r;
}
export function mulhsu(a: u64, b: u64): u64 {
  let r = mulhu(a, b);
  if (<i64>a < 0) r -= b;
  return r;
}

// Division by zero and overflow give the values of Unprivileged spec table 7.1 (wasm would trap).
@inline function div64(a: u64, b: u64): u64 {
  if (b == 0) return 0xffff_ffff_ffff_ffff;
  if (a == 0x8000_0000_0000_0000 && b == 0xffff_ffff_ffff_ffff) return a;
  return <u64>(<i64>a / <i64>b);
}
@inline function rem64(a: u64, b: u64): u64 {
  if (b == 0) return a;
  if (a == 0x8000_0000_0000_0000 && b == 0xffff_ffff_ffff_ffff) return 0;
  return <u64>(<i64>a % <i64>b);
}
@inline function divu64(a: u64, b: u64): u64 { return b == 0 ? 0xffff_ffff_ffff_ffff : a / b; }
@inline function remu64(a: u64, b: u64): u64 { return b == 0 ? a : a % b; }
@inline function div32(a: u32, b: u32): u64 {
  if (b == 0) return 0xffff_ffff_ffff_ffff;
  if (a == 0x8000_0000 && b == 0xffff_ffff) return sext32(a);
  return sext32(<u64>(<i32>a / <i32>b));
}
@inline function rem32(a: u32, b: u32): u64 {
  if (b == 0) return sext32(a);
  if (a == 0x8000_0000 && b == 0xffff_ffff) return 0;
  return sext32(<u64>(<i32>a % <i32>b));
}
@inline function divu32(a: u32, b: u32): u64 { return b == 0 ? 0xffff_ffff_ffff_ffff : sext32(a / b); }
@inline function remu32(a: u32, b: u32): u64 { return b == 0 ? sext32(a) : sext32(a % b); }

/** A load through the TLB; the slow path (page walk, MMIO) first publishes the instruction's tick `t` and `pc` (an A bit it sets in a watched PTE names them, hooks.ts). */
@inline function loadData(addr: u64, size: u32, t: u64, pc: u64): u64 {
  const host = loadHost(addr, size);
  if (host != 0) {
    if (size == 8) return load<u64>(host);
    if (size == 4) return <u64>load<u32>(host);
    if (size == 2) return <u64>load<u16>(host);
    return <u64>load<u8>(host);
  }
  S.setTick(t);
  S.setPc(pc);
  return loadSlow(addr, size);
}

/** A store through the TLB; the slow path (page walk, MMIO, a watched page) first publishes the instruction's tick `t` and `pc`. */
@inline function storeData(addr: u64, value: u64, size: u32, t: u64, pc: u64): void {
  const host = storeHost(addr, size);
  if (host != 0) {
    if (size == 8) store<u64>(host, value);
    else if (size == 4) store<u32>(host, <u32>value);
    else if (size == 2) store<u16>(host, <u16>value);
    else store<u8>(host, <u8>value);
    return;
  }
  S.setTick(t);
  S.setPc(pc);
  storeSlow(addr, value, size);
}

/** The slow fetch (page change, page walk) of the instruction at pc whose tick is `t`: both published first, as a load's (an A bit its walk sets in a watched PTE names them, hooks.ts). */
@inline function fetchAt(pc: u64, t: u64): u32 {
  S.setTick(t);
  S.setPc(pc);
  return fetchSlow(pc);
}

function illegalInsn(insn: u32): void { raise(CAUSE_ILLEGAL_INSN, <u64>insn); }

/** Takes the raised exception of the instruction at pc; returns where execution continues. */
function trapAt(pc: u64): u64 {
  S.setPc(pc);
  takeException();
  return S.pc;
}

/**
 * Executes instructions until tick reaches endTick; stops early after any
 * instruction that may change interrupt state or asks to stop
 * (S.checkInterrupts: only system instructions and slow-path memory accesses
 * can set it). Every executed instruction advances tick by one, including one
 * that traps (docs/design.md section 2), before it executes.
 *
 * pc, tick and the fetch page live in locals; S.pc and S.tick are published
 * before anything that reads them (traps, CSRs, MMIO), and the fetch page is
 * reloaded after anything that may change translation (traps, system
 * instructions, slow fetches).
 */
export function executeBatch(endTick: u64): void {
  let pc = S.pc;
  let t = S.tick;
  let fpage = fetchPage;
  let fdelta = fetchDelta;
  // Set after a taken jump with the JIT on: look the target up in the JIT's cache (jit.ts).
  let jumped: bool = false;
  // An instruction that raises an exception leaves through `fpage = NO_FETCH_PAGE; continue;`:
  // the next fetch then takes the slow path, which enters the trap; after the batch's last
  // instruction, the trap is entered below.
  while (t < endTick) {
    if (jumped && !excPending) {
      jumped = false;
      const counter = jitCounterSlot(pc);
      const count = <u32>load<u16>(counter);
      if (count + 1 < jitThreshold) {
        store<u16>(counter, <u16>(count + 1)); // cold: counted only
      } else {
        if ((pc & ~(<u64>0xfff)) != fpage) {
          // The fetch the next instruction (tick t + 1) makes anyway, done first so its page is known.
          fetchAt(pc, t + 1);
          fpage = fetchPage; fdelta = fetchDelta;
          if (excPending) { t++; fpage = NO_FETCH_PAGE; continue; } // the fetch faults, as below
          if (S.stopRequested) { endTick = t + 1; continue; } // its walk asked to stop: the interpreter runs it and ends the batch, as below
        }
        if ((pc & ~(<u64>0xfff)) == fpage && jitEnter(pc, <usize>(pc + fdelta), t, endTick, fpage, fdelta)) {
          pc = S.pc;
          t = S.tick;
          if (excPending) { fpage = NO_FETCH_PAGE; continue; }
          if (S.checkInterrupts) { endTick = t; continue; }
          jumped = jitChained;
          continue;
        }
      }
    }
    t++;
    let insn: u32 = 0;
    let slowFetch = true;
    if ((pc & ~(<u64>0xfff)) == fpage) {
      insn = load<u32>(<usize>(pc + fdelta));
      slowFetch = (insn & 3) == 3 && (pc & 0xfff) == 0xffe; // a 32-bit instruction straddling two pages
    } else if (excPending) { // the trap exit: no instruction runs in this round (t is given back)
      t--;
      pc = trapAt(pc);
      fpage = fetchPage; fdelta = fetchDelta;
      if (S.checkInterrupts) endTick = t; // e.g. a hook asked to stop
      continue;
    }
    if (slowFetch) {
      insn = fetchAt(pc, t);
      fpage = fetchPage; fdelta = fetchDelta;
      if (excPending) { fpage = NO_FETCH_PAGE; continue; }
      if (S.stopRequested) endTick = t; // its walk's watched write asked to stop (hooks.ts): after this instruction, as a load's
    }
    let len: u64 = 4;
    let raw = insn; // the instruction as fetched: mtval of an illegal instruction (Privileged spec 3.1.16)
    if ((insn & 3) != 3) {
      raw = insn & 0xffff;
      len = 2;
      insn = load<u32>(rvcTable + (<usize>raw << 2));
      if (insn == 0) { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
    }
    const rd = (insn >> 7) & 0x1f;
    const rs1 = (insn >> 15) & 0x1f;
    const rs2 = (insn >> 20) & 0x1f;
    const f3 = (insn >> 12) & 7;
    switch (insn & 0x7f) {
      case 0x37: // LUI
        setX(rd, <u64>(<i64>(<i32>(insn & 0xffff_f000))));
        pc = pc + len;
        break;
      case 0x17: // AUIPC
        setX(rd, pc + <u64>(<i64>(<i32>(insn & 0xffff_f000))));
        pc = pc + len;
        break;
      case 0x6f: // JAL
        setX(rd, pc + len);
        pc = pc + immJ(insn);
        jumped = jitOn;
        break;
      case 0x67: { // JALR
        if (f3 != 0) { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        const target = (getX(rs1) + immI(insn)) & ~(<u64>1);
        setX(rd, pc + len);
        pc = target;
        jumped = jitOn;
        break;
      }
      case 0x63: { // BRANCH
        const a = getX(rs1), b = getX(rs2);
        let taken: bool;
        switch (f3) {
          case 0: taken = a == b; break;
          case 1: taken = a != b; break;
          case 4: taken = <i64>a < <i64>b; break;
          case 5: taken = <i64>a >= <i64>b; break;
          case 6: taken = a < b; break;
          case 7: taken = a >= b; break;
          default: illegalInsn(raw); fpage = NO_FETCH_PAGE; continue;
        }
        if (taken) { pc = pc + immB(insn); jumped = jitOn; } else pc = pc + len;
        break;
      }
      case 0x03: { // LOAD
        const addr = getX(rs1) + immI(insn);
        let v: u64;
        switch (f3) {
          case 0: v = <u64>(<i64>(<i8>loadData(addr, 1, t, pc))); break;
          case 1: v = <u64>(<i64>(<i16>loadData(addr, 2, t, pc))); break;
          case 2: v = sext32(loadData(addr, 4, t, pc)); break;
          case 3: v = loadData(addr, 8, t, pc); break;
          case 4: v = loadData(addr, 1, t, pc); break;
          case 5: v = loadData(addr, 2, t, pc); break;
          case 6: v = loadData(addr, 4, t, pc); break;
          default: illegalInsn(raw); fpage = NO_FETCH_PAGE; continue;
        }
        if (excPending) { fpage = NO_FETCH_PAGE; continue; }
        setX(rd, v);
        pc = pc + len;
        if (S.checkInterrupts) endTick = t; // an MMIO read may have changed a device's interrupt line
        break;
      }
      case 0x23: { // STORE
        const addr = getX(rs1) + immS(insn);
        if (f3 > 3) { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        storeData(addr, getX(rs2), 1 << f3, t, pc);
        if (excPending) { fpage = NO_FETCH_PAGE; continue; }
        pc = pc + len;
        if (S.checkInterrupts) endTick = t; // an MMIO write may have changed interrupts or asked to stop
        break;
      }
      case 0x13: { // OP-IMM
        const a = getX(rs1);
        const imm = immI(insn);
        let v: u64;
        switch (f3) {
          case 0: v = a + imm; break;
          case 1: if ((insn >> 26) != 0) { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; } v = a << (imm & 63); break;
          case 2: v = <i64>a < <i64>imm ? 1 : 0; break;
          case 3: v = a < imm ? 1 : 0; break;
          case 4: v = a ^ imm; break;
          case 5: {
            const top = insn >> 26;
            if (top == 0) v = a >> (imm & 63);
            else if (top == 0x10) v = <u64>(<i64>a >> <i64>(imm & 63));
            else { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
            break;
          }
          case 6: v = a | imm; break;
          default: v = a & imm; break;
        }
        setX(rd, v);
        pc = pc + len;
        break;
      }
      case 0x33: { // OP
        const a = getX(rs1), b = getX(rs2);
        const f7 = insn >> 25;
        let v: u64;
        if (f7 == 0) {
          switch (f3) {
            case 0: v = a + b; break;
            case 1: v = a << (b & 63); break;
            case 2: v = <i64>a < <i64>b ? 1 : 0; break;
            case 3: v = a < b ? 1 : 0; break;
            case 4: v = a ^ b; break;
            case 5: v = a >> (b & 63); break;
            case 6: v = a | b; break;
            default: v = a & b; break;
          }
        } else if (f7 == 1) {
          switch (f3) {
            case 0: v = a * b; break;
            case 1: v = mulh(a, b); break;
            case 2: v = mulhsu(a, b); break;
            case 3: v = mulhu(a, b); break;
            case 4: v = div64(a, b); break;
            case 5: v = divu64(a, b); break;
            case 6: v = rem64(a, b); break;
            default: v = remu64(a, b); break;
          }
        } else if (f7 == 0x20 && f3 == 0) v = a - b;
        else if (f7 == 0x20 && f3 == 5) v = <u64>(<i64>a >> <i64>(b & 63));
        else { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        setX(rd, v);
        pc = pc + len;
        break;
      }
      case 0x1b: { // OP-IMM-32
        const a = <u32>getX(rs1);
        const shamt = (insn >> 20) & 31;
        const f7 = insn >> 25;
        let v: u64;
        if (f3 == 0) v = sext32(<u64>(a + <u32>immI(insn)));
        else if (f3 == 1 && f7 == 0) v = sext32(<u64>(a << shamt));
        else if (f3 == 5 && f7 == 0) v = sext32(<u64>(a >> shamt));
        else if (f3 == 5 && f7 == 0x20) v = sext32(<u64>(<u32>(<i32>a >> shamt)));
        else { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        setX(rd, v);
        pc = pc + len;
        break;
      }
      case 0x3b: { // OP-32
        const a = <u32>getX(rs1), b = <u32>getX(rs2);
        const f7 = insn >> 25;
        let v: u64;
        if (f7 == 0) {
          if (f3 == 0) v = sext32(<u64>(a + b));
          else if (f3 == 1) v = sext32(<u64>(a << (b & 31)));
          else if (f3 == 5) v = sext32(<u64>(a >> (b & 31)));
          else { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        } else if (f7 == 0x20) {
          if (f3 == 0) v = sext32(<u64>(a - b));
          else if (f3 == 5) v = sext32(<u64>(<u32>(<i32>a >> (b & 31))));
          else { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        } else if (f7 == 1) {
          switch (f3) {
            case 0: v = sext32(<u64>(a * b)); break;
            case 4: v = div32(a, b); break;
            case 5: v = divu32(a, b); break;
            case 6: v = rem32(a, b); break;
            case 7: v = remu32(a, b); break;
            default: illegalInsn(raw); fpage = NO_FETCH_PAGE; continue;
          }
        } else { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        setX(rd, v);
        pc = pc + len;
        break;
      }
      case 0x0f: // MISC-MEM: FENCE, FENCE.I (no decoded-instruction cache to flush)
        if (f3 > 1) { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        pc = pc + len;
        break;
      case 0x73: // SYSTEM
        S.setPc(pc);
        S.setTick(t);
        if (!executeSystem(insn, pc, len, rd, rs1, f3)) { fpage = NO_FETCH_PAGE; continue; }
        pc = S.pc;
        fpage = fetchPage; fdelta = fetchDelta;
        if (S.checkInterrupts) endTick = t;
        break;
      case 0x2f: // AMO
        S.setPc(pc); // for a watched write's event (hooks.ts)
        S.setTick(t);
        if (!executeAmo(insn, rd, rs1, rs2, f3)) { fpage = NO_FETCH_PAGE; continue; }
        pc = pc + len;
        if (S.checkInterrupts) endTick = t; // a watched write asked to stop
        break;
      case 0x07: { // LOAD-FP
        if (!S.fpEnabled() || (f3 != 2 && f3 != 3)) { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        const addr = getX(rs1) + immI(insn);
        const v = f3 == 2 ? (loadData(addr, 4, t, pc) | 0xffff_ffff_0000_0000) : loadData(addr, 8, t, pc);
        if (excPending) { fpage = NO_FETCH_PAGE; continue; }
        S.setF(rd, v);
        S.markFpDirty();
        pc = pc + len;
        if (S.checkInterrupts) endTick = t;
        break;
      }
      case 0x27: { // STORE-FP
        if (!S.fpEnabled() || (f3 != 2 && f3 != 3)) { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        const addr = getX(rs1) + immS(insn);
        storeData(addr, S.getF(rs2), f3 == 2 ? 4 : 8, t, pc);
        if (excPending) { fpage = NO_FETCH_PAGE; continue; }
        pc = pc + len;
        if (S.checkInterrupts) endTick = t;
        break;
      }
      case 0x53: case 0x43: case 0x47: case 0x4b: case 0x4f: // OP-FP, fused multiply-add
        if (!S.fpEnabled() || !fpExecute(insn)) { illegalInsn(raw); fpage = NO_FETCH_PAGE; continue; }
        pc = pc + len;
        break;
      default:
        illegalInsn(raw); fpage = NO_FETCH_PAGE; continue;
    }
  }
  S.setPc(pc);
  S.setTick(t);
  if (excPending) takeException();
}

/** ECALL, EBREAK, xRET, WFI, SFENCE.VMA and the Zicsr instructions. Returns false with an exception raised. */
function executeSystem(insn: u32, pc: u64, len: u64, rd: u32, rs1: u32, f3: u32): bool {
  if (f3 == 0) {
    if (insn == 0x0000_0073) { raise(CAUSE_ECALL_U + <u64>S.priv, 0); return false; }
    if (insn == 0x0010_0073) { raise(CAUSE_BREAKPOINT, pc); return false; }
    if (insn == 0x3020_0073) {
      if (S.priv != PRIV_M) { illegalInsn(insn); return false; }
      doMret();
      S.requestInterruptCheck();
      return true;
    }
    if (insn == 0x1020_0073) {
      if (S.priv == PRIV_U || (S.priv == PRIV_S && (S.mstatus & S.MSTATUS_TSR) != 0)) { illegalInsn(insn); return false; }
      doSret();
      if (hooksOn(HOOK_SYSRET) && S.priv == PRIV_U) hookSysret();
      S.requestInterruptCheck();
      return true;
    }
    if (insn == 0x1050_0073) {
      if (S.priv == PRIV_U || (S.priv == PRIV_S && (S.mstatus & S.MSTATUS_TW) != 0)) { illegalInsn(insn); return false; }
      S.setPc(pc + len);
      waitingForInterrupt = true;
      S.requestInterruptCheck();
      return true;
    }
    if ((insn >> 25) == 0x09 && rd == 0) { // SFENCE.VMA
      if (S.priv == PRIV_U || (S.priv == PRIV_S && (S.mstatus & S.MSTATUS_TVM) != 0)) { illegalInsn(insn); return false; }
      tlbFlush();
      S.setPc(pc + len);
      return true;
    }
    illegalInsn(insn);
    return false;
  }
  if (f3 == 4) { illegalInsn(insn); return false; }
  const num = insn >> 20;
  const operand: u64 = f3 >= 5 ? <u64>rs1 : getX(rs1);
  const op = f3 & 3; // 1 = RW, 2 = RS, 3 = RC
  const writes = op == 1 || rs1 != 0;
  let old: u64 = 0;
  if (op != 1 || rd != 0) {
    old = csrRead(num, insn);
    if (csrLastFailed()) return false;
  } else if (((num >> 8) & 3) > S.priv) { illegalInsn(insn); return false; }
  if (writes) {
    const next = op == 1 ? operand : op == 2 ? (old | operand) : (old & ~operand);
    if (!csrWrite(num, next, insn)) return false;
    S.requestInterruptCheck();
  }
  setX(rd, old);
  S.setPc(pc + len);
  return true;
}

/** The funct5 values of the AMOs (bit n set: funct5 n is one); the others are illegal. */
const AMO_FUNCT5S: u32 = (1 << 0x00) | (1 << 0x01) | (1 << 0x04) | (1 << 0x08) | (1 << 0x0c) | (1 << 0x10) | (1 << 0x14) | (1 << 0x18) | (1 << 0x1c);

@inline function signedLess<T extends number>(a: T, b: T): bool {
  if (sizeof<T>() == 4) return <i32>a < <i32>b;
  return <i64>a < <i64>b;
}

/** What an AMO (funct5 in AMO_FUNCT5S) stores, at width T (u32 or u64), given the old memory value and rs2. */
@inline function amoValue<T extends number>(funct5: u32, old: T, b: T): T {
  switch (funct5) {
    case 0x01: return b; // amoswap
    case 0x00: return <T>(old + b); // amoadd
    case 0x04: return <T>(old ^ b); // amoxor
    case 0x0c: return <T>(old & b); // amoand
    case 0x08: return <T>(old | b); // amoor
    case 0x10: return signedLess<T>(old, b) ? old : b; // amomin
    case 0x14: return signedLess<T>(b, old) ? old : b; // amomax
    case 0x18: return old < b ? old : b; // amominu
    default: return old > b ? old : b; // 0x1c amomaxu
  }
}

/** LR/SC and AMOs (A extension, chapter 8). Returns false with an exception raised. */
function executeAmo(insn: u32, rd: u32, rs1: u32, rs2: u32, f3: u32): bool {
  if (f3 != 2 && f3 != 3) { illegalInsn(insn); return false; }
  const size: u32 = f3 == 2 ? 4 : 8;
  const addr = getX(rs1);
  const funct5 = insn >> 27;
  if ((addr & <u64>(size - 1)) != 0) {
    raise(funct5 == 2 ? CAUSE_MISALIGNED_LOAD : CAUSE_MISALIGNED_STORE, addr);
    return false;
  }
  if (funct5 == 2) { // LR
    if (rs2 != 0) { illegalInsn(insn); return false; }
    const paddr = translate(addr, ACCESS_READ, dataPriv);
    if (paddr == TRANSLATE_FAULT) return false;
    const host = ramPtr(paddr, size);
    if (host == 0) { accessFault(ACCESS_READ, addr); return false; }
    setX(rd, size == 4 ? sext32(<u64>load<u32>(host)) : load<u64>(host));
    setReservation(true, paddr);
    return true;
  }
  if (funct5 == 3) { // SC
    const paddr = translate(addr, ACCESS_WRITE, dataPriv);
    if (paddr == TRANSLATE_FAULT) return false;
    if (reservationValid && reservationAddr == paddr) {
      const host = amoHost(addr, size);
      if (host == 0) return false;
      const old = size == 4 ? <u64>load<u32>(host) : load<u64>(host);
      const next = size == 4 ? getX(rs2) & 0xffff_ffff : getX(rs2);
      if (size == 4) store<u32>(host, <u32>next); else store<u64>(host, next);
      if (watchActive) hookWrite(paddr, size, old, next, HOOK_WRITE_AMO);
      setX(rd, 0);
    } else {
      setX(rd, 1);
    }
    setReservation(false, 0);
    return true;
  }
  const host = amoHost(addr, size);
  if (host == 0) return false;
  if (((AMO_FUNCT5S >> funct5) & 1) == 0) { illegalInsn(insn); return false; }
  const b = getX(rs2);
  if (size == 4) {
    const old = load<u32>(host);
    const next = amoValue<u32>(funct5, old, <u32>b);
    store<u32>(host, next);
    setX(rd, sext32(<u64>old));
    if (watchActive) hookWrite(ramPaddr(host), 4, <u64>old, <u64>next, HOOK_WRITE_AMO);
  } else {
    const old = load<u64>(host);
    const next = amoValue<u64>(funct5, old, b);
    store<u64>(host, next);
    setX(rd, old);
    if (watchActive) hookWrite(ramPaddr(host), 8, old, next, HOOK_WRITE_AMO);
  }
  return true;
}
