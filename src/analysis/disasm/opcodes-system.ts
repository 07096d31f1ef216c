// The last rows of objdump's opcode table that RV64GC reaches: the "c."
// names, which print only for the compressed encodings no alias above
// claims (the HINTs: c.nop with an immediate, c.mv/c.add/c.li/c.lui/c.slli
// with rd = 0, c.slli64...), then Zicsr and the privileged instructions.
import { ENC, MASK_RD as RD, MASK_RS1 as RS1, MASK_RS2 as RS2 } from './encodings.ts';
import { cAddWithHint, cLuiWithHint, cSlli64, cSlli, op, type Opcode } from './opcode.ts';

export const COMPRESSED_HINT_OPCODES: readonly Opcode[] = [
  op('c.nop', 'Cj', ENC.c_addi, undefined, RD),
  op('c.mv', 'd,CV', ENC.c_mv, cAddWithHint),
  op('c.lui', 'd,Cu', ENC.c_lui, cLuiWithHint),
  op('c.li', 'd,Co', ENC.c_li),
  op('c.add', 'd,CV', ENC.c_add, cAddWithHint),
  op('c.slli', 'd,C>', ENC.c_slli, cSlli),
  op('c.slli64', 'd', ENC.c_slli64, cSlli64),
  op('c.srli64', 'Cs', ENC.c_srli64, cSlli64),
  op('c.srai64', 'Cs', ENC.c_srai64, cSlli64),
];

export const SYSTEM_OPCODES: readonly Opcode[] = [
  op('csrr', 'd,E', ENC.csrrs, undefined, RS1),
  op('csrw', 'E,s', ENC.csrrw, undefined, RD),
  op('csrw', 'E,Z', ENC.csrrwi, undefined, RD),
  op('csrs', 'E,s', ENC.csrrs, undefined, RD),
  op('csrs', 'E,Z', ENC.csrrsi, undefined, RD),
  op('csrc', 'E,s', ENC.csrrc, undefined, RD),
  op('csrc', 'E,Z', ENC.csrrci, undefined, RD),
  op('csrrw', 'd,E,s', ENC.csrrw),
  op('csrrw', 'd,E,Z', ENC.csrrwi),
  op('csrrs', 'd,E,s', ENC.csrrs),
  op('csrrs', 'd,E,Z', ENC.csrrsi),
  op('csrrc', 'd,E,s', ENC.csrrc),
  op('csrrc', 'd,E,Z', ENC.csrrci),
  op('uret', '', ENC.uret),
  op('sret', '', ENC.sret),
  op('hret', '', ENC.hret),
  op('mret', '', ENC.mret),
  op('dret', '', ENC.dret),
  op('sfence.vm', '', ENC.sfence_vm, undefined, RS1),
  op('sfence.vm', 's', ENC.sfence_vm),
  op('sfence.vma', '', ENC.sfence_vma, undefined, RS1 | RS2),
  op('sfence.vma', 's', ENC.sfence_vma, undefined, RS2),
  op('sfence.vma', 's,t', ENC.sfence_vma),
  op('wfi', '', ENC.wfi),
];
