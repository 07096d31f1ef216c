// The run loop and whole-machine state (DESIGN.md section 2).
// run(untilTick) stops exactly at untilTick or earlier with a reason; the
// result depends only on the state and the inputs given between runs, never
// on how the host splits time into runs: interrupts are checked at every
// batch start, and every change to what is pending or enabled ends a batch.
import * as S from './state';
import { STOP_BUDGET, STOP_IDLE, RAM_BASE, STATE_MAGIC, STATE_VERSION } from './constants';
import { executeBatch, waitingForInterrupt, setWaiting } from './cpu';
import { takeInterrupt, wakeupPending, excPending, takeException, trapReset, reservationValid, reservationAddr, setReservation } from './trap';
import { tlbFlush, tlbFlushWrites, mmuContextChanged } from './mmu';
import { pmpReset, pmpCfgPtr, pmpAddrPtr, PMP_COUNT } from './csr';
import { devicesUpdate, devicesReset, devicesSave, devicesLoad } from './bus';
import { nextTimerTick } from './devices/clint';
import { ramHost, ramSize, ramPages, dirtyMap } from './ram';
import { StateWriter, StateReader, stateBuf } from './serialize';


export function machineReset(): void {
  memory.fill(S.XREGS, 0, 32 * 8);
  memory.fill(S.FREGS, 0, 32 * 8);
  S.setPc(RAM_BASE);
  S.setPriv(S.PRIV_M);
  S.setTick(0);
  idleTicks = 0;
  S.setMstatus(0);
  S.setMedeleg(0); S.setMideleg(0); S.setMie(0); S.setMipSw(0); S.setMipLines(0);
  S.setMtvec(0); S.setMscratch(0); S.setMepc(0); S.setMcause(0); S.setMtval(0);
  S.setMcounteren(0); S.setMcountinhibit(0); S.setMenvcfg(0);
  S.setStvec(0); S.setSscratch(0); S.setSepc(0); S.setScause(0); S.setStval(0);
  S.setScounteren(0); S.setSenvcfg(0); S.setSatp(0); S.setStimecmp(0xffff_ffff_ffff_ffff);
  S.setFrm(0); S.setFflags(0); S.setMcycleOffset(0); S.setMinstretOffset(0);
  S.clearStopRequest();
  S.requestInterruptCheck();
  setWaiting(false);
  trapReset();
  pmpReset();
  devicesReset();
  tlbFlush();
  mmuContextChanged();
}

/** Ticks the hart spent idle (WFI warps) since reset: tick - idleTicks is the number of instructions executed. */
export let idleTicks: u64 = 0;

export function run(untilTick: u64): u32 {
  while (true) {
    if (S.stopRequested) {
      const reason = S.stopReasonRequested;
      S.clearStopRequest();
      return reason;
    }
    if (S.tick >= untilTick) return STOP_BUDGET;
    devicesUpdate();
    S.clearInterruptCheck();
    if (takeInterrupt()) setWaiting(false);
    const next = nextTimerTick();
    if (waitingForInterrupt) {
      if (wakeupPending()) {
        setWaiting(false);
      } else {
        // Idle: warp to the next timer deadline, or to untilTick and report idle.
        const target = next > untilTick ? untilTick : next;
        if (target > S.tick) { idleTicks += target - S.tick; S.setTick(target); }
        if (next > untilTick) return STOP_IDLE;
        continue;
      }
    }
    executeBatch(next > S.tick && next < untilTick ? next : untilTick);
  }
  return STOP_BUDGET;
}

// ---- state

export function saveState(): u32 {
  const w = new StateWriter();
  w.u32(STATE_MAGIC);
  w.u32(STATE_VERSION);
  w.u64(ramSize);
  w.tag('CPU ');
  w.bytes(S.XREGS, 32 * 8);
  w.bytes(S.FREGS, 32 * 8);
  w.u64(S.pc); w.u32(S.priv); w.u64(S.tick);
  w.u64(S.mstatus); w.u64(S.medeleg); w.u64(S.mideleg); w.u64(S.mie); w.u64(S.mipSw); w.u64(S.mipLines);
  w.u64(S.mtvec); w.u64(S.mscratch); w.u64(S.mepc); w.u64(S.mcause); w.u64(S.mtval);
  w.u32(S.mcounteren); w.u32(S.mcountinhibit); w.u64(S.menvcfg);
  w.u64(S.stvec); w.u64(S.sscratch); w.u64(S.sepc); w.u64(S.scause); w.u64(S.stval);
  w.u32(S.scounteren); w.u64(S.senvcfg); w.u64(S.satp); w.u64(S.stimecmp);
  w.u32(S.frm); w.u32(S.fflags); w.u64(S.mcycleOffset); w.u64(S.minstretOffset);
  w.bool(waitingForInterrupt); w.bool(reservationValid); w.u64(reservationAddr);
  w.bytes(pmpCfgPtr(), PMP_COUNT); w.bytes(pmpAddrPtr(), PMP_COUNT * 8);
  devicesSave(w);
  w.tag('END ');
  return <u32>w.pos;
}

/** Loads a state written by saveState into stateBuf. 0 on success, else the tag (or 1: bad header) that failed. */
export function loadState(len: u32): u32 {
  const r = new StateReader(len);
  if (r.u32() != STATE_MAGIC || r.u32() != STATE_VERSION || r.u64() != ramSize) return 1;
  if (!r.tag('CPU ')) return r.failedTag;
  r.bytes(S.XREGS, 32 * 8);
  r.bytes(S.FREGS, 32 * 8);
  S.setPc(r.u64()); S.setPriv(r.u32()); S.setTick(r.u64());
  S.setMstatus(r.u64()); S.setMedeleg(r.u64()); S.setMideleg(r.u64()); S.setMie(r.u64()); S.setMipSw(r.u64()); S.setMipLines(r.u64());
  S.setMtvec(r.u64()); S.setMscratch(r.u64()); S.setMepc(r.u64()); S.setMcause(r.u64()); S.setMtval(r.u64());
  S.setMcounteren(r.u32()); S.setMcountinhibit(r.u32()); S.setMenvcfg(r.u64());
  S.setStvec(r.u64()); S.setSscratch(r.u64()); S.setSepc(r.u64()); S.setScause(r.u64()); S.setStval(r.u64());
  S.setScounteren(r.u32()); S.setSenvcfg(r.u64()); S.setSatp(r.u64()); S.setStimecmp(r.u64());
  S.setFrm(r.u32()); S.setFflags(r.u32()); S.setMcycleOffset(r.u64()); S.setMinstretOffset(r.u64());
  setWaiting(r.bool());
  const resValid = r.bool();
  setReservation(resValid, r.u64());
  r.bytes(pmpCfgPtr(), PMP_COUNT); r.bytes(pmpAddrPtr(), PMP_COUNT * 8);
  if (r.failed) return r.failedTag != 0 ? r.failedTag : 1;
  devicesLoad(r);
  if (r.failed) return r.failedTag != 0 ? r.failedTag : 1;
  if (!r.tag('END ')) return r.failedTag;
  S.clearStopRequest();
  S.requestInterruptCheck();
  tlbFlush();
  mmuContextChanged();
  return 0;
}

/** Clears the dirty map and the store TLB so the next write to every page marks it again. */
export function clearDirty(): void {
  memory.fill(dirtyMap, 0, <usize>ramPages);
  tlbFlushWrites();
}

// ---- hashing (64-bit, not cryptographic: determinism checks; the recording uses SHA-256 on the host)

@inline function mix(h: u64, v: u64): u64 {
  h ^= v * 0x9e37_79b9_7f4a_7c15;
  h = rotl<u64>(h, 27) * 0x94d0_49bb_1331_11eb;
  return h;
}

export function hashRange(ptr: usize, len: usize, seed: u64): u64 {
  let h = seed ^ (<u64>len * 0xff51_afd7_ed55_8ccd);
  let i: usize = 0;
  for (; i + 8 <= len; i += 8) h = mix(h, load<u64>(ptr + i));
  for (; i < len; i++) h = mix(h, <u64>load<u8>(ptr + i));
  h ^= h >> 33;
  h *= 0xc4ce_b9fe_1a85_ec53;
  h ^= h >> 29;
  return h;
}

/** A hash of the whole machine: CPU and device state, then all of RAM. */
export function stateHash(): u64 {
  const len = saveState();
  const h = hashRange(stateBuf, <usize>len, 0x5052_4e52);
  return hashRange(ramHost, <usize>ramSize, h);
}

export function pageHash(page: u32): u64 {
  return hashRange(ramHost + (<usize>page << 12), 4096, 0);
}

export function pendingException(): bool { return excPending; }
export function deliverPendingException(): void { if (excPending) takeException(); }
