// The run loop and whole-machine state (docs/design.md section 2).
// run(untilTick) stops exactly at untilTick or earlier with a reason; the
// result depends only on the state and the inputs given between runs, never
// on how the host splits time into runs: interrupts are checked at every
// batch start, and every change to what is pending or enabled ends a batch.
import * as S from './state';
import { STOP_BUDGET, STOP_IDLE, RAM_BASE, STATE_MAGIC, STATE_VERSION } from './constants';
import { executeBatch, waitingForInterrupt, setWaiting } from './cpu';
import { takeInterrupt, wakeupPending, trapReset, reservationValid, reservationAddr, setReservation } from './trap';
import { tlbFlush, tlbFlushWrites, mmuContextChanged } from './mmu';
import { jitFlush } from './jit';
import { pmpReset, pmpCfgPtr, pmpAddrPtr, PMP_COUNT } from './csr';
import { devicesUpdate, devicesReset, devicesState, timersUpdate } from './bus';
import { nextTimerTick } from './devices/clint';
import { ramHost, ramSize, ramPages, dirtyMap } from './ram';
import { stateBuf } from './serialize';
import { StateIO, StateSaver, StateLoader, StateDescriber, JsonText } from './state-io';


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
  jitFlush();
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

const X_NAMES: StaticArray<string> = [
  'x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10', 'x11', 'x12', 'x13', 'x14', 'x15',
  'x16', 'x17', 'x18', 'x19', 'x20', 'x21', 'x22', 'x23', 'x24', 'x25', 'x26', 'x27', 'x28', 'x29', 'x30', 'x31',
];
const F_NAMES: StaticArray<string> = [
  'f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'f9', 'f10', 'f11', 'f12', 'f13', 'f14', 'f15',
  'f16', 'f17', 'f18', 'f19', 'f20', 'f21', 'f22', 'f23', 'f24', 'f25', 'f26', 'f27', 'f28', 'f29', 'f30', 'f31',
];
const PMPCFG_NAMES: StaticArray<string> = [
  'pmp0cfg', 'pmp1cfg', 'pmp2cfg', 'pmp3cfg', 'pmp4cfg', 'pmp5cfg', 'pmp6cfg', 'pmp7cfg',
  'pmp8cfg', 'pmp9cfg', 'pmp10cfg', 'pmp11cfg', 'pmp12cfg', 'pmp13cfg', 'pmp14cfg', 'pmp15cfg',
];
const PMPADDR_NAMES: StaticArray<string> = [
  'pmpaddr0', 'pmpaddr1', 'pmpaddr2', 'pmpaddr3', 'pmpaddr4', 'pmpaddr5', 'pmpaddr6', 'pmpaddr7',
  'pmpaddr8', 'pmpaddr9', 'pmpaddr10', 'pmpaddr11', 'pmpaddr12', 'pmpaddr13', 'pmpaddr14', 'pmpaddr15',
];

/**
 * The state blob, field by field, in its order (STATE_VERSION): the one
 * statement of the layout, walked to save, to load and to describe it
 * (state-io.ts). The header and the CPU section have fixed widths; each device
 * section is its tag and the device's own save/load. Returns false if the
 * header does not match this machine (magic, version, RAM size).
 */
function stateFields(io: StateIO): bool {
  if (io.u32('magic', STATE_MAGIC) != STATE_MAGIC) return false;
  if (io.u32('version', STATE_VERSION) != STATE_VERSION) return false;
  if (io.u64('RAM size', ramSize) != ramSize) return false;
  if (!io.tag('CPU ', 'CPU')) return true;
  // Registers as stored (x0 included): a blob round-trips byte for byte.
  for (let i = 0; i < 32; i++) store<u64>(S.XREGS + (<usize>i << 3), io.u64(X_NAMES[i], load<u64>(S.XREGS + (<usize>i << 3))));
  for (let i = 0; i < 32; i++) S.setF(i, io.u64(F_NAMES[i], S.getF(i)));
  S.setPc(io.u64('pc', S.pc)); S.setPriv(io.u32('privilege', S.priv)); S.setTick(io.u64('tick', S.tick));
  S.setMstatus(io.u64('mstatus', S.mstatus)); S.setMedeleg(io.u64('medeleg', S.medeleg)); S.setMideleg(io.u64('mideleg', S.mideleg));
  S.setMie(io.u64('mie', S.mie)); S.setMipSw(io.u64('mip (software bits)', S.mipSw)); S.setMipLines(io.u64('mip (interrupt lines)', S.mipLines));
  S.setMtvec(io.u64('mtvec', S.mtvec)); S.setMscratch(io.u64('mscratch', S.mscratch)); S.setMepc(io.u64('mepc', S.mepc));
  S.setMcause(io.u64('mcause', S.mcause)); S.setMtval(io.u64('mtval', S.mtval));
  S.setMcounteren(io.u32('mcounteren', S.mcounteren)); S.setMcountinhibit(io.u32('mcountinhibit', S.mcountinhibit));
  S.setMenvcfg(io.u64('menvcfg', S.menvcfg));
  S.setStvec(io.u64('stvec', S.stvec)); S.setSscratch(io.u64('sscratch', S.sscratch)); S.setSepc(io.u64('sepc', S.sepc));
  S.setScause(io.u64('scause', S.scause)); S.setStval(io.u64('stval', S.stval));
  S.setScounteren(io.u32('scounteren', S.scounteren)); S.setSenvcfg(io.u64('senvcfg', S.senvcfg));
  S.setSatp(io.u64('satp', S.satp)); S.setStimecmp(io.u64('stimecmp', S.stimecmp));
  S.setFrm(io.u32('frm', S.frm)); S.setFflags(io.u32('fflags', S.fflags));
  S.setMcycleOffset(io.u64('mcycle offset', S.mcycleOffset)); S.setMinstretOffset(io.u64('minstret offset', S.minstretOffset));
  setWaiting(io.bool('WFI waiting', waitingForInterrupt));
  const resValid = io.bool('LR reservation valid', reservationValid);
  setReservation(resValid, io.u64('LR reservation address', reservationAddr));
  for (let i = 0; i < PMP_COUNT; i++) store<u8>(pmpCfgPtr() + i, io.u8(PMPCFG_NAMES[i], load<u8>(pmpCfgPtr() + i)));
  for (let i = 0; i < PMP_COUNT; i++) store<u64>(pmpAddrPtr() + i * 8, io.u64(PMPADDR_NAMES[i], load<u64>(pmpAddrPtr() + i * 8)));
  if (io.failed()) return true;
  devicesState(io);
  io.tag('END ', 'end marker');
  return true;
}

const saver = new StateSaver();
const loader = new StateLoader();

export function saveState(): u32 {
  saver.w.pos = 0;
  stateFields(saver);
  return <u32>saver.w.pos;
}

/** Loads a state written by saveState into stateBuf. 0 on success, else the tag (or 1: bad header) that failed. */
export function loadState(len: u32): u32 {
  const r = loader.r;
  r.restart(len);
  if (!stateFields(loader) && !r.failed) return 1;
  if (r.failed) return r.failedTag != 0 ? r.failedTag : 1;
  timersUpdate();
  S.clearStopRequest();
  S.requestInterruptCheck();
  tlbFlush();
  mmuContextChanged();
  jitFlush(); // the host wrote RAM directly (a snapshot's pages)
  return 0;
}

/** Describes the state blob (stateFields) as a JSON list into `out`. */
export function describeState(out: JsonText): void {
  out.list('[');
  stateFields(new StateDescriber(out));
  out.raw(']');
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

