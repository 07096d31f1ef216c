// Architectural state of the hart, shared by the ISA, CSR, MMU, FPU and trap code.
// Integer and FP registers live in static memory (x0 is kept 0: writers skip rd == 0).

export const XREGS: usize = memory.data(32 * 8, 8);
export const FREGS: usize = memory.data(32 * 8, 8);

@inline export function getX(i: u32): u64 { return load<u64>(XREGS + (<usize>i << 3)); }
@inline export function setX(i: u32, v: u64): void { if (i != 0) store<u64>(XREGS + (<usize>i << 3), v); }
@inline export function getF(i: u32): u64 { return load<u64>(FREGS + (<usize>i << 3)); }
@inline export function setF(i: u32, v: u64): void { store<u64>(FREGS + (<usize>i << 3), v); }

export const PRIV_U: u32 = 0;
export const PRIV_S: u32 = 1;
export const PRIV_M: u32 = 3;

export let pc: u64 = 0;
export let priv: u32 = PRIV_M;
/** Position: +1 per retired instruction, jumps forward while idle in WFI (docs/design.md section 2). */
export let tick: u64 = 0;

@inline export function setPc(v: u64): void { pc = v; }
@inline export function setPriv(p: u32): void { priv = p; }
@inline export function setTick(t: u64): void { tick = t; }

// ---- CSRs (Privileged spec chapter 3 and 4). mstatus holds the sstatus view too.
export let mstatus: u64 = 0;
export let medeleg: u64 = 0;
export let mideleg: u64 = 0;
export let mie: u64 = 0;
/** Software-writable pending bits (SSIP, STIP without Sstc, SEIP written by M-mode). Lines below are ORed in. */
export let mipSw: u64 = 0;
export let mtvec: u64 = 0;
export let mscratch: u64 = 0;
export let mepc: u64 = 0;
export let mcause: u64 = 0;
export let mtval: u64 = 0;
export let mcounteren: u32 = 0;
export let mcountinhibit: u32 = 0;
export let menvcfg: u64 = 0;
export let stvec: u64 = 0;
export let sscratch: u64 = 0;
export let sepc: u64 = 0;
export let scause: u64 = 0;
export let stval: u64 = 0;
export let scounteren: u32 = 0;
export let senvcfg: u64 = 0;
export let satp: u64 = 0;
export let stimecmp: u64 = 0xffff_ffff_ffff_ffff;
export let frm: u32 = 0; // fcsr[7:5]
export let fflags: u32 = 0; // fcsr[4:0]: NV DZ OF UF NX
export let mcycleOffset: u64 = 0; // mcycle = tick - mcycleOffset (writes set the offset)
export let minstretOffset: u64 = 0;

// Setters so other modules can assign (AS module globals are read-only to importers).
@inline export function setMstatus(v: u64): void { mstatus = v; }
@inline export function setMedeleg(v: u64): void { medeleg = v; }
@inline export function setMideleg(v: u64): void { mideleg = v; }
@inline export function setMie(v: u64): void { mie = v; }
@inline export function setMipSw(v: u64): void { mipSw = v; }
@inline export function setMtvec(v: u64): void { mtvec = v; }
@inline export function setMscratch(v: u64): void { mscratch = v; }
@inline export function setMepc(v: u64): void { mepc = v; }
@inline export function setMcause(v: u64): void { mcause = v; }
@inline export function setMtval(v: u64): void { mtval = v; }
@inline export function setMcounteren(v: u32): void { mcounteren = v; }
@inline export function setMcountinhibit(v: u32): void { mcountinhibit = v; }
@inline export function setMenvcfg(v: u64): void { menvcfg = v; }
@inline export function setStvec(v: u64): void { stvec = v; }
@inline export function setSscratch(v: u64): void { sscratch = v; }
@inline export function setSepc(v: u64): void { sepc = v; }
@inline export function setScause(v: u64): void { scause = v; }
@inline export function setStval(v: u64): void { stval = v; }
@inline export function setScounteren(v: u32): void { scounteren = v; }
@inline export function setSenvcfg(v: u64): void { senvcfg = v; }
@inline export function setSatp(v: u64): void { satp = v; }
@inline export function setStimecmp(v: u64): void { stimecmp = v; }
@inline export function setFrm(v: u32): void { frm = v & 7; }
@inline export function setFflags(v: u32): void { fflags = v & 0x1f; }
@inline export function orFflags(v: u32): void { fflags |= v; }
@inline export function setMcycleOffset(v: u64): void { mcycleOffset = v; }
@inline export function setMinstretOffset(v: u64): void { minstretOffset = v; }

// fflags bits (Unprivileged spec 13.2)
export const FFLAG_NX: u32 = 1; // inexact
export const FFLAG_UF: u32 = 2; // underflow
export const FFLAG_OF: u32 = 4; // overflow
export const FFLAG_DZ: u32 = 8; // divide by zero
export const FFLAG_NV: u32 = 16; // invalid

// mstatus fields (Privileged spec 3.1.6)
export const MSTATUS_SIE: u64 = 1 << 1;
export const MSTATUS_MIE: u64 = 1 << 3;
export const MSTATUS_SPIE: u64 = 1 << 5;
export const MSTATUS_UBE: u64 = 1 << 6;
export const MSTATUS_MPIE: u64 = 1 << 7;
export const MSTATUS_SPP: u64 = 1 << 8;
export const MSTATUS_VS: u64 = 3 << 9;
export const MSTATUS_MPP_SHIFT: u64 = 11;
export const MSTATUS_MPP: u64 = 3 << 11;
export const MSTATUS_FS_SHIFT: u64 = 13;
export const MSTATUS_FS: u64 = 3 << 13;
export const MSTATUS_XS: u64 = 3 << 15;
export const MSTATUS_MPRV: u64 = 1 << 17;
export const MSTATUS_SUM: u64 = 1 << 18;
export const MSTATUS_MXR: u64 = 1 << 19;
export const MSTATUS_TVM: u64 = 1 << 20;
export const MSTATUS_TW: u64 = 1 << 21;
export const MSTATUS_TSR: u64 = 1 << 22;
export const MSTATUS_UXL: u64 = 3 << 32;
export const MSTATUS_SXL: u64 = 3 << 34;
export const MSTATUS_SD: u64 = 1 << 63;

/** FS field: 0 off, 1 initial, 2 clean, 3 dirty. FP instructions trap as illegal when off. */
@inline export function fpEnabled(): bool { return (mstatus & MSTATUS_FS) != 0; }
/** Any FP register or fcsr write makes the FP state dirty (Privileged spec 3.1.6.6). */
@inline export function markFpDirty(): void { mstatus |= MSTATUS_FS | MSTATUS_SD; }

// Interrupt bits of mip/mie (Privileged spec 3.1.9)
export const IRQ_SSIP: u64 = 1 << 1;
export const IRQ_MSIP: u64 = 1 << 3;
export const IRQ_STIP: u64 = 1 << 5;
export const IRQ_MTIP: u64 = 1 << 7;
export const IRQ_SEIP: u64 = 1 << 9;
export const IRQ_MEIP: u64 = 1 << 11;

/** Interrupt lines driven by devices (PLIC contexts, CLINT, Sstc compare). ORed into mip. */
export let mipLines: u64 = 0;

/** Set when something may have changed what is pending or enabled: the run loop re-checks interrupts. */
export let checkInterrupts: bool = true;
@inline export function requestInterruptCheck(): void { checkInterrupts = true; }
@inline export function clearInterruptCheck(): void { checkInterrupts = false; }

/** Raises or lowers a device-driven mip bit (IRQ_MEIP, IRQ_SEIP, IRQ_MTIP, IRQ_MSIP, IRQ_STIP). */
export function setIrqLine(bit: u64, level: bool): void {
  const next = level ? (mipLines | bit) : (mipLines & ~bit);
  if (next != mipLines) { mipLines = next; checkInterrupts = true; }
}
@inline export function setMipLines(v: u64): void { mipLines = v; checkInterrupts = true; }

@inline export function mipValue(): u64 { return mipSw | mipLines; }

/** A device asks the run loop to stop after the current instruction (poweroff, output full). */
export let stopRequested: bool = false;
export let stopReasonRequested: u32 = 0;
export function requestStop(reason: u32): void {
  if (!stopRequested) { stopRequested = true; stopReasonRequested = reason; }
  checkInterrupts = true;
}
@inline export function clearStopRequest(): void { stopRequested = false; stopReasonRequested = 0; }
