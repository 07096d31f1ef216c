// Exports of the machine: lifecycle, run loop, registers, RAM, state.
import * as S from '../state';
import { ramInit, ramHost, ramSize, ramPages, dirtyMap, ramPtr, markDirtyRange } from '../ram';
import { rvcInit } from '../rvc';
import { idleTicks, machineReset, run as runMachine, saveState as save, loadState as load, clearDirty, stateHash as hashAll, pageHash, describeState } from '../machine';
import { describeBoard } from '../bus';
import { JsonText } from '../state-io';
import { stateBuf, STATE_CAPACITY } from '../serialize';
import { csrPeek, csrExists as csrIsImplemented } from '../csr';
import { waitingForInterrupt } from '../cpu';
import { hostTranslate, walkStatus, walkLevel, walkPte, walkPteAddr, tlbFlushWrites } from '../mmu';
import { MACHINE_API_VERSION } from '../constants';
import {
  jitSetup as setupJit, jitFlush as flushJit, jitLayout as layoutJit, jitCompiles, jitFailures, jitFlushes, jitEntries, jitInstructions, jitEmptyExits, jitReused, jitCodePages as codePagesJit,
} from '../jit';
export { jitLoadSlow, jitStoreSlow, jitMulh, jitWarm } from '../jit';
import { hooksSetMask, hooksClear, hookBuffer, hookWords, hookDropped, watchClear, watchAdd } from '../hooks';

/** constants.ts MACHINE_API_VERSION: the host checks it before anything else. */
export function apiVersion(): u32 { return MACHINE_API_VERSION; }

let initialized = false;

/** Allocates RAM (once per instance) and resets the machine. */
export function init(ramBytes: u64): void {
  if (!initialized) {
    ramInit(ramBytes);
    rvcInit();
    initialized = true;
  }
  machineReset();
}

export function reset(): void { machineReset(); }
export function run(untilTick: u64): u32 { return runMachine(untilTick); }

export function getTick(): u64 { return S.tick; }
/** Ticks spent idle in WFI since reset (not part of the saved state: a statistic for hosts). */
export function getIdleTicks(): u64 { return idleTicks; }
export function getPc(): u64 { return S.pc; }
export function getPriv(): u32 { return S.priv; }
export function isWaiting(): bool { return waitingForInterrupt; }
export function getX(i: u32): u64 { return S.getX(i & 31); }
export function getF(i: u32): u64 { return S.getF(i & 31); }
export function setBootRegisters(pc: u64, a0: u64, a1: u64): void {
  S.setPc(pc);
  S.setX(10, a0);
  S.setX(11, a1);
}

/** The value of CSR `num` with no access checks and no side effects on the hart; 0 if csrExists(num) is false. */
export function debugReadCsr(num: u32): u64 { return csrPeek(num); }
/** True if the hart has CSR `num` (the CSR instructions' own decoder). */
export function csrExists(num: u32): bool { return csrIsImplemented(num); }

/**
 * Guest virtual to physical as a debugger sees it, under `satpValue` (the
 * hart's own or any other): the Sv39 walk of the hart (mmu.ts sv39Walk) with
 * no permission checks, no A/D updates and no TLB fill. TRANSLATE_FAULT (all
 * ones) if there is no leaf; translateStatus() says why (WALK_*), and
 * translateLevel()/translatePte() give the leaf (or the entry the walk stopped at).
 */
export function translate(vaddr: u64, satpValue: u64): u64 { return hostTranslate(vaddr, satpValue); }
export function translateStatus(): u32 { return walkStatus; }
export function translateLevel(): u32 { return <u32>walkLevel; }
export function translatePte(): u64 { return walkPte; }
export function translatePteAddr(): u64 { return walkPteAddr; }

/** Records the hook events of the kinds in `mask` (HOOK_* in constants.ts; 0: none, the default). */
export function setHookMask(mask: u32): void { hooksSetMask(mask); }
/** The recorded events (hooks.ts): hookBufferLength() bytes at hookBufferPtr(). Drain after every run, then hookBufferClear(). */
export function hookBufferPtr(): usize { return hookBuffer; }
export function hookBufferLength(): u32 { return hookWords << 3; }
/** Events lost because the buffer was full (0 if the host drains after every run). */
export function hookEventsDropped(): u32 { return hookDropped; }
export function hookBufferClear(): void { hooksClear(); }
/** Stops watching every physical range (hooks.ts, HOOK_WRITE). */
export function hookWatchClear(): void { watchClear(); }
/**
 * Watches [paddr, paddr + len) for HOOK_WRITE events; false if it is not wholly in RAM or
 * HOOK_WATCH_RANGES are watched already. Flushes the store TLB, so its pages leave it (no machine state).
 */
export function hookWatchAdd(paddr: u64, len: u64): bool {
  const ok = watchAdd(paddr, len);
  if (ok) tlbFlushWrites();
  return ok;
}

export function ramHostPtr(): usize { return ramHost; }
export function ramBytes(): u64 { return ramSize; }
export function ramPageCount(): u32 { return ramPages; }
export function dirtyMapPtr(): usize { return dirtyMap; }
export function clearDirtyPages(): void { clearDirty(); }
/** Marks the pages of a host write into guest RAM dirty (the host writes through ramHostPtr, not the TLB). */
export function markDirtyPhys(paddr: u64, len: u64): void { if (ramPtr(paddr, len) != 0) markDirtyRange(paddr, len); }
export function ramPageHash(page: u32): u64 { return pageHash(page); }

export function stateBufferPtr(): usize { return stateBuf; }
export function stateBufferCapacity(): u32 { return <u32>STATE_CAPACITY; }
export function saveState(): u32 { return save(); }
export function loadState(len: u32): u32 { return load(len); }
export function stateHash(): u64 { return hashAll(); }

const DESCRIPTION_CAPACITY: u32 = 32 * 1024;
const description = new JsonText(memory.data(DESCRIPTION_CAPACITY), DESCRIPTION_CAPACITY);
/**
 * The machine's self-description as JSON, {"state": [...], "board": [...]}:
 * the state blob's fields, tags and device sections in order (machine.ts
 * stateFields) and the board table (bus.ts). Returns its length (0 if it did
 * not fit); read it at describeMachinePtr(). The build turns it into src/shared/machine-layout.ts.
 */
export function describeMachine(): u32 {
  description.reset();
  description.raw('{"state":');
  describeState(description);
  description.raw(',"board":');
  describeBoard(description);
  description.raw('}');
  return description.complete ? description.len : 0;
}
export function describeMachinePtr(): usize { return description.ptr; }

/**
 * The JIT (jit.ts): on or off, the host's table index of function slot 0, how
 * many slots it has, and the executions of a jump target before it is
 * translated. Flushes every translation. Off by default (no host translator).
 */
export function jitSetup(on: bool, tableBase: i32, capacity: i32, threshold: u32): void { setupJit(on, tableBase, capacity, threshold); }
/** Forgets every translation (the host wrote code into RAM without markDirtyPhys). */
export function jitFlush(): void { flushJit(); }
/** Addresses the translator compiles in (jit.ts jitLayout). */
export function jitLayout(i: u32): usize { return layoutJit(i); }
/** JIT statistics: 0 translations, 1 failed, 2 flushes, 3 entries into translated code, 4 pages holding code, 5 instructions run in translated code, 6 returns that ran none, 7 entries served by another entry's function. */
export function jitStat(i: u32): u64 {
  switch (i) {
    case 0: return jitCompiles;
    case 1: return jitFailures;
    case 2: return jitFlushes;
    case 3: return jitEntries;
    case 4: return codePagesJit();
    case 5: return jitInstructions;
    case 6: return jitEmptyExits;
    case 7: return jitReused;
    default: return 0;
  }
}
