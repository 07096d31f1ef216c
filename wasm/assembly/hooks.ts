// Hook events (docs/design.md section 2, Hooks): what analyses ask the machine
// to record as it runs, into a buffer in linear memory that the host drains
// after each run. The host enables kinds with a mask (none by default); each
// site is on a path that is slow already (trap entry, SRET, a satp write) and
// costs one test of the mask when its kind is off. Recording changes no
// machine state: the buffer and the mask are not saved, and the stop it asks
// for when nearly full only ends a batch early, which never changes what the
// hart does (machine.ts run).
//
// An event is a header word (kind | words << 8, words counting the header)
// followed by its u64 payload, in the order listed at HOOK_* in constants.ts.
//
// With HOOK_STOP in the mask, the run also stops (STOP_HOOKS) right after
// each syscall entry and each sret to U-mode, before another instruction
// runs: the host sees memory, registers and CSRs exactly as they were at that
// event (a syscall's string arguments at entry, its out-parameters at
// return), as docs/design.md 2 asks of "an event the host must see at once".
//
// Write watches (HOOK_WRITE): the host names up to HOOK_WATCH_RANGES physical
// ranges. A page holding any of them never enters the store TLB (mmu.ts
// storeSlow asks watchedPage), so every store to it takes the slow path,
// which reports each store overlapping a range with its old and new word.
// AMOs and SCs (cpu.ts) and virtio DMA (reported as the range the device
// wrote, after the notifying store) are reported too. The slow paths publish
// the storing instruction's tick and pc first (S.tick, S.pc), so an event
// names the instruction exactly; whatever enters RAM another way (a JIT) must
// keep watched pages out of its fast path the same way. When no range is
// watched (watchActive false) a store costs what it did: one test of a flag
// on the slow path. The hart's own A/D updates of page-table entries
// (Privileged spec 4.3.2 step 7, mmu.ts translate) are writes too (source
// HOOK_WRITE_WALK), tested only when the walk changes a PTE; they carry the
// tick and pc of the access that walked, which every slow path publishes
// first (loads, stores and AMOs, in the interpreter and in translated code,
// and fetches: cpu.ts fetchAt), and with HOOK_STOP end the run right after
// that instruction, a fetch's as a load's. With HOOK_STOP_SATP the run also
// stops right after each satp write (a virtual watch re-translates exactly
// there).
import {
  HOOK_SYSCALL, HOOK_SYSRET, HOOK_SATP, HOOK_WRITE, HOOK_STOP, HOOK_STOP_SATP, STOP_HOOKS,
  HOOK_WRITE_DMA, HOOK_WATCH_RANGES, HOOK_DMA_CHUNK, PAGE_SIZE,
} from './constants';
import { tick, pc, priv, satp, sscratch, getX, requestStop } from './state';
import { ramPtr } from './ram';

const BUFFER_WORDS: u32 = 8192; // 64 KiB
const LARGEST_EVENT_WORDS: u32 = 5 + HOOK_DMA_CHUNK / 8;
/** Stop the run once fewer words than this are free: room for the events of the instruction that filled it. */
const STOP_BELOW_WORDS: u32 = 4 * LARGEST_EVENT_WORDS;

export const hookBuffer: usize = memory.data(<i32>(BUFFER_WORDS * 8), 8);
/** Words used in hookBuffer. */
export let hookWords: u32 = 0;
/** Events that found the buffer full (the host did not drain after STOP_HOOKS) and were lost. */
export let hookDropped: u32 = 0;
/** The kinds (HOOK_*) being recorded. */
export let hookMask: u32 = 0;

export function hooksSetMask(mask: u32): void {
  hookMask = mask & (HOOK_SYSCALL | HOOK_SYSRET | HOOK_SATP | HOOK_WRITE | HOOK_STOP | HOOK_STOP_SATP);
  watchActive = hooksOn(HOOK_WRITE) && watchCount > 0;
}
export function hooksClear(): void { hookWords = 0; hookDropped = 0; }

@inline export function hooksOn(kind: u32): bool { return (hookMask & kind) != 0; }

/** Reserves an event of `words` words (header included) and writes its header; the payload's address, or 0 if full. */
function begin(kind: u32, words: u32): usize {
  if (hookWords + words > BUFFER_WORDS) { hookDropped++; return 0; }
  const at = hookBuffer + (<usize>hookWords << 3);
  store<u64>(at, <u64>(kind | (words << 8)));
  hookWords += words;
  if (BUFFER_WORDS - hookWords < STOP_BELOW_WORDS) requestStop(STOP_HOOKS);
  return at + 8;
}

/** ECALL from U-mode, as the trap is entered: tick, pc, a7, a0..a5, satp, sscratch (Linux: the task pointer). */
export function hookSyscall(): void {
  const p = begin(HOOK_SYSCALL, 12);
  if (p == 0) return;
  store<u64>(p, tick);
  store<u64>(p, pc, 8);
  store<u64>(p, getX(17), 16);
  for (let i: u32 = 0; i < 6; i++) store<u64>(p + 24 + (<usize>i << 3), getX(10 + i));
  store<u64>(p, satp, 72);
  store<u64>(p, sscratch, 80);
  if (hooksOn(HOOK_STOP)) requestStop(STOP_HOOKS);
}

/** SRET that returned to U-mode: tick, a0 (a syscall's result). */
export function hookSysret(): void {
  const p = begin(HOOK_SYSRET, 3);
  if (p == 0) return;
  store<u64>(p, tick);
  store<u64>(p, getX(10), 8);
  if (hooksOn(HOOK_STOP)) requestStop(STOP_HOOKS);
}

/** A satp write that took effect: tick, old, new. */
export function hookSatp(old: u64, next: u64): void {
  const p = begin(HOOK_SATP, 4);
  if (p == 0) return;
  store<u64>(p, tick);
  store<u64>(p, old, 8);
  store<u64>(p, next, 16);
  if (hooksOn(HOOK_STOP_SATP)) requestStop(STOP_HOOKS);
}

// ---- write watches

const watchFirst = new StaticArray<u64>(HOOK_WATCH_RANGES);
/** One past each range's last byte. */
const watchEnd = new StaticArray<u64>(HOOK_WATCH_RANGES);
let watchCount: u32 = 0;
/** HOOK_WRITE is in the mask and a range is watched: the store paths test this flag and nothing else. */
export let watchActive: bool = false;

/** Forgets every watched range. The caller flushes the store TLB when it adds ranges (api/machine.ts). */
export function watchClear(): void { watchCount = 0; watchActive = false; }

/** Watches [paddr, paddr + len), which must lie in RAM; false if it does not, or the table is full. */
export function watchAdd(paddr: u64, len: u64): bool {
  if (len == 0 || ramPtr(paddr, len) == 0 || watchCount >= HOOK_WATCH_RANGES) return false;
  watchFirst[watchCount] = paddr;
  watchEnd[watchCount] = paddr + len;
  watchCount++;
  watchActive = hooksOn(HOOK_WRITE);
  return true;
}

/** True if [paddr, paddr + len) overlaps a watched range. */
function watched(paddr: u64, len: u64): bool {
  for (let i: u32 = 0; i < watchCount; i++) {
    if (paddr < unchecked(watchEnd[i]) && unchecked(watchFirst[i]) < paddr + len) return true;
  }
  return false;
}

/** True if the 4 KiB page holding paddr holds watched bytes: it must stay out of the store TLB. */
export function watchedPage(paddr: u64): bool { return watched(paddr & ~(PAGE_SIZE - 1), PAGE_SIZE); }

@inline function writeInfo(size: u32, source: u32): u64 { return <u64>(size | (priv << 16) | (source << 24)); }

/**
 * A store or AMO of `size` bytes (1..8) at paddr, from the instruction at
 * S.pc ending at S.tick: old and new are the bytes there before and after,
 * little-endian in a word. Recorded if it overlaps a watched range.
 */
export function hookWrite(paddr: u64, size: u32, old: u64, next: u64, source: u32): void {
  if (!watched(paddr, <u64>size)) return;
  const p = begin(HOOK_WRITE, 7);
  if (p == 0) return;
  store<u64>(p, tick);
  store<u64>(p, pc, 8);
  store<u64>(p, paddr, 16);
  store<u64>(p, writeInfo(size, source), 24);
  store<u64>(p, old, 32);
  store<u64>(p, next, 40);
  if (hooksOn(HOOK_STOP)) requestStop(STOP_HOOKS);
}

/** A device wrote [paddr, paddr + len) of RAM (already there): each watched part, in chunks of HOOK_DMA_CHUNK bytes. */
export function hookDma(paddr: u64, len: u64): void {
  const end = paddr + len;
  for (let i: u32 = 0; i < watchCount; i++) {
    let from = unchecked(watchFirst[i]);
    let to = unchecked(watchEnd[i]);
    if (from < paddr) from = paddr;
    if (to > end) to = end;
    for (let at = from; at < to; at += HOOK_DMA_CHUNK) {
      const n = <u32>(to - at < HOOK_DMA_CHUNK ? to - at : HOOK_DMA_CHUNK);
      const words = (n + 7) >> 3;
      const p = begin(HOOK_WRITE, 5 + words);
      if (p == 0) return;
      store<u64>(p, tick);
      store<u64>(p, pc, 8);
      store<u64>(p, at, 16);
      store<u64>(p, writeInfo(n, HOOK_WRITE_DMA), 24);
      memory.fill(p + 32, 0, <usize>words << 3);
      memory.copy(p + 32, ramPtr(at, n), n);
    }
  }
  if (hooksOn(HOOK_STOP) && watched(paddr, len)) requestStop(STOP_HOOKS);
}
