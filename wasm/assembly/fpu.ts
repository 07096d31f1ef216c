// F and D extensions (Unprivileged spec chapters 13 and 14): decode and execute
// OP-FP and the fused multiply-add opcodes for fmt S and D.
// The CPU checks mstatus.FS != 0 before calling and implements FP loads and
// stores itself. Arithmetic lives in fpu-softfloat.ts (exact, all rounding
// modes) with a native fast path for round-to-nearest-even in fpu-fast.ts.
// FS becomes dirty on every f register write and whenever fflags change; an
// instruction that only writes an x register and raises no flag leaves it as is.

import { getF, setF, getX, setX, frm, orFflags, markFpDirty } from './state';
import {
  sfFlags, sfClearFlags, sfAdd, sfMul, sfDiv, sfSqrt, sfMulAdd, sfConvert, sfToInt, sfFromInt,
  sfCompare, sfMinMax, sfClassify, CANONICAL_NAN_S, RM_RNE,
} from './fpu-softfloat';
import { fastAddD, fastMulD, fastDivD, fastSqrtD, fastAddS, fastMulS, fastDivS, fastSqrtS, fastMulAddD, fastMulAddS, FAST_MISS } from './fpu-fast';

export const OPC_MADD: u32 = 0x43;
export const OPC_MSUB: u32 = 0x47;
export const OPC_NMSUB: u32 = 0x4b;
export const OPC_NMADD: u32 = 0x4f;
export const OPC_OP_FP: u32 = 0x53;

const FMT_S: u32 = 0;
const FMT_D: u32 = 1;

const BOX_S: u64 = 0xffffffff00000000;

/** Tests turn the native fast paths off to check the soft-float results in RNE too. */
export let fpFastPathEnabled: bool = true;
export function setFpFastPathEnabled(on: bool): void { fpFastPathEnabled = on; }

/** An S operand: the canonical NaN unless NaN-boxed (spec 14.2). */
@inline function readS(i: u32): u64 {
  const v = getF(i);
  return (v & BOX_S) == BOX_S ? v & 0xffffffff : CANONICAL_NAN_S;
}
@inline function readFmt(i: u32, d: bool): u64 { return d ? getF(i) : readS(i); }
@inline function writeFmt(i: u32, v: u64, d: bool): void {
  setF(i, d ? v : v | BOX_S);
  markFpDirty();
}

/** Accrues the flags raised by the soft-float routines into fflags. */
@inline function commitFlags(): void {
  if (sfFlags != 0) { orFflags(sfFlags); markFpDirty(); }
}

/** The effective rounding mode, or -1 when reserved (rm 5, 6; DYN with frm 5..7). */
@inline function roundingMode(rmField: u32): i32 {
  const rm = rmField == 7 ? frm : rmField;
  return rm <= 4 ? <i32>rm : -1;
}

/** Executes one F/D instruction. Returns false if it is illegal. */
export function fpExecute(insn: u32): bool {
  const opcode = insn & 0x7f;
  const rd = (insn >> 7) & 31;
  const rmField = (insn >> 12) & 7;
  const rs1 = (insn >> 15) & 31;
  const rs2 = (insn >> 20) & 31;
  const fmt = (insn >> 25) & 3;
  if (fmt > FMT_D) return false; // H and Q are not implemented
  const d = fmt == FMT_D;
  if (opcode != OPC_OP_FP) {
    if (opcode != OPC_MADD && opcode != OPC_MSUB && opcode != OPC_NMSUB && opcode != OPC_NMADD) return false;
    const rm = roundingMode(rmField);
    if (rm < 0) return false;
    const rs3 = insn >> 27;
    sfClearFlags();
    const negProd = opcode == OPC_NMSUB || opcode == OPC_NMADD;
    const negC = opcode == OPC_MSUB || opcode == OPC_NMADD;
    const a = readFmt(rs1, d), b = readFmt(rs2, d), c = readFmt(rs3, d);
    let r: u64 = FAST_MISS;
    if (rm == <i32>RM_RNE && fpFastPathEnabled) {
      const sign: u64 = d ? <u64>1 << 63 : <u64>1 << 31;
      const na = negProd ? a ^ sign : a, nc = negC ? c ^ sign : c;
      r = d ? fastMulAddD(na, b, nc) : fastMulAddS(na, b, nc);
    }
    if (r == FAST_MISS) r = sfMulAdd(a, b, c, negProd, negC, d, <u32>rm);
    writeFmt(rd, r, d);
    commitFlags();
    return true;
  }
  const funct5 = insn >> 27;
  sfClearFlags();
  switch (funct5) {
    case 0x00: case 0x01: case 0x02: case 0x03: { // FADD FSUB FMUL FDIV
      const rm = roundingMode(rmField);
      if (rm < 0) return false;
      const a = readFmt(rs1, d), b = readFmt(rs2, d);
      let r: u64 = FAST_MISS;
      if (rm == <i32>RM_RNE && fpFastPathEnabled) {
        if (funct5 <= 1) r = d ? fastAddD(a, b, funct5 == 1) : fastAddS(a, b, funct5 == 1);
        else if (funct5 == 2) r = d ? fastMulD(a, b) : fastMulS(a, b);
        else r = d ? fastDivD(a, b) : fastDivS(a, b);
      }
      if (r == FAST_MISS) {
        if (funct5 <= 1) r = sfAdd(a, b, funct5 == 1, d, <u32>rm);
        else if (funct5 == 2) r = sfMul(a, b, d, <u32>rm);
        else r = sfDiv(a, b, d, <u32>rm);
      }
      writeFmt(rd, r, d);
      break;
    }
    case 0x0b: { // FSQRT
      if (rs2 != 0) return false;
      const rm = roundingMode(rmField);
      if (rm < 0) return false;
      const a = readFmt(rs1, d);
      let r: u64 = FAST_MISS;
      if (rm == <i32>RM_RNE && fpFastPathEnabled) r = d ? fastSqrtD(a) : fastSqrtS(a);
      if (r == FAST_MISS) r = sfSqrt(a, d, <u32>rm);
      writeFmt(rd, r, d);
      break;
    }
    case 0x04: { // FSGNJ FSGNJN FSGNJX: bit operations, no flags
      if (rmField > 2) return false;
      const a = readFmt(rs1, d), b = readFmt(rs2, d);
      const sb: u64 = d ? <u64>1 << 63 : <u64>1 << 31;
      let s: u64;
      if (rmField == 0) s = b & sb;
      else if (rmField == 1) s = ~b & sb;
      else s = (a ^ b) & sb;
      writeFmt(rd, (a & ~sb) | s, d);
      break;
    }
    case 0x05: { // FMIN FMAX
      if (rmField > 1) return false;
      writeFmt(rd, sfMinMax(readFmt(rs1, d), readFmt(rs2, d), d, rmField == 1), d);
      break;
    }
    case 0x08: { // FCVT.S.D (fmt S, rs2 = 1) and FCVT.D.S (fmt D, rs2 = 0)
      if (rs2 != (d ? FMT_S : FMT_D)) return false;
      const rm = roundingMode(rmField);
      if (rm < 0) return false;
      writeFmt(rd, sfConvert(readFmt(rs1, !d), !d, <u32>rm), d);
      break;
    }
    case 0x14: { // FLE FLT FEQ
      if (rmField > 2) return false;
      setX(rd, <u64>sfCompare(readFmt(rs1, d), readFmt(rs2, d), d, rmField));
      break;
    }
    case 0x18: { // FCVT.{W,WU,L,LU}.fmt
      if (rs2 > 3) return false;
      const rm = roundingMode(rmField);
      if (rm < 0) return false;
      setX(rd, sfToInt(readFmt(rs1, d), d, rs2, <u32>rm));
      break;
    }
    case 0x1a: { // FCVT.fmt.{W,WU,L,LU}
      if (rs2 > 3) return false;
      const rm = roundingMode(rmField);
      if (rm < 0) return false;
      writeFmt(rd, sfFromInt(getX(rs1), rs2, d, <u32>rm), d);
      break;
    }
    case 0x1c: { // FMV.X.fmt (rm 0) and FCLASS (rm 1)
      if (rs2 != 0) return false;
      if (rmField == 0) {
        // Transfers do not check NaN boxing (spec 14.2); FMV.X.W sign-extends.
        const v = getF(rs1);
        setX(rd, d ? v : <u64><i64><i32><u32>v);
      } else if (rmField == 1) {
        setX(rd, sfClassify(readFmt(rs1, d), d));
      } else return false;
      break;
    }
    case 0x1e: { // FMV.fmt.X
      if (rs2 != 0 || rmField != 0) return false;
      const v = getX(rs1);
      writeFmt(rd, d ? v : v & 0xffffffff, d);
      break;
    }
    default:
      return false;
  }
  commitFlags();
  return true;
}
