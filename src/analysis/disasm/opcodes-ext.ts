// A and M rows of objdump's opcode table, in its order: every AMO and LR/SC
// of .w then .d, first with aq = rl = 0, then .aq, .rl, .aqrl; then the
// multiplies and divides.
import { AMO, ENC, MASK_AQ, MASK_RL } from './encodings.ts';
import { op, type Opcode } from './opcode.ts';

const AMO_OPS = ['lr', 'sc', 'amoadd', 'amoswap', 'amoand', 'amoor', 'amoxor', 'amomax', 'amomaxu', 'amomin', 'amominu'] as const;
/** funct5 (bits 31:27) of each. */
const FUNCT5: Record<(typeof AMO_OPS)[number], number> = {
  lr: 0x02, sc: 0x03, amoadd: 0x00, amoswap: 0x01, amoand: 0x0c, amoor: 0x08, amoxor: 0x04,
  amomax: 0x14, amomaxu: 0x1c, amomin: 0x10, amominu: 0x18,
};
const ORDERINGS = [['', 0], ['.aq', MASK_AQ], ['.rl', MASK_RL], ['.aqrl', MASK_AQ | MASK_RL]] as const;

function amoRows(width: 'w' | 'd', funct3: number): Opcode[] {
  const rows: Opcode[] = [];
  for (const [suffix, ordering] of ORDERINGS) {
    for (const name of AMO_OPS) {
      const args = name === 'lr' ? 'd,0(s)' : 'd,t,0(s)';
      rows.push(op(`${name}.${width}${suffix}`, args, AMO(funct3, FUNCT5[name]), undefined, MASK_AQ | MASK_RL, ordering));
    }
  }
  return rows;
}

export const ATOMIC_OPCODES: readonly Opcode[] = [...amoRows('w', 2), ...amoRows('d', 3)];

export const MULDIV_OPCODES: readonly Opcode[] = (
  ['mul', 'mulh', 'mulhu', 'mulhsu', 'div', 'divu', 'rem', 'remu', 'mulw', 'divw', 'divuw', 'remw', 'remuw'] as const
).map((name) => op(name, 'd,s,t', ENC[name]));
