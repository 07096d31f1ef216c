// RISC-V names the host shows to people: integer registers by ABI name
// (Unprivileged spec chapter 25, RISC-V calling convention) and CSRs by
// number (Privileged spec 2.2, tables 2.2-2.5). Which CSRs exist on this hart
// is the machine's answer (Machine.csr), not this table's.

export const ABI_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

/** Privilege levels by their encoding (U = 0, S = 1, M = 3). */
export const PRIV_NAMES = ['U', 'S', '?', 'M'] as const;

/** CSR numbers by name. */
export const CSR_NUMBERS: Record<string, number> = {
  fflags: 0x001, frm: 0x002, fcsr: 0x003,
  cycle: 0xc00, time: 0xc01, instret: 0xc02,
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, stimecmp: 0x14d, satp: 0x180,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305, mcounteren: 0x306, menvcfg: 0x30a,
  mcountinhibit: 0x320, mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  mcycle: 0xb00, minstret: 0xb02, mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14,
};

const CSR_NAMES: Record<number, string> = Object.fromEntries(Object.entries(CSR_NUMBERS).map(([name, num]) => [num, name]));

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
