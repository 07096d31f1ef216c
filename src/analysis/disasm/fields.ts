// Instruction fields and immediates of RV64GC (Unprivileged spec chapters 2
// and 16, "Base instruction formats" and "Compressed instruction formats"),
// written as binutils' include/opcode/riscv.h extracts them (EXTRACT_*), so
// the printer can follow objdump operand by operand. Every function takes
// the instruction as an unsigned 32-bit number and returns a JS number;
// signed immediates are sign-extended.

/** `len` bits of `word` from bit `lo` (RV_X). */
export const bits = (word: number, lo: number, len: number): number => (word >>> lo) & ((1 << len) - 1);
/** Bit 31 as 0 / -1, the sign of every 32-bit immediate (RV_IMM_SIGN). */
const sign32 = (word: number): number => -(word >>> 31);
/** Bit 12 as 0 / -1, the sign of most compressed immediates. */
const sign16 = (word: number): number => -bits(word, 12, 1);

// Register and small fields (OP_SH_* / OP_MASK_*).
export const rd = (w: number) => bits(w, 7, 5);
export const rs1 = (w: number) => bits(w, 15, 5);
export const rs2 = (w: number) => bits(w, 20, 5);
export const rs3 = (w: number) => bits(w, 27, 5);
export const rm = (w: number) => bits(w, 12, 3);
export const pred = (w: number) => bits(w, 24, 4);
export const succ = (w: number) => bits(w, 20, 4);
export const csr = (w: number) => bits(w, 20, 12);
export const shamt = (w: number) => bits(w, 20, 6);
export const shamtw = (w: number) => bits(w, 20, 5);
/** x8-x15 registers of CIW/CL/CS/CA/CB formats (rs1'/rd' and rs2'/rd'). */
export const crs1s = (w: number) => bits(w, 7, 3) + 8;
export const crs2s = (w: number) => bits(w, 2, 3) + 8;
export const crs2 = (w: number) => bits(w, 2, 5);

// 32-bit immediates.
export const iImm = (w: number) => w >> 20;
export const sImm = (w: number) => bits(w, 7, 5) | ((w >> 25) << 5);
export const bImm = (w: number) => (bits(w, 8, 4) << 1) | (bits(w, 25, 6) << 5) | (bits(w, 7, 1) << 11) | (sign32(w) << 12);
export const jImm = (w: number) => (bits(w, 21, 10) << 1) | (bits(w, 20, 1) << 11) | (bits(w, 12, 8) << 12) | (sign32(w) << 20);
/** The U-type immediate as the signed 32-bit value it adds (imm[31:12] << 12). */
export const uImm = (w: number) => w & ~0xfff;

// 16-bit immediates.
export const ciImm = (w: number) => bits(w, 2, 5) | (sign16(w) << 5);
export const ciLuiImm = (w: number) => ciImm(w) << 12;
export const ciAddi16spImm = (w: number) =>
  (bits(w, 6, 1) << 4) | (bits(w, 2, 1) << 5) | (bits(w, 5, 1) << 6) | (bits(w, 3, 2) << 7) | (sign16(w) << 9);
export const ciLwspImm = (w: number) => (bits(w, 4, 3) << 2) | (bits(w, 12, 1) << 5) | (bits(w, 2, 2) << 6);
export const ciLdspImm = (w: number) => (bits(w, 5, 2) << 3) | (bits(w, 12, 1) << 5) | (bits(w, 2, 3) << 6);
export const cssSwspImm = (w: number) => (bits(w, 9, 4) << 2) | (bits(w, 7, 2) << 6);
export const cssSdspImm = (w: number) => (bits(w, 10, 3) << 3) | (bits(w, 7, 3) << 6);
export const ciwAddi4spnImm = (w: number) => (bits(w, 6, 1) << 2) | (bits(w, 5, 1) << 3) | (bits(w, 11, 2) << 4) | (bits(w, 7, 4) << 6);
export const clLwImm = (w: number) => (bits(w, 6, 1) << 2) | (bits(w, 10, 3) << 3) | (bits(w, 5, 1) << 6);
export const clLdImm = (w: number) => (bits(w, 10, 3) << 3) | (bits(w, 5, 2) << 6);
export const cbImm = (w: number) =>
  (bits(w, 3, 2) << 1) | (bits(w, 10, 2) << 3) | (bits(w, 2, 1) << 5) | (bits(w, 5, 2) << 6) | (sign16(w) << 8);
export const cjImm = (w: number) =>
  (bits(w, 3, 3) << 1) | (bits(w, 11, 1) << 4) | (bits(w, 2, 1) << 5) | (bits(w, 7, 1) << 6) |
  (bits(w, 6, 1) << 7) | (bits(w, 9, 2) << 8) | (bits(w, 8, 1) << 10) | (sign16(w) << 11);

/**
 * Length in bytes of the instruction whose first 16 bits are `low16`
 * (Unprivileged spec 1.5, "Base instruction-length encoding"), as binutils'
 * riscv_insn_length reads it: 2, 4, 6, 8, 10..22, and 2 for the reserved
 * >= 192-bit encodings.
 */
export function instructionLength(low16: number): number {
  if ((low16 & 0x3) !== 0x3) return 2;
  if ((low16 & 0x1f) !== 0x1f) return 4;
  if ((low16 & 0x3f) === 0x1f) return 6;
  if ((low16 & 0x7f) === 0x3f) return 8;
  if ((low16 & 0x7000) !== 0x7000) return 10 + ((low16 >> 11) & 0xe);
  return 2;
}
