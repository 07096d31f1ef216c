// Address translation (Privileged spec 4.3 Sv32 walk, 4.4 Sv39) with a
// software TLB, and every guest memory access the CPU makes.
//
// TLB: direct-mapped, separate for loads and stores; an entry maps one guest
// virtual page to host memory (RAM only: MMIO always takes the slow path).
// Its tag is (vpn << 2 | effective privilege), so switching between U, S and M
// needs no flush; satp writes, SFENCE.VMA and SUM/MXR changes flush all.
// Filling a store entry marks the RAM page dirty: writes through the fast
// path then cost nothing extra, and clearDirtyTracking() flushes store
// entries so the next write to a clean page marks it again. A page holding a
// watched range (hooks.ts) is never entered, so each store to it is reported.
import {
  priv, satp, mstatus, PRIV_M, PRIV_U,
  MSTATUS_MPRV, MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_SUM, MSTATUS_MXR,
  requestInterruptCheck,
} from './state';
import { ramPtr, markDirty, isCodePage } from './ram';
import { raise, CAUSE_FETCH_PAGE, CAUSE_LOAD_PAGE, CAUSE_STORE_PAGE, CAUSE_FETCH_ACCESS, CAUSE_LOAD_ACCESS, CAUSE_STORE_ACCESS } from './trap';
import { busRead, busWrite, busFault, clearBusFault } from './bus';
import { watchActive, watchedPage, hookWrite } from './hooks';
import {
  HOOK_WRITE_STORE, HOOK_WRITE_WALK, WALK_OK, WALK_NOT_CANONICAL, WALK_PTE_OUTSIDE_RAM, WALK_INVALID_PTE, WALK_RESERVED_BITS, WALK_NO_LEAF, WALK_MISALIGNED_SUPERPAGE, WALK_SATP_MODE,
} from './constants';

export const ACCESS_READ: u32 = 0;
export const ACCESS_WRITE: u32 = 1;
export const ACCESS_FETCH: u32 = 2;

const TLB_BITS: u32 = 8;
const TLB_ENTRIES: usize = 1 << TLB_BITS;
const TLB_MASK: u64 = (1 << TLB_BITS) - 1;
const TLB_INVALID: u64 = 0xffff_ffff_ffff_ffff;

export const tlbReadTag: usize = memory.data(<i32>(TLB_ENTRIES * 8), 8);
export const tlbReadDelta: usize = memory.data(<i32>(TLB_ENTRIES * 8), 8);
export const tlbWriteTag: usize = memory.data(<i32>(TLB_ENTRIES * 8), 8);
export const tlbWriteDelta: usize = memory.data(<i32>(TLB_ENTRIES * 8), 8);

/** Privilege used for loads and stores: MPRV in M-mode selects MPP (3.1.6.3). */
export let dataPriv: u32 = PRIV_M;
/** The page the CPU fetches from: guest virtual page base, and host minus guest offset. */
export let fetchPage: u64 = TLB_INVALID;
export let fetchDelta: u64 = 0;

export function tlbFlush(): void {
  memory.fill(tlbReadTag, 0xff, TLB_ENTRIES * 8);
  memory.fill(tlbWriteTag, 0xff, TLB_ENTRIES * 8);
  fetchPage = TLB_INVALID;
}

/** Drops store entries so the next write to each page marks it dirty again. */
export function tlbFlushWrites(): void {
  memory.fill(tlbWriteTag, 0xff, TLB_ENTRIES * 8);
}

/** Privilege, MPRV or MPP changed: recompute the effective data privilege; refetch. */
export function mmuContextChanged(): void {
  dataPriv = priv == PRIV_M && (mstatus & MSTATUS_MPRV) != 0 ? <u32>((mstatus & MSTATUS_MPP) >> MSTATUS_MPP_SHIFT) : priv;
  fetchPage = TLB_INVALID;
}

// ---- translation

const PTE_V: u64 = 1;
const PTE_R: u64 = 2;
const PTE_W: u64 = 4;
const PTE_X: u64 = 8;
const PTE_U: u64 = 16;
const PTE_A: u64 = 64;
const PTE_D: u64 = 128;
export const TRANSLATE_FAULT: u64 = 0xffff_ffff_ffff_ffff;

function pageFault(access: u32, vaddr: u64): u64 {
  raise(access == ACCESS_FETCH ? CAUSE_FETCH_PAGE : access == ACCESS_WRITE ? CAUSE_STORE_PAGE : CAUSE_LOAD_PAGE, vaddr);
  return TRANSLATE_FAULT;
}

export function accessFault(access: u32, vaddr: u64): void {
  raise(access == ACCESS_FETCH ? CAUSE_FETCH_ACCESS : access == ACCESS_WRITE ? CAUSE_STORE_ACCESS : CAUSE_LOAD_ACCESS, vaddr);
}

/** The last PTE sv39Walk read (the leaf, or the one it stopped at), its physical address and level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB). */
export let walkPte: u64 = 0;
export let walkPteAddr: u64 = 0;
export let walkLevel: i32 = 0;
/** Why the last sv39Walk failed (WALK_* in constants.ts), or WALK_OK. */
export let walkStatus: u32 = WALK_OK;

/**
 * The Sv39 page-table walk of Privileged spec 4.3.2 steps 1-4 and 6 (4.4:
 * canonical addresses, three levels, superpage alignment) under `satpValue`:
 * the physical address of vaddr, or TRANSLATE_FAULT with walkStatus saying
 * why. It checks no permissions, changes nothing and raises nothing; the
 * hart's translate() and the host's debug translation both use it.
 */
export function sv39Walk(vaddr: u64, satpValue: u64): u64 {
  // Bits 63..39 must all equal bit 38.
  const upper = <i64>vaddr >> 38;
  if (upper != 0 && upper != -1) return walkFailed(WALK_NOT_CANONICAL);
  let table = (satpValue & 0xfff_ffff_ffff) << 12;
  for (let level: i32 = 2; level >= 0; level--) {
    const vpnPart = (vaddr >> (12 + 9 * <u64>level)) & 0x1ff;
    const pteAddr = table + vpnPart * 8;
    walkLevel = level;
    walkPteAddr = pteAddr;
    const host = ramPtr(pteAddr, 8);
    if (host == 0) return walkFailed(WALK_PTE_OUTSIDE_RAM);
    const pte = load<u64>(host);
    walkPte = pte;
    if ((pte & PTE_V) == 0 || ((pte & PTE_R) == 0 && (pte & PTE_W) != 0)) return walkFailed(WALK_INVALID_PTE);
    if ((pte >> 54) != 0) return walkFailed(WALK_RESERVED_BITS); // reserved bits, PBMT and N are not implemented
    const ppn = (pte >> 10) & 0xfff_ffff_ffff;
    if ((pte & (PTE_R | PTE_X)) == 0) {
      table = ppn << 12;
      continue;
    }
    const lowMask: u64 = (<u64>1 << (9 * <u64>level)) - 1;
    if ((ppn & lowMask) != 0) return walkFailed(WALK_MISALIGNED_SUPERPAGE);
    walkStatus = WALK_OK;
    const pageOffsetMask: u64 = (<u64>1 << (12 + 9 * <u64>level)) - 1;
    return ((ppn << 12) & ~pageOffsetMask) | (vaddr & pageOffsetMask);
  }
  return walkFailed(WALK_NO_LEAF);
}

@inline function walkFailed(status: u32): u64 {
  walkStatus = status;
  return TRANSLATE_FAULT;
}

/**
 * The host's view of vaddr under `satpValue` (api/machine.ts translate): Bare
 * maps identically (level 0, no PTE), Sv39 walks, other modes fail with WALK_SATP_MODE.
 */
export function hostTranslate(vaddr: u64, satpValue: u64): u64 {
  const mode = satpValue >> 60;
  if (mode == 0) {
    walkPte = 0; walkPteAddr = 0; walkLevel = 0; walkStatus = WALK_OK;
    return vaddr;
  }
  if (mode != 8) return walkFailed(WALK_SATP_MODE);
  return sv39Walk(vaddr, satpValue);
}

/**
 * Guest virtual to physical for one access at privilege p, or TRANSLATE_FAULT
 * with the fault raised: sv39Walk, then the leaf's permission checks (4.3.1,
 * 4.3.2 step 5) and the hardware A/D update (step 7).
 */
export function translate(vaddr: u64, access: u32, p: u32): u64 {
  if (p == PRIV_M || (satp >> 60) != 8) return vaddr;
  const paddr = sv39Walk(vaddr, satp);
  if (paddr == TRANSLATE_FAULT) {
    if (walkStatus == WALK_PTE_OUTSIDE_RAM) { accessFault(access, vaddr); return TRANSLATE_FAULT; }
    return pageFault(access, vaddr);
  }
  const pte = walkPte;
  if (p == PRIV_U) {
    if ((pte & PTE_U) == 0) return pageFault(access, vaddr);
  } else if ((pte & PTE_U) != 0) {
    if (access == ACCESS_FETCH || (mstatus & MSTATUS_SUM) == 0) return pageFault(access, vaddr);
  }
  if (access == ACCESS_FETCH) {
    if ((pte & PTE_X) == 0) return pageFault(access, vaddr);
  } else if (access == ACCESS_WRITE) {
    if ((pte & PTE_W) == 0) return pageFault(access, vaddr);
  } else if ((pte & PTE_R) == 0 && !((mstatus & MSTATUS_MXR) != 0 && (pte & PTE_X) != 0)) {
    return pageFault(access, vaddr);
  }
  const newPte = pte | PTE_A | (access == ACCESS_WRITE ? PTE_D : 0);
  if (newPte != pte) {
    store<u64>(ramPtr(walkPteAddr, 8), newPte);
    markDirty(walkPteAddr);
    if (watchActive) hookWrite(walkPteAddr, 8, pte, newPte, HOOK_WRITE_WALK); // a watched PTE's A/D bits (hooks.ts)
  }
  return paddr;
}

// ---- loads and stores

@inline function tlbKey(vaddr: u64): u64 { return ((vaddr >> 12) << 2) | <u64>dataPriv; }
@inline function tlbSlot(vaddr: u64): usize { return <usize>((vaddr >> 12) & TLB_MASK) << 3; }

/** Host address of `size` bytes at vaddr if the TLB (tag, delta) holds its page and they stay inside it, else 0. */
@inline function tlbHost(tag: usize, delta: usize, vaddr: u64, size: u32): usize {
  const slot = tlbSlot(vaddr);
  if (load<u64>(tag + slot) == tlbKey(vaddr) && (vaddr & 0xfff) <= <u64>(4096 - size)) {
    return <usize>(vaddr + load<u64>(delta + slot));
  }
  return 0;
}

/** Enters vaddr's page, which is RAM at paddr, into the TLB (tag, delta). */
@inline function tlbFill(tag: usize, delta: usize, vaddr: u64, paddr: u64): void {
  const slot = tlbSlot(vaddr);
  const pageHost = ramPtr(paddr & ~<u64>0xfff, 4096);
  store<u64>(tag + slot, tlbKey(vaddr));
  store<u64>(delta + slot, <u64>pageHost - (vaddr & ~<u64>0xfff));
}

/** Host address for a load of `size` bytes at vaddr, or 0 when the slow path is needed. */
@inline export function loadHost(vaddr: u64, size: u32): usize {
  return tlbHost(tlbReadTag, tlbReadDelta, vaddr, size);
}

@inline export function storeHost(vaddr: u64, size: u32): usize {
  return tlbHost(tlbWriteTag, tlbWriteDelta, vaddr, size);
}

/** Loads `size` bytes (1, 2, 4, 8) zero-extended; on a fault raises it and returns 0. */
export function loadSlow(vaddr: u64, size: u32): u64 {
  if ((vaddr & 0xfff) + <u64>size > 4096) {
    // Misaligned across a page boundary: byte by byte, each translated.
    let v: u64 = 0;
    for (let i: u32 = 0; i < size; i++) {
      const b = loadSlow(vaddr + i, 1);
      if (excPendingNow()) return 0;
      v |= b << (8 * <u64>i);
    }
    return v;
  }
  const paddr = translate(vaddr, ACCESS_READ, dataPriv);
  if (paddr == TRANSLATE_FAULT) return 0;
  const host = ramPtr(paddr, size);
  if (host != 0) {
    tlbFill(tlbReadTag, tlbReadDelta, vaddr, paddr);
    return loadSized(host, size);
  }
  clearBusFault();
  const v = busRead(paddr, size);
  if (busFault) { accessFault(ACCESS_READ, vaddr); return 0; }
  requestInterruptCheck();
  return v;
}

/** Stores the low `size` bytes of value; on a fault raises it. S.tick and S.pc are the storing instruction's (hooks.ts, write watches). */
export function storeSlow(vaddr: u64, value: u64, size: u32): void {
  if ((vaddr & 0xfff) + <u64>size > 4096) {
    // Check both pages first so a faulting store changes nothing.
    const lastByte = vaddr + <u64>size - 1;
    if (translate(vaddr, ACCESS_WRITE, dataPriv) == TRANSLATE_FAULT) return;
    if (translate(lastByte, ACCESS_WRITE, dataPriv) == TRANSLATE_FAULT) return;
    for (let i: u32 = 0; i < size; i++) {
      storeSlow(vaddr + i, value >> (8 * <u64>i), 1);
      if (excPendingNow()) return;
    }
    return;
  }
  const paddr = translate(vaddr, ACCESS_WRITE, dataPriv);
  if (paddr == TRANSLATE_FAULT) return;
  const host = ramPtr(paddr, size);
  if (host != 0) {
    if (watchActive && watchedPage(paddr)) { // hooks.ts: a watched page stays out of the store TLB
      const old = loadSized(host, size);
      storeSized(host, value, size);
      markDirty(paddr);
      hookWrite(paddr, size, old, loadSized(host, size), HOOK_WRITE_STORE);
      return;
    }
    if (!isCodePage(paddr)) tlbFill(tlbWriteTag, tlbWriteDelta, vaddr, paddr); // jit.ts: so is a page with translated code
    markDirty(paddr);
    storeSized(host, value, size);
    return;
  }
  clearBusFault();
  busWrite(paddr, value, size);
  if (busFault) { accessFault(ACCESS_WRITE, vaddr); return; }
  requestInterruptCheck();
}

/** Physical address for an AMO/LR/SC (must be RAM, naturally aligned); 0 with the fault raised otherwise. */
export function amoHost(vaddr: u64, size: u32): usize {
  const paddr = translate(vaddr, ACCESS_WRITE, dataPriv);
  if (paddr == TRANSLATE_FAULT) return 0;
  const host = ramPtr(paddr, size);
  if (host == 0) { accessFault(ACCESS_WRITE, vaddr); return 0; }
  markDirty(paddr);
  return host;
}

/** Fetches the instruction at pc through the fetch page; slow path on a page change. Returns 0 on a fault. S.tick and S.pc are the fetching instruction's (cpu.ts fetchAt; hooks.ts, write watches). */
export function fetchSlow(pc: u64): u32 {
  const paddr = translate(pc, ACCESS_FETCH, priv);
  if (paddr == TRANSLATE_FAULT) return 0;
  const host = ramPtr(paddr, 2);
  if (host == 0) { accessFault(ACCESS_FETCH, pc); return 0; }
  const low = <u32>load<u16>(host);
  if ((low & 3) != 3) {
    setFetchPage(pc, paddr);
    return low;
  }
  if ((pc & 0xfff) == 0xffe) {
    // A 32-bit instruction straddling two pages: fetch the upper half separately, no fetch page.
    const paddr2 = translate(pc + 2, ACCESS_FETCH, priv);
    if (paddr2 == TRANSLATE_FAULT) return 0;
    const host2 = ramPtr(paddr2, 2);
    if (host2 == 0) { accessFault(ACCESS_FETCH, pc + 2); return 0; }
    fetchPage = TLB_INVALID;
    return low | (<u32>load<u16>(host2) << 16);
  }
  setFetchPage(pc, paddr);
  return load<u32>(host);
}

@inline function setFetchPage(pc: u64, paddr: u64): void {
  fetchPage = pc & ~<u64>0xfff;
  fetchDelta = <u64>ramPtr(paddr & ~<u64>0xfff, 4096) - fetchPage;
}

@inline function loadSized(host: usize, size: u32): u64 {
  if (size == 8) return load<u64>(host);
  if (size == 4) return <u64>load<u32>(host);
  if (size == 2) return <u64>load<u16>(host);
  return <u64>load<u8>(host);
}

@inline function storeSized(host: usize, value: u64, size: u32): void {
  if (size == 8) store<u64>(host, value);
  else if (size == 4) store<u32>(host, <u32>value);
  else if (size == 2) store<u16>(host, <u16>value);
  else store<u8>(host, <u8>value);
}

import { excPending } from './trap';
@inline function excPendingNow(): bool { return excPending; }
