// The encodings of RV64GC + Zicsr + Zifencei + the privileged instructions,
// one entry per instruction: [match, mask] as binutils' riscv-opc.h defines
// MATCH_<NAME> / MASK_<NAME> (Unprivileged spec chapter 37 "RV32/64G
// Instruction Set Listings", chapter 16.8 "RVC Instruction Set Listings";
// Privileged spec 3.3 and 4.2). Built from the format's fixed fields so each
// fact is written once; the opcode list (opcodes-*.ts) adds the extra mask
// bits of its pseudo-instructions.

export type Encoding = readonly [match: number, mask: number];

// Masks of whole fields (riscv-opc.c MASK_RD etc.).
export const MASK_RD = 0x1f << 7;
export const MASK_RS1 = 0x1f << 15;
export const MASK_RS2 = 0x1f << 20;
export const MASK_IMM = 0xfff << 20;
export const MASK_RM = 0x7 << 12;
export const MASK_PRED = 0xf << 24;
export const MASK_SUCC = 0xf << 20;
export const MASK_AQ = 1 << 26;
export const MASK_RL = 1 << 25;
export const MASK_CRS2 = 0x1f << 2;
/** The CI-format immediate: bit 12 and bits 6:2. */
export const MASK_RVC_IMM = (1 << 12) | (0x1f << 2);

const u = (n: number) => n >>> 0;
const opF3 = (op: number, f3: number) => op | (f3 << 12);

/** R-type: opcode, funct3, funct7. */
const R = (op: number, f3: number, f7: number): Encoding => [u(opF3(op, f3) | (f7 << 25)), u(0xfe00707f)];
/** I/S/B-type: opcode, funct3. */
const I = (op: number, f3: number): Encoding => [opF3(op, f3), 0x707f];
/** RV64 shift by immediate: funct6 above a 6-bit shamt. */
const SH6 = (op: number, f3: number, f6: number): Encoding => [u(opF3(op, f3) | (f6 << 26)), u(0xfc00707f)];
/** U/J-type: opcode only. */
const U = (op: number): Encoding => [op, 0x7f];
/** A-extension: width funct3 (2: .w, 3: .d) and funct5 in bits 31:27, aq/rl left free; LR (funct5 2) has rs2 = 0. */
export const AMO = (f3: number, f5: number): Encoding => [u(opF3(0x2f, f3) | (f5 << 27)), u(f5 === 0x02 ? 0xf9f0707f : 0xf800707f)];
/** OP-FP with the rounding mode free: funct7 (funct5 and fmt). */
const FRM = (f7: number): Encoding => [u(0x53 | (f7 << 25)), u(0xfe00007f)];
/** OP-FP with funct3 fixed. */
const FF3 = (f7: number, f3: number): Encoding => R(0x53, f3, f7);
/** OP-FP with rs2 fixed and the rounding mode free. */
const FRS2 = (f7: number, rs2: number): Encoding => [u(0x53 | (rs2 << 20) | (f7 << 25)), u(0xfff0007f)];
/** OP-FP with rs2 and funct3 fixed. */
const FRS2F3 = (f7: number, rs2: number, f3: number): Encoding => [u(0x53 | (f3 << 12) | (rs2 << 20) | (f7 << 25)), u(0xfff0707f)];
/** R4-type fused multiply-add: opcode and fmt. */
const R4 = (op: number, fmt: number): Encoding => [u(op | (fmt << 25)), u(0x0600007f)];
/** A whole 32-bit word. */
const W = (word: number): Encoding => [u(word), u(0xffffffff)];
/** Compressed: quadrant (bits 1:0), funct3 (bits 15:13) and more fixed bits under `mask`. */
const C = (quadrant: number, f3: number, extra = 0, extraMask = 0): Encoding => [quadrant | (f3 << 13) | extra, 0xe003 | extraMask];

export const ENC = {
  // RV32I / RV64I (chapter 2 and 4).
  lui: U(0x37), auipc: U(0x17), jal: U(0x6f), jalr: I(0x67, 0),
  beq: I(0x63, 0), bne: I(0x63, 1), blt: I(0x63, 4), bge: I(0x63, 5), bltu: I(0x63, 6), bgeu: I(0x63, 7),
  lb: I(0x03, 0), lh: I(0x03, 1), lw: I(0x03, 2), ld: I(0x03, 3), lbu: I(0x03, 4), lhu: I(0x03, 5), lwu: I(0x03, 6),
  sb: I(0x23, 0), sh: I(0x23, 1), sw: I(0x23, 2), sd: I(0x23, 3),
  addi: I(0x13, 0), slti: I(0x13, 2), sltiu: I(0x13, 3), xori: I(0x13, 4), ori: I(0x13, 6), andi: I(0x13, 7),
  slli: SH6(0x13, 1, 0x00), srli: SH6(0x13, 5, 0x00), srai: SH6(0x13, 5, 0x10),
  add: R(0x33, 0, 0x00), sub: R(0x33, 0, 0x20), sll: R(0x33, 1, 0), slt: R(0x33, 2, 0), sltu: R(0x33, 3, 0),
  xor: R(0x33, 4, 0), srl: R(0x33, 5, 0x00), sra: R(0x33, 5, 0x20), or: R(0x33, 6, 0), and: R(0x33, 7, 0),
  addiw: I(0x1b, 0), slliw: R(0x1b, 1, 0x00), srliw: R(0x1b, 5, 0x00), sraiw: R(0x1b, 5, 0x20),
  addw: R(0x3b, 0, 0x00), subw: R(0x3b, 0, 0x20), sllw: R(0x3b, 1, 0), srlw: R(0x3b, 5, 0x00), sraw: R(0x3b, 5, 0x20),
  fence: I(0x0f, 0), fence_i: I(0x0f, 1), fence_tso: [u(0x8330000f), u(0xfff0707f)] as Encoding,
  ecall: W(0x00000073), ebreak: W(0x00100073),
  // M (chapter 7).
  mul: R(0x33, 0, 1), mulh: R(0x33, 1, 1), mulhsu: R(0x33, 2, 1), mulhu: R(0x33, 3, 1),
  div: R(0x33, 4, 1), divu: R(0x33, 5, 1), rem: R(0x33, 6, 1), remu: R(0x33, 7, 1),
  mulw: R(0x3b, 0, 1), divw: R(0x3b, 4, 1), divuw: R(0x3b, 5, 1), remw: R(0x3b, 6, 1), remuw: R(0x3b, 7, 1),
  // Zicsr (chapter 9).
  csrrw: I(0x73, 1), csrrs: I(0x73, 2), csrrc: I(0x73, 3), csrrwi: I(0x73, 5), csrrsi: I(0x73, 6), csrrci: I(0x73, 7),
  // Privileged: trap return, wfi, fences; uret/hret/dret/sfence.vm from old specs, as binutils still decodes them.
  uret: W(0x00200073), sret: W(0x10200073), hret: W(0x20200073), mret: W(0x30200073), dret: W(0x7b200073),
  wfi: W(0x10500073), sfence_vm: [u(0x10400073), u(0xfff07fff)] as Encoding, sfence_vma: [u(0x12000073), u(0xfe007fff)] as Encoding,
  // F and D loads, stores and OP-FP (chapters 11 and 12); .d is .s with fmt = 01.
  flw: I(0x07, 2), fld: I(0x07, 3), fsw: I(0x27, 2), fsd: I(0x27, 3),
  ...fpOps('s', 0), ...fpOps('d', 1),
  fcvt_s_d: FRS2(0x20, 1), fcvt_d_s: FRS2(0x21, 0),
  fmv_x_w: FRS2F3(0x70, 0, 0), fmv_w_x: FRS2F3(0x78, 0, 0), fmv_x_d: FRS2F3(0x71, 0, 0), fmv_d_x: FRS2F3(0x79, 0, 0),
  // C (chapter 16).
  c_addi4spn: C(0, 0), c_fld: C(0, 1), c_lw: C(0, 2), c_ld: C(0, 3), c_fsd: C(0, 5), c_sw: C(0, 6), c_sd: C(0, 7),
  c_nop: [0x0001, 0xffff] as Encoding, c_addi: C(1, 0), c_addiw: C(1, 1), c_li: C(1, 2), c_lui: C(1, 3),
  c_addi16sp: C(1, 3, 2 << 7, MASK_RD),
  c_srli: C(1, 4, 0 << 10, 3 << 10), c_srai: C(1, 4, 1 << 10, 3 << 10), c_andi: C(1, 4, 2 << 10, 3 << 10),
  c_srli64: C(1, 4, 0 << 10, (3 << 10) | MASK_RVC_IMM), c_srai64: C(1, 4, 1 << 10, (3 << 10) | MASK_RVC_IMM),
  c_sub: C(1, 4, 0x0c00, 0x1c60), c_xor: C(1, 4, 0x0c20, 0x1c60), c_or: C(1, 4, 0x0c40, 0x1c60), c_and: C(1, 4, 0x0c60, 0x1c60),
  c_subw: C(1, 4, 0x1c00, 0x1c60), c_addw: C(1, 4, 0x1c20, 0x1c60),
  c_j: C(1, 5), c_beqz: C(1, 6), c_bnez: C(1, 7),
  c_slli: C(2, 0), c_slli64: C(2, 0, 0, MASK_RVC_IMM), c_fldsp: C(2, 1), c_lwsp: C(2, 2), c_ldsp: C(2, 3),
  c_jr: C(2, 4, 0, (1 << 12) | MASK_CRS2), c_mv: C(2, 4, 0, 1 << 12), c_ebreak: [0x9002, 0xffff] as Encoding,
  c_jalr: C(2, 4, 1 << 12, (1 << 12) | MASK_CRS2), c_add: C(2, 4, 1 << 12, 1 << 12),
  c_fsdsp: C(2, 5), c_swsp: C(2, 6), c_sdsp: C(2, 7),
} satisfies Record<string, Encoding>;

/** The OP-FP and R4 encodings of one precision (`s`: fmt 0, `d`: fmt 1). */
function fpOps<P extends 's' | 'd'>(p: P, fmt: number) {
  const f7 = (f5: number) => (f5 << 2) | fmt;
  const ops = {
    fadd: FRM(f7(0x00)), fsub: FRM(f7(0x01)), fmul: FRM(f7(0x02)), fdiv: FRM(f7(0x03)), fsqrt: FRS2(f7(0x0b), 0),
    fsgnj: FF3(f7(0x04), 0), fsgnjn: FF3(f7(0x04), 1), fsgnjx: FF3(f7(0x04), 2), fmin: FF3(f7(0x05), 0), fmax: FF3(f7(0x05), 1),
    fcvt_w: FRS2(f7(0x18), 0), fcvt_wu: FRS2(f7(0x18), 1), fcvt_l: FRS2(f7(0x18), 2), fcvt_lu: FRS2(f7(0x18), 3),
    fcvt_from_w: FRS2(f7(0x1a), 0), fcvt_from_wu: FRS2(f7(0x1a), 1), fcvt_from_l: FRS2(f7(0x1a), 2), fcvt_from_lu: FRS2(f7(0x1a), 3),
    feq: FF3(f7(0x14), 2), flt: FF3(f7(0x14), 1), fle: FF3(f7(0x14), 0), fclass: FRS2F3(f7(0x1c), 0, 1),
    fmadd: R4(0x43, fmt), fmsub: R4(0x47, fmt), fnmsub: R4(0x4b, fmt), fnmadd: R4(0x4f, fmt),
  };
  return Object.fromEntries(Object.entries(ops).map(([name, enc]) => [`${name}_${p}`, enc])) as {
    [K in keyof typeof ops as `${K}_${P}`]: Encoding;
  };
}

/** `enc` with `bits` set in its match (and so in its mask): a field fixed to a value. */
export const fixed = (enc: Encoding, bitsValue: number, fieldMask: number): Encoding => [u(enc[0] | bitsValue), u(enc[1] | fieldMask)];
