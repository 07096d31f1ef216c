// F and D rows of objdump's opcode table, in its order. An operation with a
// rounding mode is two rows: with rm = dyn it prints without one, any other
// rm prints it last ("fadd.d fa0,fa1,fa2,rtz"). Conversions that cannot
// round (fcvt.d.w, fcvt.d.wu, fcvt.d.s) decode only with rm = 0, as binutils
// 2.40 has them.
import { ENC, MASK_RD, MASK_RM, type Encoding } from './encodings.ts';
import { op, rs1EqRs2, type Opcode } from './opcode.ts';

/** The fcsr/frm/fflags aliases of csrrs/csrrw/csrrwi. */
const fcsrAlias = (name: string, args: string, csr: number, enc: Encoding, mask = 0) =>
  op(name, args, enc, undefined, 0xfff00000 | mask | (args.includes('d') ? 0 : MASK_RD), csr << 20);

const rounding = (name: string, args: string, enc: Encoding): Opcode[] => [
  op(name, args, enc, undefined, MASK_RM, MASK_RM),
  op(name, `${args},m`, enc),
];

function arithmetic(p: 's' | 'd'): Opcode[] {
  const e = ENC;
  return [
    op(`fmv.${p}`, 'D,U', e[`fsgnj_${p}`], rs1EqRs2),
    op(`fneg.${p}`, 'D,U', e[`fsgnjn_${p}`], rs1EqRs2),
    op(`fabs.${p}`, 'D,U', e[`fsgnjx_${p}`], rs1EqRs2),
    op(`fsgnj.${p}`, 'D,S,T', e[`fsgnj_${p}`]),
    op(`fsgnjn.${p}`, 'D,S,T', e[`fsgnjn_${p}`]),
    op(`fsgnjx.${p}`, 'D,S,T', e[`fsgnjx_${p}`]),
    ...rounding(`fadd.${p}`, 'D,S,T', e[`fadd_${p}`]),
    ...rounding(`fsub.${p}`, 'D,S,T', e[`fsub_${p}`]),
    ...rounding(`fmul.${p}`, 'D,S,T', e[`fmul_${p}`]),
    ...rounding(`fdiv.${p}`, 'D,S,T', e[`fdiv_${p}`]),
    ...rounding(`fsqrt.${p}`, 'D,S', e[`fsqrt_${p}`]),
    op(`fmin.${p}`, 'D,S,T', e[`fmin_${p}`]),
    op(`fmax.${p}`, 'D,S,T', e[`fmax_${p}`]),
    ...rounding(`fmadd.${p}`, 'D,S,T,R', e[`fmadd_${p}`]),
    ...rounding(`fnmadd.${p}`, 'D,S,T,R', e[`fnmadd_${p}`]),
    ...rounding(`fmsub.${p}`, 'D,S,T,R', e[`fmsub_${p}`]),
    ...rounding(`fnmsub.${p}`, 'D,S,T,R', e[`fnmsub_${p}`]),
    ...rounding(`fcvt.w.${p}`, 'd,S', e[`fcvt_w_${p}`]),
    ...rounding(`fcvt.wu.${p}`, 'd,S', e[`fcvt_wu_${p}`]),
  ];
}

const compare = (p: 's' | 'd'): Opcode[] => [
  op(`fclass.${p}`, 'd,S', ENC[`fclass_${p}`]),
  op(`feq.${p}`, 'd,S,T', ENC[`feq_${p}`]),
  op(`flt.${p}`, 'd,S,T', ENC[`flt_${p}`]),
  op(`fle.${p}`, 'd,S,T', ENC[`fle_${p}`]),
];

const toLong = (p: 's' | 'd'): Opcode[] => [
  ...rounding(`fcvt.l.${p}`, 'd,S', ENC[`fcvt_l_${p}`]),
  ...rounding(`fcvt.lu.${p}`, 'd,S', ENC[`fcvt_lu_${p}`]),
  ...rounding(`fcvt.${p}.l`, 'D,s', ENC[`fcvt_from_l_${p}`]),
  ...rounding(`fcvt.${p}.lu`, 'D,s', ENC[`fcvt_from_lu_${p}`]),
];

export const FLOAT_OPCODES: readonly Opcode[] = [
  fcsrAlias('frcsr', 'd', 0x003, ENC.csrrs, 0x1f << 15),
  fcsrAlias('fscsr', 's', 0x003, ENC.csrrw),
  fcsrAlias('fscsr', 'd,s', 0x003, ENC.csrrw),
  fcsrAlias('frrm', 'd', 0x002, ENC.csrrs, 0x1f << 15),
  fcsrAlias('fsrm', 's', 0x002, ENC.csrrw),
  fcsrAlias('fsrm', 'd,s', 0x002, ENC.csrrw),
  fcsrAlias('fsrmi', 'd,Z', 0x002, ENC.csrrwi),
  fcsrAlias('frflags', 'd', 0x001, ENC.csrrs, 0x1f << 15),
  fcsrAlias('fsflags', 's', 0x001, ENC.csrrw),
  fcsrAlias('fsflags', 'd,s', 0x001, ENC.csrrw),
  fcsrAlias('fsflagsi', 'd,Z', 0x001, ENC.csrrwi),
  op('flw', 'D,o(s)', ENC.flw),
  op('fsw', 'T,q(s)', ENC.fsw),
  op('fmv.x.w', 'd,S', ENC.fmv_x_w),
  op('fmv.w.x', 'D,s', ENC.fmv_w_x),
  ...arithmetic('s'),
  ...rounding('fcvt.s.w', 'D,s', ENC.fcvt_from_w_s),
  ...rounding('fcvt.s.wu', 'D,s', ENC.fcvt_from_wu_s),
  ...compare('s'),
  ...toLong('s'),
];

export const DOUBLE_OPCODES: readonly Opcode[] = [
  op('fld', 'D,Cn(Cc)', ENC.c_fldsp),
  op('fld', 'CD,Cl(Cs)', ENC.c_fld),
  op('fld', 'D,o(s)', ENC.fld),
  op('fsd', 'CT,CN(Cc)', ENC.c_fsdsp),
  op('fsd', 'CD,Cl(Cs)', ENC.c_fsd),
  op('fsd', 'T,q(s)', ENC.fsd),
  ...arithmetic('d'),
  op('fcvt.d.w', 'D,s', ENC.fcvt_from_w_d, undefined, MASK_RM),
  op('fcvt.d.wu', 'D,s', ENC.fcvt_from_wu_d, undefined, MASK_RM),
  op('fcvt.d.s', 'D,S', ENC.fcvt_d_s, undefined, MASK_RM),
  ...rounding('fcvt.s.d', 'D,S', ENC.fcvt_s_d),
  ...compare('d'),
  op('fmv.x.d', 'd,S', ENC.fmv_x_d),
  op('fmv.d.x', 'D,s', ENC.fmv_d_x),
  ...toLong('d'),
];
