// RISC-V names the host shows to people: integer registers by ABI name
// (Unprivileged spec chapter 25, RISC-V calling convention) and CSRs by
// number (Privileged spec 2.2, tables 2.2-2.5). Which CSRs exist on this hart
// is the machine's answer (Machine.csr), not this table's.

export const ABI_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

/** Floating-point registers by ABI name (f0-f31). */
export const FPR_ABI_NAMES = [
  'ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5',
  'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11',
] as const;

/** Privilege levels by their encoding (U = 0, S = 1, M = 3). */
export const PRIV_NAMES = ['U', 'S', '?', 'M'] as const;

/**
 * CSR numbers by name: the standard CSRs of Privileged spec 1.12 and the
 * extensions binutils 2.40 names (vector, entropy, hypervisor, AIA,
 * Smstateen, Sstc, debug); numbered families are in CSR_FAMILIES.
 */
export const CSR_NUMBERS: Record<string, number> = {
  fflags: 0x001, frm: 0x002, fcsr: 0x003, vstart: 0x008, vxsat: 0x009, vxrm: 0x00a, vcsr: 0x00f, seed: 0x015,
  cycle: 0xc00, time: 0xc01, instret: 0xc02, vl: 0xc20, vtype: 0xc21, vlenb: 0xc22, cycleh: 0xc80, timeh: 0xc81, instreth: 0xc82,
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a, sieh: 0x114,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, stimecmp: 0x14d, siselect: 0x150, sireg: 0x151,
  siph: 0x154, stopei: 0x15c, stimecmph: 0x15d, satp: 0x180, scontext: 0x5a8, scountovf: 0xda0, stopi: 0xdb0,
  vsstatus: 0x200, vsie: 0x204, vstvec: 0x205, vsieh: 0x214, vsscratch: 0x240, vsepc: 0x241, vscause: 0x242, vstval: 0x243,
  vsip: 0x244, vstimecmp: 0x24d, vsiselect: 0x250, vsireg: 0x251, vsiph: 0x254, vstopei: 0x25c, vstimecmph: 0x25d, vsatp: 0x280,
  hstatus: 0x600, hedeleg: 0x602, hideleg: 0x603, hie: 0x604, htimedelta: 0x605, hcounteren: 0x606, hgeie: 0x607, hvien: 0x608,
  hvictl: 0x609, henvcfg: 0x60a, hidelegh: 0x613, htimedeltah: 0x615, hvienh: 0x618, henvcfgh: 0x61a, htval: 0x643, hip: 0x644,
  hvip: 0x645, hviprio1: 0x646, hviprio2: 0x647, htinst: 0x64a, hviph: 0x655, hviprio1h: 0x656, hviprio2h: 0x657, hgatp: 0x680,
  hcontext: 0x6a8, hgeip: 0xe12, vstopi: 0xeb0,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305, mcounteren: 0x306, mvien: 0x308,
  mvip: 0x309, menvcfg: 0x30a, mstatush: 0x310, midelegh: 0x313, mieh: 0x314, mvienh: 0x318, mviph: 0x319, menvcfgh: 0x31a,
  mcountinhibit: 0x320, mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344, mtinst: 0x34a, mtval2: 0x34b,
  miselect: 0x350, mireg: 0x351, miph: 0x354, mtopei: 0x35c, mseccfg: 0x747, mseccfgh: 0x757,
  tselect: 0x7a0, tdata1: 0x7a1, tdata2: 0x7a2, tdata3: 0x7a3, tinfo: 0x7a4, tcontrol: 0x7a5, mcontext: 0x7a8, mscontext: 0x7aa,
  dcsr: 0x7b0, dpc: 0x7b1, dscratch0: 0x7b2, dscratch1: 0x7b3,
  mcycle: 0xb00, minstret: 0xb02, mcycleh: 0xb80, minstreth: 0xb82,
  mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14, mconfigptr: 0xf15, mtopi: 0xfb0,
};

/** Numbered CSRs: `${prefix}${i}${suffix}` is CSR `first + i - from` for i in [from, to]. */
export const CSR_FAMILIES: readonly (readonly [prefix: string, first: number, from: number, to: number, suffix: string])[] = [
  ['hpmcounter', 0xc03, 3, 31, ''], ['hpmcounter', 0xc83, 3, 31, 'h'],
  ['mhpmcounter', 0xb03, 3, 31, ''], ['mhpmcounter', 0xb83, 3, 31, 'h'],
  ['mhpmevent', 0x323, 3, 31, ''], ['mhpmevent', 0x723, 3, 31, 'h'],
  ['pmpcfg', 0x3a0, 0, 15, ''], ['pmpaddr', 0x3b0, 0, 63, ''],
  ['sstateen', 0x10c, 0, 3, ''], ['mstateen', 0x30c, 0, 3, ''], ['mstateen', 0x31c, 0, 3, 'h'],
  ['hstateen', 0x60c, 0, 3, ''], ['hstateen', 0x61c, 0, 3, 'h'],
];

const CSR_NAMES: Record<number, string> = Object.fromEntries([
  ...Object.entries(CSR_NUMBERS).map(([name, num]) => [num, name]),
  ...CSR_FAMILIES.flatMap(([prefix, first, from, to, suffix]) =>
    Array.from({ length: to - from + 1 }, (_, i) => [first + i, `${prefix}${from + i}${suffix}`])),
]);

/** A CSR's name, or undefined when this table has none. */
export function knownCsrName(num: number): string | undefined {
  return CSR_NAMES[num];
}

/** A CSR's name, or its number in hex when it has none here. */
export function csrName(num: number): string {
  return CSR_NAMES[num] ?? `csr 0x${num.toString(16).padStart(3, '0')}`;
}

/** The CSRs an inspector shows by default. */
export const DEFAULT_CSRS = ['mstatus', 'mepc', 'mcause', 'mtval', 'mip', 'mie', 'sstatus', 'sepc', 'scause', 'stval', 'stvec', 'satp', 'stimecmp', 'time'];

/** "x10 (a0)". */
export function registerName(i: number): string {
  return `x${i} (${ABI_NAMES[i]})`;
}
