// CSR numbers by name (Privileged spec 2.2, tables 2.2-2.5), for seek's --csr.
export const CSR_NUMBERS: Record<string, number> = {
  fflags: 0x001, frm: 0x002, fcsr: 0x003,
  cycle: 0xc00, time: 0xc01, instret: 0xc02,
  sstatus: 0x100, sie: 0x104, stvec: 0x105, scounteren: 0x106, senvcfg: 0x10a,
  sscratch: 0x140, sepc: 0x141, scause: 0x142, stval: 0x143, sip: 0x144, stimecmp: 0x14d, satp: 0x180,
  mstatus: 0x300, misa: 0x301, medeleg: 0x302, mideleg: 0x303, mie: 0x304, mtvec: 0x305, mcounteren: 0x306, menvcfg: 0x30a,
  mscratch: 0x340, mepc: 0x341, mcause: 0x342, mtval: 0x343, mip: 0x344,
  mcycle: 0xb00, minstret: 0xb02, mvendorid: 0xf11, marchid: 0xf12, mimpid: 0xf13, mhartid: 0xf14,
};

/** The CSRs `seek --csr` shows by default. */
export const DEFAULT_CSRS = ['mstatus', 'mepc', 'mcause', 'mtval', 'mip', 'mie', 'sstatus', 'sepc', 'scause', 'stval', 'stvec', 'satp', 'stimecmp', 'time'];
