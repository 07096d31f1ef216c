// The physical memory map for MMIO (DESIGN.md section 2, constants.ts): which
// device answers a physical address outside RAM. RAM itself is served by the
// MMU fast path; the CPU calls busRead/busWrite for everything else and turns
// busFault into an access fault (Privileged spec 3.7: PMA, "vacant" regions).
//
// Device instances are allocated once, at module init, by their own modules.
import {
  TEST_BASE, TEST_SIZE, CLINT_BASE, CLINT_SIZE, PLIC_BASE, PLIC_SIZE, UART0_BASE, UART0_SIZE,
  VIRTIO_BASE, VIRTIO_STRIDE, VIRTIO_SLOTS, VIRTIO_IRQ0, VIRTIO_SLOT_BLK, VIRTIO_SLOT_RNG,
} from './constants';
import { StateWriter, StateReader } from './serialize';
import { sifiveTest } from './devices/sifive-test';
import { clint, timersUpdate } from './devices/clint';
import { plic } from './devices/plic';
import { uart } from './devices/uart';
import { VirtioMmio, VirtioEmpty, VirtioBackend } from './devices/virtio-mmio';
import { virtioBlk } from './devices/virtio-blk';
import { virtioRng } from './devices/virtio-rng';

export { nextTimerTick, timersUpdate, mtimeNow } from './devices/clint';

const virtioEmpty = new VirtioEmpty();

function makeVirtioSlots(): StaticArray<VirtioMmio> {
  const slots = new StaticArray<VirtioMmio>(VIRTIO_SLOTS);
  for (let i: u32 = 0; i < VIRTIO_SLOTS; i++) {
    let backend: VirtioBackend = virtioEmpty;
    if (i == VIRTIO_SLOT_BLK) backend = virtioBlk;
    else if (i == VIRTIO_SLOT_RNG) backend = virtioRng;
    slots[i] = new VirtioMmio(i, VIRTIO_IRQ0 + i, backend);
  }
  return slots;
}

export const virtioSlots = makeVirtioSlots();

/** Set when an access hit no device; the CPU raises an access fault and clears it. */
export let busFault: bool = false;
export function clearBusFault(): void { busFault = false; }

/** [paddr, paddr + size) lies within [base, base + len). */
@inline function inRange(paddr: u64, size: u32, base: u64, len: u64): bool {
  return paddr >= base && paddr - base <= len - <u64>size;
}

/** Reads `size` bytes (1, 2, 4, 8) of MMIO at paddr, zero-extended. Sets busFault if nothing is there. */
export function busRead(paddr: u64, size: u32): u64 {
  if (inRange(paddr, size, UART0_BASE, UART0_SIZE)) return uart.read(<u32>(paddr - UART0_BASE), size);
  if (inRange(paddr, size, VIRTIO_BASE, VIRTIO_STRIDE * VIRTIO_SLOTS)) {
    const off = paddr - VIRTIO_BASE;
    return virtioSlots[<i32>(off / VIRTIO_STRIDE)].read(<u32>(off % VIRTIO_STRIDE), size);
  }
  if (inRange(paddr, size, CLINT_BASE, CLINT_SIZE)) return clint.read(<u32>(paddr - CLINT_BASE), size);
  if (inRange(paddr, size, PLIC_BASE, PLIC_SIZE)) return plic.read(<u32>(paddr - PLIC_BASE), size);
  if (inRange(paddr, size, TEST_BASE, TEST_SIZE)) return sifiveTest.read(<u32>(paddr - TEST_BASE), size);
  busFault = true;
  return 0;
}

/** Writes the low `size` bytes of value to MMIO at paddr. Sets busFault if nothing is there. */
export function busWrite(paddr: u64, value: u64, size: u32): void {
  if (inRange(paddr, size, UART0_BASE, UART0_SIZE)) { uart.write(<u32>(paddr - UART0_BASE), value, size); return; }
  if (inRange(paddr, size, VIRTIO_BASE, VIRTIO_STRIDE * VIRTIO_SLOTS)) {
    const off = paddr - VIRTIO_BASE;
    virtioSlots[<i32>(off / VIRTIO_STRIDE)].write(<u32>(off % VIRTIO_STRIDE), value, size);
    return;
  }
  if (inRange(paddr, size, CLINT_BASE, CLINT_SIZE)) { clint.write(<u32>(paddr - CLINT_BASE), value, size); return; }
  if (inRange(paddr, size, PLIC_BASE, PLIC_SIZE)) { plic.write(<u32>(paddr - PLIC_BASE), value, size); return; }
  if (inRange(paddr, size, TEST_BASE, TEST_SIZE)) { sifiveTest.write(<u32>(paddr - TEST_BASE), value, size); return; }
  busFault = true;
}

/** Power-on state of every device. The PLIC goes first so devices re-drive their lines into it. */
export function devicesReset(): void {
  plic.reset();
  sifiveTest.reset();
  clint.reset();
  uart.reset();
  for (let i: u32 = 0; i < VIRTIO_SLOTS; i++) virtioSlots[i].reset();
  timersUpdate();
}

/** Appends every device's state, each behind its own tag. Disk contents are not included. */
export function devicesSave(w: StateWriter): void {
  sifiveTest.save(w);
  clint.save(w);
  plic.save(w);
  uart.save(w);
  for (let i: u32 = 0; i < VIRTIO_SLOTS; i++) virtioSlots[i].save(w);
}

/**
 * Restores what devicesSave wrote; r.failed / r.failedTag name the first bad section.
 * Run it after the hart state is loaded: the timer lines depend on tick and menvcfg.
 */
export function devicesLoad(r: StateReader): void {
  sifiveTest.load(r);
  clint.load(r);
  plic.load(r);
  uart.load(r);
  for (let i: u32 = 0; i < VIRTIO_SLOTS; i++) virtioSlots[i].load(r);
  timersUpdate();
}

/** Called by the run loop after each batch: refreshes time-driven interrupt lines. */
export function devicesUpdate(): void { timersUpdate(); }
