// Exports for the devices (console I/O, disk, rng seed, device tree, device tests).
// Plain numbers and pointers only (raw bindings: u64 arrives as BigInt).
import { busRead, busWrite, busFault, clearBusFault, devicesReset, devicesState, devicesUpdate, nextTimerTick, timersUpdate } from '../bus';
import { stateBuf } from '../serialize';
import { StateSaver, StateLoader } from '../state-io';
import { setTick, mipLines, stopRequested, stopReasonRequested, clearStopRequest, setMenvcfg, setStimecmp } from '../state';
import { ramInit, ramHost, dirtyMap } from '../ram';
import { diskAllocate, diskHost, diskBytes, diskDirty, diskBlockCount, diskClearDirtyMap } from '../devices/virtio-blk';
import { rngSetSeed } from '../devices/virtio-rng';
import { sifiveTest } from '../devices/sifive-test';
import { plicSetLevel } from '../devices/plic';
import { fdtBuildBlob, fdtBlob } from '../fdt';

export { consoleInput, consoleInputPending, consoleOutputPtr, consoleOutputLength, consoleOutputClear } from '../devices/uart';

// ---- disk (virtio-blk)
export function diskAlloc(sizeBytes: u32): usize { return diskAllocate(sizeBytes); }
export function diskPtr(): usize { return diskHost; }
export function diskSize(): u64 { return diskBytes; }
export function diskDirtyMapPtr(): usize { return diskDirty; }
export function diskBlocks(): u32 { return diskBlockCount; }
export function diskClearDirty(): void { diskClearDirtyMap(); }

// ---- entropy (virtio-rng)
export function rngSeed(lo: u64, hi: u64): void { rngSetSeed(lo, hi); }

// ---- poweroff
/** Exit code of the guest's last sifive_test FAIL (0 for PASS or none). */
export function powerOffCode(): u32 { return sifiveTest.exitCode; }

// ---- all devices
export function devicesResetAll(): void { devicesReset(); }

// ---- test helpers
export function mmioRead(paddr: u64, size: u32): u64 { clearBusFault(); return busRead(paddr, size); }
export function mmioWrite(paddr: u64, value: u64, size: u32): void { clearBusFault(); busWrite(paddr, value, size); }
export function mmioFault(): bool { return busFault; }
export function testSetTick(t: u64): void { setTick(t); devicesUpdate(); }
export function testSetMenvcfg(v: u64): void { setMenvcfg(v); }
export function testSetStimecmp(v: u64): void { setStimecmp(v); }
export function testDevicesUpdate(): void { devicesUpdate(); }
export function testNextTimerTick(): u64 { return nextTimerTick(); }
export function testMipLines(): u64 { return mipLines; }
/** The stop reason a device requested, or -1 if none. */
export function testStopReason(): i32 { return stopRequested ? <i32>stopReasonRequested : -1; }
export function testClearStop(): void { clearStopRequest(); }
/** Allocates guest RAM (tests only; the machine's own init does this for real runs). Returns the host address of RAM_BASE. */
export function testRamInit(bytes: u32): usize { ramInit(<u64>bytes); return ramHost; }
export function testRamDirtyMapPtr(): usize { return dirtyMap; }
export function testStateBufPtr(): usize { return stateBuf; }
const testSaver = new StateSaver();
const testLoader = new StateLoader();
/** The device sections of the state into the state buffer; returns their length. */
export function testDevicesSave(): u32 { testSaver.w.pos = 0; devicesState(testSaver); return <u32>testSaver.w.pos; }
/** Loads device sections from the first `len` bytes of the state buffer; returns 0 or the expected tag of the first bad section. */
export function testDevicesLoad(len: u32): u32 {
  const r = testLoader.r;
  r.restart(<usize>len);
  devicesState(testLoader);
  timersUpdate();
  return r.failed ? (r.failedTag != 0 ? r.failedTag : 1) : 0;
}

// ---- device tree
/** Builds the device tree blob; returns its length (0 if it does not fit). Read it at fdtPtr(). */
export function fdtBuild(ramSize: u64, cmdlinePtr: usize, cmdlineLen: u32, initrdStart: u64, initrdEnd: u64,
  rngSeedPtr: usize, rngSeedLen: u32): u32 {
  return fdtBuildBlob(ramSize, cmdlinePtr, cmdlineLen, initrdStart, initrdEnd, rngSeedPtr, rngSeedLen);
}
export function fdtPtr(): usize { return fdtBlob; }
const FDT_INPUT_CAPACITY: u32 = 8 * 1024;
const fdtInput = memory.data(FDT_INPUT_CAPACITY);
/** Scratch space (fdtInputCapacity() bytes) where the host may put the command line and rng seed it passes to fdtBuild. */
export function fdtInputPtr(): usize { return fdtInput; }
export function fdtInputCapacity(): u32 { return FDT_INPUT_CAPACITY; }
export function testPlicSetLevel(irq: u32, level: bool): void { plicSetLevel(irq, level); }
