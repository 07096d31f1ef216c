// The board (docs/design.md section 2, constants.ts): one table of the MMIO devices,
// each with its physical range, its PLIC interrupt line and its state tag, in
// address order. Everything that goes over the devices iterates it: the
// physical memory map (busRead/busWrite), reset, state save/load (the order of
// the sections in the state blob is the table's), the device tree's /soc nodes
// (dtRank: QEMU virt's node order) and the state layout the host reads
// (api/machine.ts). RAM itself is served by the MMU fast path; the CPU calls
// busRead/busWrite for everything else and turns busFault into an access fault
// (Privileged spec 3.7: PMA, "vacant" regions).
//
// Adding a device: its file under devices/ (the Device contract), a row here,
// a test under wasm/test.
import {
  TEST_BASE, TEST_SIZE, CLINT_BASE, CLINT_SIZE, PLIC_BASE, PLIC_SIZE, UART0_BASE, UART0_SIZE, UART0_IRQ,
  VIRTIO_BASE, VIRTIO_STRIDE, VIRTIO_SLOTS, VIRTIO_IRQ0, VIRTIO_SLOT_BLK, VIRTIO_SLOT_RNG,
} from './constants';
import { StateIO, JsonText } from './state-io';
import { Device, NO_IRQ } from './devices/device';
import { sifiveTest } from './devices/sifive-test';
import { clint, timersUpdate } from './devices/clint';
import { plic } from './devices/plic';
import { uart } from './devices/uart';
import { VirtioMmio, VirtioEmpty, VirtioBackend } from './devices/virtio-mmio';
import { virtioBlk } from './devices/virtio-blk';
import { virtioRng } from './devices/virtio-rng';

export { nextTimerTick, timersUpdate, mtimeNow } from './devices/clint';

/** One row of the board: a device at [base, base + size), wired to PLIC source irq. */
export class Mmio {
  constructor(
    /** Shown in divergence reports. */
    readonly name: string,
    /** Four ASCII characters before the device's section of the state blob. */
    readonly tag: string,
    readonly base: u64,
    readonly size: u64,
    readonly device: Device,
    irq: u32,
    /** Position of the device's node among the /soc children of the device tree. */
    readonly dtRank: i32,
  ) {
    device.irq = irq;
  }
}

const virtioEmpty = new VirtioEmpty();
const VIRTIO_NAMES: StaticArray<string> = ['virtio slot 0', 'virtio slot 1', 'virtio slot 2', 'virtio slot 3', 'virtio slot 4', 'virtio slot 5', 'virtio slot 6', 'virtio slot 7'];
const VIRTIO_TAGS: StaticArray<string> = ['VIO0', 'VIO1', 'VIO2', 'VIO3', 'VIO4', 'VIO5', 'VIO6', 'VIO7'];

/** virtio-mmio slot n: VIRTIO_BASE + n * VIRTIO_STRIDE, IRQ VIRTIO_IRQ0 + n; QEMU lists the slots last to first. */
function virtio(slot: u32, backend: VirtioBackend): Mmio {
  return new Mmio(VIRTIO_NAMES[slot], VIRTIO_TAGS[slot], VIRTIO_BASE + <u64>slot * VIRTIO_STRIDE, VIRTIO_STRIDE,
    new VirtioMmio(backend), VIRTIO_IRQ0 + slot, 2 + <i32>(VIRTIO_SLOTS - 1 - slot));
}

function makeBoard(): StaticArray<Mmio> {
  const rows: Mmio[] = [
    //       name           tag     base        size        device      irq        dtRank
    new Mmio('sifive_test', 'TEST', TEST_BASE, TEST_SIZE, sifiveTest, NO_IRQ, 1),
    new Mmio('CLINT', 'CLNT', CLINT_BASE, CLINT_SIZE, clint, NO_IRQ, 11),
    new Mmio('PLIC', 'PLIC', PLIC_BASE, PLIC_SIZE, plic, NO_IRQ, 10),
    new Mmio('UART', 'UART', UART0_BASE, UART0_SIZE, uart, UART0_IRQ, 0),
  ];
  for (let slot: u32 = 0; slot < VIRTIO_SLOTS; slot++) {
    rows.push(virtio(slot, slot == VIRTIO_SLOT_BLK ? virtioBlk : slot == VIRTIO_SLOT_RNG ? virtioRng : virtioEmpty));
  }
  const board = new StaticArray<Mmio>(rows.length);
  for (let i = 0; i < rows.length; i++) board[i] = rows[i];
  return board;
}

export const board = makeBoard();

/** Set when an access hit no device; the CPU raises an access fault and clears it. */
export let busFault: bool = false;
export function clearBusFault(): void { busFault = false; }

/** The row whose range holds [paddr, paddr + size), or null. */
function deviceAt(paddr: u64, size: u32): Mmio | null {
  for (let i = 0, n = board.length; i < n; i++) {
    const row = unchecked(board[i]);
    if (paddr >= row.base && paddr - row.base <= row.size - <u64>size) return row;
  }
  return null;
}

/** Reads `size` bytes (1, 2, 4, 8) of MMIO at paddr, zero-extended. Sets busFault if nothing is there. */
export function busRead(paddr: u64, size: u32): u64 {
  const row = deviceAt(paddr, size);
  if (row == null) { busFault = true; return 0; }
  return row.device.read(<u32>(paddr - row.base), size);
}

/** Writes the low `size` bytes of value to MMIO at paddr. Sets busFault if nothing is there. */
export function busWrite(paddr: u64, value: u64, size: u32): void {
  const row = deviceAt(paddr, size);
  if (row == null) { busFault = true; return; }
  row.device.write(<u32>(paddr - row.base), value, size);
}

/** Power-on state of every device, in table order: the PLIC comes before the devices that drive its lines. */
export function devicesReset(): void {
  for (let i = 0; i < board.length; i++) board[i].device.reset();
  timersUpdate();
}

/**
 * Every device's state section, each behind its tag (machine.ts stateFields).
 * Disk contents are not included. Loading it must follow the hart state:
 * loadState then refreshes the timer lines, which depend on tick and menvcfg.
 */
export function devicesState(io: StateIO): void {
  for (let i = 0; i < board.length; i++) {
    if (io.tag(board[i].tag, board[i].name)) io.device(board[i].device, board[i].name);
  }
}

/** The board table as a JSON list of {name, tag, base, size, irq} into `out`. */
export function describeBoard(out: JsonText): void {
  out.list('[');
  for (let i = 0; i < board.length; i++) {
    const row = board[i];
    out.open('{"name":'); out.str(row.name);
    out.raw(',"tag":'); out.str(row.tag);
    out.raw(',"base":'); out.hex(row.base);
    out.raw(',"size":'); out.hex(row.size);
    out.raw(',"irq":'); out.int(row.device.irq);
    out.raw('}');
  }
  out.raw(']');
}

/** Writes every device's node under /soc, in dtRank order (rows of equal rank in table order). */
export function devicesDtNodes(): void {
  let last: i32 = i32.MIN_VALUE;
  for (;;) {
    let next: i32 = i32.MAX_VALUE;
    for (let i = 0; i < board.length; i++) if (board[i].dtRank > last && board[i].dtRank < next) next = board[i].dtRank;
    if (next == i32.MAX_VALUE) return;
    for (let i = 0; i < board.length; i++) {
      const row = board[i];
      if (row.dtRank == next) row.device.dtNode(row.base, row.size);
    }
    last = next;
  }
}

/** Called by the run loop after each batch: refreshes time-driven interrupt lines. */
export function devicesUpdate(): void { timersUpdate(); }
