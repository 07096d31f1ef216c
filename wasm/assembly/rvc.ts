// The C extension (Unprivileged spec chapter 16): every 16-bit instruction is
// expanded once, at start-up, into the 32-bit instruction it stands for; the
// CPU looks the expansion up in a 64K-entry table. 0 marks an illegal encoding.

export const rvcTable: usize = heap.alloc(65536 * 4);

@inline function bit(h: u32, i: u32): u32 { return (h >> i) & 1; }
@inline function bits(h: u32, hi: u32, lo: u32): u32 { return (h >> lo) & ((1 << (hi - lo + 1)) - 1); }

function iType(imm: i32, rs1: u32, f3: u32, rd: u32, op: u32): u32 {
  return ((<u32>imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
function sType(imm: i32, rs2: u32, rs1: u32, f3: u32, op: u32): u32 {
  const u = <u32>imm;
  return (((u >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((u & 0x1f) << 7) | op;
}
function bType(imm: i32, rs2: u32, rs1: u32, f3: u32): u32 {
  const u = <u32>imm;
  return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
    | (((u >> 1) & 0xf) << 8) | (((u >> 11) & 1) << 7) | 0x63;
}
function jType(imm: i32, rd: u32): u32 {
  const u = <u32>imm;
  return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) | (((u >> 11) & 1) << 20) | (((u >> 12) & 0xff) << 12) | (rd << 7) | 0x6f;
}
function rType(f7: u32, rs2: u32, rs1: u32, f3: u32, rd: u32, op: u32): u32 {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
@inline function sext(v: u32, width: u32): i32 { return (<i32>(v << (32 - width))) >> (32 - width); }

const OP_IMM: u32 = 0x13, OP_IMM_32: u32 = 0x1b, OP: u32 = 0x33, OP_32: u32 = 0x3b, LUI: u32 = 0x37;
const LOAD: u32 = 0x03, STORE: u32 = 0x23, LOAD_FP: u32 = 0x07, STORE_FP: u32 = 0x27, JALR: u32 = 0x67;

/** The 32-bit equivalent of compressed instruction h (low two bits != 3), or 0 if illegal. */
export function expandCompressed(h: u32): u32 {
  const op = h & 3;
  const f3 = bits(h, 15, 13);
  const rdFull = bits(h, 11, 7);
  const rs2Full = bits(h, 6, 2);
  const rdP = bits(h, 4, 2) + 8; // rd' / rs2'
  const rs1P = bits(h, 9, 7) + 8; // rs1' / rd'
  if (op == 0) {
    switch (f3) {
      case 0: { // C.ADDI4SPN
        const imm = (bits(h, 12, 11) << 4) | (bits(h, 10, 7) << 6) | (bit(h, 6) << 2) | (bit(h, 5) << 3);
        if (imm == 0) return 0;
        return iType(<i32>imm, 2, 0, rdP, OP_IMM);
      }
      case 1: return iType(<i32>((bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6)), rs1P, 3, rdP, LOAD_FP); // C.FLD
      case 2: return iType(<i32>((bits(h, 12, 10) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6)), rs1P, 2, rdP, LOAD); // C.LW
      case 3: return iType(<i32>((bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6)), rs1P, 3, rdP, LOAD); // C.LD
      case 5: return sType(<i32>((bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6)), rdP, rs1P, 3, STORE_FP); // C.FSD
      case 6: return sType(<i32>((bits(h, 12, 10) << 3) | (bit(h, 6) << 2) | (bit(h, 5) << 6)), rdP, rs1P, 2, STORE); // C.SW
      case 7: return sType(<i32>((bits(h, 12, 10) << 3) | (bits(h, 6, 5) << 6)), rdP, rs1P, 3, STORE); // C.SD
    }
    return 0;
  }
  if (op == 1) {
    const imm6 = sext((bit(h, 12) << 5) | rs2Full, 6);
    switch (f3) {
      case 0: return iType(imm6, rdFull, 0, rdFull, OP_IMM); // C.ADDI (C.NOP when rd = 0)
      case 1: if (rdFull == 0) return 0; return iType(imm6, rdFull, 0, rdFull, OP_IMM_32); // C.ADDIW
      case 2: return iType(imm6, 0, 0, rdFull, OP_IMM); // C.LI
      case 3: {
        if (rdFull == 2) { // C.ADDI16SP
          const imm = sext((bit(h, 12) << 9) | (bit(h, 6) << 4) | (bit(h, 5) << 6) | (bits(h, 4, 3) << 7) | (bit(h, 2) << 5), 10);
          if (imm == 0) return 0;
          return iType(imm, 2, 0, 2, OP_IMM);
        }
        const imm = sext((bit(h, 12) << 17) | (rs2Full << 12), 18); // C.LUI
        if (imm == 0) return 0;
        return (<u32>imm & 0xfffff000) | (rdFull << 7) | LUI;
      }
      case 4: {
        const f2 = bits(h, 11, 10);
        const shamt = (bit(h, 12) << 5) | rs2Full;
        if (f2 == 0) return iType(<i32>shamt, rs1P, 5, rs1P, OP_IMM); // C.SRLI
        if (f2 == 1) return iType(<i32>(shamt | 0x400), rs1P, 5, rs1P, OP_IMM); // C.SRAI
        if (f2 == 2) return iType(imm6, rs1P, 7, rs1P, OP_IMM); // C.ANDI
        const f = bits(h, 6, 5);
        if (bit(h, 12) == 0) {
          if (f == 0) return rType(0x20, rdP, rs1P, 0, rs1P, OP); // C.SUB
          if (f == 1) return rType(0, rdP, rs1P, 4, rs1P, OP); // C.XOR
          if (f == 2) return rType(0, rdP, rs1P, 6, rs1P, OP); // C.OR
          return rType(0, rdP, rs1P, 7, rs1P, OP); // C.AND
        }
        if (f == 0) return rType(0x20, rdP, rs1P, 0, rs1P, OP_32); // C.SUBW
        if (f == 1) return rType(0, rdP, rs1P, 0, rs1P, OP_32); // C.ADDW
        return 0;
      }
      case 5: { // C.J
        const imm = sext((bit(h, 12) << 11) | (bit(h, 11) << 4) | (bits(h, 10, 9) << 8) | (bit(h, 8) << 10) | (bit(h, 7) << 6)
          | (bit(h, 6) << 7) | (bits(h, 5, 3) << 1) | (bit(h, 2) << 5), 12);
        return jType(imm, 0);
      }
      case 6: case 7: { // C.BEQZ, C.BNEZ
        const imm = sext((bit(h, 12) << 8) | (bits(h, 11, 10) << 3) | (bits(h, 6, 5) << 6) | (bits(h, 4, 3) << 1) | (bit(h, 2) << 5), 9);
        return bType(imm, 0, rs1P, f3 == 6 ? 0 : 1);
      }
    }
    return 0;
  }
  if (op == 2) {
    switch (f3) {
      case 0: return iType(<i32>((bit(h, 12) << 5) | rs2Full), rdFull, 1, rdFull, OP_IMM); // C.SLLI
      case 1: return iType(<i32>((bit(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6)), 2, 3, rdFull, LOAD_FP); // C.FLDSP
      case 2: if (rdFull == 0) return 0; return iType(<i32>((bit(h, 12) << 5) | (bits(h, 6, 4) << 2) | (bits(h, 3, 2) << 6)), 2, 2, rdFull, LOAD); // C.LWSP
      case 3: if (rdFull == 0) return 0; return iType(<i32>((bit(h, 12) << 5) | (bits(h, 6, 5) << 3) | (bits(h, 4, 2) << 6)), 2, 3, rdFull, LOAD); // C.LDSP
      case 4: {
        if (bit(h, 12) == 0) {
          if (rs2Full == 0) { if (rdFull == 0) return 0; return iType(0, rdFull, 0, 0, JALR); } // C.JR
          return rType(0, rs2Full, 0, 0, rdFull, OP); // C.MV
        }
        if (rs2Full == 0) {
          if (rdFull == 0) return 0x00100073; // C.EBREAK
          return iType(0, rdFull, 0, 1, JALR); // C.JALR
        }
        return rType(0, rs2Full, rdFull, 0, rdFull, OP); // C.ADD
      }
      case 5: return sType(<i32>((bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6)), rs2Full, 2, 3, STORE_FP); // C.FSDSP
      case 6: return sType(<i32>((bits(h, 12, 9) << 2) | (bits(h, 8, 7) << 6)), rs2Full, 2, 2, STORE); // C.SWSP
      case 7: return sType(<i32>((bits(h, 12, 10) << 3) | (bits(h, 9, 7) << 6)), rs2Full, 2, 3, STORE); // C.SDSP
    }
  }
  return 0;
}

export function rvcInit(): void {
  for (let h: u32 = 0; h < 65536; h++) {
    store<u32>(rvcTable + (<usize>h << 2), (h & 3) == 3 ? 0 : expandCompressed(h));
  }
}
