// The JIT's machine side (docs/design.md section 2, The JIT). Hot guest code
// is translated by the host (src/engine/jit/translator.ts) into wasm
// functions installed in this module's function table; the interpreter
// (cpu.ts executeBatch) enters them at taken jumps through jitEnter.
//
// A translated function covers code of one 4 KiB guest page only, entered at
// one virtual pc: a region of basic blocks reached from the entry by direct
// jumps inside that page. Its cache entry is keyed by the host address of the
// entry (physical page) and the virtual pc (auipc, links and branch targets
// are compiled in), and carries the physical page's code generation at the
// time it was translated. It is entered only through the interpreter's
// current fetch page, so the fetch translation (satp, privilege, SFENCE.VMA)
// is checked as for any fetch, and nothing is flushed on those.
//
// Invalidation: a page holding translated code is marked in ram.ts codeMap
// and kept out of the store TLB, so every write to it (a guest store, an
// AMO, a page-table A/D update, virtio DMA, a host write through
// markDirtyPhys) passes ram.ts markDirty/markDirtyRange, which bumps the
// page's generation: its functions are dead. Translated code stops right
// after a store that did so (ctx status). loadState (snapshot restore, whose
// RAM the host writes directly) flushes everything. FENCE.I then needs no
// action: the cache is coherent with every store, like the interpreter.
//
// Exactness: translated code runs the same instructions with the same
// helpers as the interpreter (the TLB fast path inline, loadSlow/storeSlow
// with the same tick and pc published); it enters a block only if the whole
// block fits in the batch's budget, and returns after any slow-path access
// that raised, asked for an interrupt check or wrote code, exactly where the
// interpreter would end its batch. Nothing here is machine state: the cache
// is not saved and a run gives the same state with the JIT on or off.
import * as S from './state';
import { ramHost, ramPages, codeMap, codeGen, codeWritten, clearCodeWritten, codeMapClear } from './ram';
import { loadSlow, storeSlow, dataPriv, tlbFlushWrites, tlbReadTag, tlbReadDelta, tlbWriteTag, tlbWriteDelta } from './mmu';
import { rvcTable } from './rvc';
import { excPending } from './trap';
import { mulh, mulhsu, mulhu } from './cpu';

/**
 * The host finds or makes the function for (vpc, host): one it made for the
 * same page (same code generation `gen`, same flush `epoch`) that has a block
 * at vpc, or a new one installed at table index `index`. Returns -1 if vpc is
 * not translated, else (slot << 8) | (block << 1) | (1 if new).
 */
@external('env', 'jitCompile') declare function hostCompile(vpc: u64, host: usize, index: i32, gen: u32, epoch: u32): i32;

/** Context shared with translated code (addresses given to the host by jitLayout). */
const ctx: usize = memory.data(32, 8);
const CTX_PC: usize = 0;
const CTX_TICK: usize = 8;
const CTX_STATUS: usize = 16; // non-zero after a slow-path access: the translated code must return
const CTX_DPRIV: usize = 20;

const ENTRIES: u32 = 8192;
const ENTRY_BYTES: usize = 32;
/** The cache: direct-mapped by host address. Entry: vpc u64, host u32, fn i32, gen u32, count u32, block u32 (the entry's block in fn). */
const entries: usize = memory.data(<i32>(ENTRIES * <u32>ENTRY_BYTES), 8);

/** Executions of a jump target before it is translated (counted first in jitCounters, then in its entry). */
export let jitThreshold: u32 = 64;
/** Visits of an entry, once its counter is hot, before it is translated (filters counters shared with hot code). */
const ENTRY_THRESHOLD: u32 = 8;
/**
 * Hotness counters, direct-mapped by pc, counted at taken jumps before any
 * cache lookup (cpu.ts): a cold jump costs one load and store. A counter that
 * reached jitThreshold stays there, so its jumps look the cache up.
 */
const COUNTERS: u32 = 16384;
export const jitCounters: usize = memory.data(<i32>(COUNTERS * 2), 8);
@inline export function jitCounterSlot(pc: u64): usize { return jitCounters + ((<usize>(<u32>pc >> 1) & (COUNTERS - 1)) << 1); }
/** Translated functions since the last flush; at jitCapacity the cache is flushed. */
let used: i32 = 0;
export let jitCapacity: i32 = 4096;
/** Table index of function slot 0 (set by the host, which owns the table). */
let tableBase: i32 = 0;
export let jitOn: bool = false;
/** A page whose code generation reached this is not translated again (code and data mixed in one page). */
const MAX_GEN: u32 = 64;

// Statistics for the host (not state).
export let jitCompiles: u32 = 0;
export let jitFailures: u32 = 0;
export let jitFlushes: u32 = 0;
export let jitEntries: u64 = 0;
/** Entry points served by a function made for another entry of the same page. */
export let jitReused: u32 = 0;
/** Instructions executed in translated code. */
export let jitInstructions: u64 = 0;
/** Returns from translated code that ran no instruction (the first block did not fit the budget). */
export let jitEmptyExits: u64 = 0;

export function jitSetup(on: bool, base: i32, capacity: i32, threshold: u32): void {
  jitOn = on && capacity > 0;
  tableBase = base;
  jitCapacity = capacity;
  jitThreshold = threshold < 1 ? 1 : threshold > 0xffff ? 0xffff : threshold;
  jitFlush();
}

/** Forgets every translation (the table slots are reused from 0). */
export function jitFlush(): void {
  for (let i: u32 = 0; i < ENTRIES; i++) {
    const e = entries + <usize>i * ENTRY_BYTES;
    store<u32>(e, 0, 8); // host 0: no entry
    store<i32>(e, -1, 12);
  }
  codeMapClear();
  memory.fill(jitCounters, 0, <usize>COUNTERS * 2);
  used = 0;
  jitFlushes++;
}

/** Addresses translated code needs, by index (the host embeds them as constants). */
export function jitLayout(i: u32): usize {
  switch (i) {
    case 0: return ctx;
    case 1: return S.XREGS;
    case 2: return tlbReadTag;
    case 3: return tlbReadDelta;
    case 4: return tlbWriteTag;
    case 5: return tlbWriteDelta;
    case 6: return rvcTable;
    case 7: return ramHost;
    default: return 0;
  }
}

@inline function entryFor(host: usize): usize {
  return entries + (<usize>((<u32>host >> 1) & (ENTRIES - 1)) * ENTRY_BYTES);
}

/** The page index of a host address in RAM. */
@inline function pageOf(host: usize): u32 { return <u32>((host - ramHost) >> 12); }

/**
 * The translated function for (pc, host), counting and translating when hot;
 * -1 if none. `host` is pc's host address through the current fetch page.
 */
/** The block of the function lookup() found last. */
let foundBlock: u32 = 0;

function lookup(pc: u64, host: usize): i32 {
  const e = entryFor(host);
  const page = pageOf(host);
  const gen = load<u32>(codeGen + (<usize>page << 2));
  if (load<u32>(e, 8) == <u32>host && load<u64>(e) == pc && load<u32>(e, 16) == gen) {
    const fn = load<i32>(e, 12);
    foundBlock = load<u32>(e, 24);
    if (fn != -1) return fn >= 0 ? fn : -1; // -2: does not translate (until the page changes)
    const count = load<u32>(e, 20) + 1;
    store<u32>(e, count, 20);
    if (count < (jitThreshold < ENTRY_THRESHOLD ? jitThreshold : ENTRY_THRESHOLD) || gen >= MAX_GEN) return -1;
    return translateAt(e, pc, host, page);
  }
  store<u64>(e, pc);
  store<u32>(e, <u32>host, 8);
  store<i32>(e, -1, 12);
  store<u32>(e, gen, 16);
  store<u32>(e, 1, 20);
  if (jitThreshold <= 1 && gen < MAX_GEN) return translateAt(e, pc, host, page); // tests: at the first visit
  return -1;
}

/**
 * Marks (pc, host) for translation at its next execution, not after counting
 * to jitThreshold: the host calls this after a flush for entries whose
 * compiled translation it holds for the page's current bytes (src/engine/jit
 * jit.ts restored). A hint only: what runs is decided at that execution, by
 * the page's bytes then, so it changes which path executes, never a result.
 * An entry holding a live function is left alone. Returns whether it marked.
 */
export function jitWarm(pc: u64, host: usize): bool {
  if (!jitOn || host < ramHost || host >= ramHost + <usize>ramPages * 4096) return false;
  const e = entryFor(host);
  const page = pageOf(host);
  const gen = load<u32>(codeGen + (<usize>page << 2));
  if (gen >= MAX_GEN) return false;
  const live = load<u32>(e, 8) != 0 && load<i32>(e, 12) >= 0 && load<u32>(e, 16) == load<u32>(codeGen + (<usize>pageOf(<usize>load<u32>(e, 8)) << 2));
  if (live) return false;
  store<u64>(e, pc);
  store<u32>(e, <u32>host, 8);
  store<i32>(e, -1, 12);
  store<u32>(e, gen, 16);
  store<u32>(e, ENTRY_THRESHOLD - 1, 20); // lookup's next visit reaches ENTRY_THRESHOLD
  store<u16>(jitCounterSlot(pc), <u16>(jitThreshold - 1)); // the next jump to pc looks it up (cpu.ts)
  return true;
}

function translateAt(e: usize, pc: u64, host: usize, page: u32): i32 {
  if (used >= jitCapacity) {
    jitFlush();
    // The flush cleared this entry too; re-enter it, translated now.
    store<u64>(e, pc);
    store<u32>(e, <u32>host, 8);
    store<u32>(e, load<u32>(codeGen + (<usize>page << 2)), 16);
  }
  const r = hostCompile(pc, host, tableBase + used, load<u32>(codeGen + (<usize>page << 2)), jitFlushes);
  if (r < 0) {
    jitFailures++;
    store<i32>(e, -2, 12); // not again until the page changes or the cache is flushed
    return -1;
  }
  const index = r >> 8;
  if ((r & 1) != 0) { used++; jitCompiles++; } else jitReused++;
  store<i32>(e, index, 12);
  foundBlock = <u32>(r >> 1) & 0x7f;
  store<u32>(e, foundBlock, 24);
  if (load<u8>(codeMap + page) == 0) {
    store<u8>(codeMap + page, 1);
    tlbFlushWrites(); // the page leaves the store TLB: its writes take the slow path (markDirty)
  }
  return index;
}

/** Whether the last jitEnter returned at a jump whose target may be translated too. */
export let jitChained: bool = false;

/**
 * Runs translated code from pc (host: its host address on the current fetch
 * page) while translations are found; t < endTick. Returns false if nothing
 * was entered; else S.pc and S.tick hold where it stopped, with an exception
 * pending (excPending), an interrupt check asked for (S.checkInterrupts), or
 * jitChained set when the interpreter may look up the new pc again.
 */
export function jitEnter(pc: u64, host: usize, t: u64, endTick: u64, fetchPage: u64, fetchDelta: u64): bool {
  let fn = lookup(pc, host);
  if (fn < 0) return false;
  store<u32>(ctx, dataPriv, CTX_DPRIV);
  let chained = false;
  while (true) {
    store<u64>(ctx, t, CTX_TICK);
    store<u32>(ctx, 0, CTX_STATUS);
    jitEntries++;
    const status = call_indirect<i32>(<u32>(tableBase + fn), endTick, foundBlock);
    pc = load<u64>(ctx, CTX_PC);
    const t1 = load<u64>(ctx, CTX_TICK);
    if (t1 == t) jitEmptyExits++;
    jitInstructions += t1 - t;
    t = t1;
    if (status != 0) break; // budget, an untranslated instruction, or a slow-path stop
    if ((pc & ~(<u64>0xfff)) != fetchPage) { chained = true; break; }
    // A jump out of translated code counts as the interpreter counts one (cpu.ts): a cold
    // target is interpreted from here, not translated after ENTRY_THRESHOLD visits.
    const counter = jitCounterSlot(pc);
    const count = <u32>load<u16>(counter);
    if (count + 1 < jitThreshold) { store<u16>(counter, <u16>(count + 1)); break; }
    fn = lookup(pc, <usize>(pc + fetchDelta));
    if (fn < 0) break;
  }
  jitChained = chained;
  S.setPc(pc);
  S.setTick(t);
  return true;
}

// ---- helpers called by translated code (exported to the host, imported by each translated module)

/**
 * After a slow-path access of the instruction at pc (len bytes) at tick t:
 * ctx status 0 to go on; else the translated code returns at once, and ctx
 * already says where: the instruction itself if it raised (it did not
 * happen), the next one if it asked for an interrupt check or wrote code.
 */
@inline function slowStatus(pc: u64, len: u32, t: u64): void {
  if (excPending) {
    store<u32>(ctx, 1, CTX_STATUS);
    store<u64>(ctx, pc, CTX_PC);
    store<u64>(ctx, t, CTX_TICK);
  } else if (S.checkInterrupts || codeWritten) {
    store<u32>(ctx, 2, CTX_STATUS);
    store<u64>(ctx, pc + len, CTX_PC);
    store<u64>(ctx, t, CTX_TICK);
  }
}

/** A load's slow path at tick t, from the instruction at pc (the interpreter's loadData: an A bit its walk sets names them, hooks.ts), zero-extended. */
export function jitLoadSlow(addr: u64, size: u32, t: u64, pc: u64, len: u32): u64 {
  S.setTick(t);
  S.setPc(pc);
  clearCodeWritten();
  const v = loadSlow(addr, size);
  slowStatus(pc, len, t);
  return v;
}

/** A store's slow path at tick t, from the instruction at pc (a watched write's event names it, hooks.ts). */
export function jitStoreSlow(addr: u64, value: u64, size: u32, t: u64, pc: u64, len: u32): void {
  S.setTick(t);
  S.setPc(pc);
  clearCodeWritten();
  storeSlow(addr, value, size);
  slowStatus(pc, len, t);
}

/** MULH (f3 1), MULHSU (2), MULHU (3). */
export function jitMulh(a: u64, b: u64, f3: u32): u64 {
  return f3 == 1 ? mulh(a, b) : f3 == 2 ? mulhsu(a, b) : mulhu(a, b);
}

/** Pages that hold translated code (statistics). */
export function jitCodePages(): u32 {
  let n: u32 = 0;
  for (let p: u32 = 0; p < ramPages; p++) n += load<u8>(codeMap + p);
  return n;
}
