// Guest RAM lives in this module's linear memory, at ramHost (page aligned).
// Every 4 KiB page has a dirty byte, set when the page is written (through the
// write TLB fill, device DMA or host loads) and cleared by the snapshot code.
import { RAM_BASE, PAGE_SIZE_LOG2 } from './constants';

export let ramHost: usize = 0; // host address of guest physical RAM_BASE
export let ramSize: u64 = 0; // bytes
export let dirtyMap: usize = 0; // one byte per guest page: 1 = written since last clear
export let ramPages: u32 = 0;
/** One byte per guest page: 1 = the JIT translated code in it (jit.ts); such pages stay out of the store TLB. */
export let codeMap: usize = 0;
/** One u32 per guest page: bumped when a page with translated code is written, which kills its translations. */
export let codeGen: usize = 0;
/** Set when a write hit a page with translated code (translated code stops after it). */
export let codeWritten: bool = false;
@inline export function clearCodeWritten(): void { codeWritten = false; }

export function ramInit(sizeBytes: u64): void {
  ramSize = sizeBytes;
  ramPages = <u32>(sizeBytes >> PAGE_SIZE_LOG2);
  // Fresh linear memory (memory.grow) is zero, so neither area is cleared: touching 128 MiB would
  // cost the host the page faults up front. ramInit runs once per instance.
  dirtyMap = heap.alloc(<usize>ramPages);
  codeMap = heap.alloc(<usize>ramPages);
  codeGen = heap.alloc(<usize>ramPages << 2);
  ramHost = (heap.alloc(<usize>sizeBytes + 0x10000) + 0xffff) & ~(<usize>0xffff);
}

/** Host address of guest physical range [paddr, paddr+len) if it lies wholly in RAM, else 0. */
@inline export function ramPtr(paddr: u64, len: u64): usize {
  const off = paddr - RAM_BASE;
  if (paddr < RAM_BASE || off + len > ramSize || off + len < off) return 0;
  return ramHost + <usize>off;
}

/** The guest physical address of a host address inside RAM (the inverse of ramPtr). */
@inline export function ramPaddr(host: usize): u64 { return <u64>(host - ramHost) + RAM_BASE; }

@inline export function markDirty(paddr: u64): void {
  const page = <usize>((paddr - RAM_BASE) >> PAGE_SIZE_LOG2);
  store<u8>(dirtyMap + page, 1);
  if (load<u8>(codeMap + page) != 0) codeChanged(page);
}

/** A write hit page `page`, which holds translated code: its translations die (jit.ts). */
function codeChanged(page: usize): void {
  store<u8>(codeMap + page, 0);
  store<u32>(codeGen + (page << 2), load<u32>(codeGen + (page << 2)) + 1);
  codeWritten = true;
}

/** Forgets which pages hold translated code (the JIT flushed everything). */
export function codeMapClear(): void {
  if (codeMap == 0) return;
  memory.fill(codeMap, 0, <usize>ramPages);
  memory.fill(codeGen, 0, <usize>ramPages << 2);
}

/** Whether page `page` holds translated code (kept out of the store TLB). */
@inline export function isCodePage(paddr: u64): bool {
  return load<u8>(codeMap + <usize>((paddr - RAM_BASE) >> PAGE_SIZE_LOG2)) != 0;
}

/** Marks every page of [paddr, paddr+len) dirty (DMA, host writes). Range must be in RAM. */
export function markDirtyRange(paddr: u64, len: u64): void {
  if (len == 0) return;
  const first = (paddr - RAM_BASE) >> PAGE_SIZE_LOG2;
  const last = (paddr + len - 1 - RAM_BASE) >> PAGE_SIZE_LOG2;
  for (let p = first; p <= last; p++) {
    store<u8>(dirtyMap + <usize>p, 1);
    if (load<u8>(codeMap + <usize>p) != 0) codeChanged(<usize>p);
  }
}
