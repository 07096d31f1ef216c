// One row of the opcode table and the match predicates of binutils'
// opcodes/riscv-opc.c (match_rd_nonzero, match_c_add, ...). objdump prints
// a word as the FIRST row, in table order, whose (word ^ match) & mask is 0
// and whose predicate holds; so the order of the rows is part of the output.
import { MASK_CRS2, MASK_RD, type Encoding } from './encodings.ts';
import { ciwAddi4spnImm, ciImm, ciLuiImm, rd, rs1, rs2 } from './fields.ts';

export interface Opcode {
  /** The mnemonic objdump prints. */
  readonly name: string;
  /** objdump's operand string (riscv-opc.c "args"), printed by operands.ts. */
  readonly args: string;
  readonly match: number;
  readonly mask: number;
  /** An extra condition beyond match/mask (the riscv-opc.c match function). */
  readonly test?: (word: number) => boolean;
}

/** A row: `enc` with `extraMask` bits fixed to `extraMatch`. */
export function op(name: string, args: string, enc: Encoding, test?: (word: number) => boolean, extraMask = 0, extraMatch = 0): Opcode {
  return { name, args, match: (enc[0] | extraMatch) >>> 0, mask: (enc[1] | extraMask) >>> 0, test };
}

export const rdNonzero = (w: number) => rd(w) !== 0;
/** c.mv / c.add proper: rd and rs2 both non-zero. */
export const cAdd = (w: number) => rd(w) !== 0 && (w & MASK_CRS2) !== 0;
/** c.mv / c.add including the rd = 0 hints. */
export const cAddWithHint = (w: number) => (w & MASK_CRS2) !== 0;
export const cNop = (w: number) => (w & MASK_RD) === 0;
export const cAddi16sp = (w: number) => rd(w) === 2;
export const cLui = (w: number) => rd(w) !== 0 && rd(w) !== 2 && ciLuiImm(w) !== 0;
export const cLuiWithHint = (w: number) => rd(w) !== 2 && ciLuiImm(w) !== 0;
export const cAddi4spn = (w: number) => ciwAddi4spnImm(w) !== 0;
/** A non-zero shift; rd = 0 is a hint and allowed. */
export const cSlli = (w: number) => ciImm(w) !== 0;
export const slliAsCSlli = (w: number) => rd(w) !== 0 && ciImm(w) !== 0;
export const cSlli64 = (w: number) => ciImm(w) === 0;
export const rs1EqRs2 = (w: number) => rs1(w) === rs2(w);
