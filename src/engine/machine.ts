// The typed wrapper over the machine's wasm exports. Every host (Web Worker,
// worker_thread, CLI) uses this class; it never touches host APIs itself.
import { PrnrError } from '../shared/errors';
import {
  FIRMWARE_ADDR, HOOK_SATP, HOOK_SYSCALL, HOOK_SYSRET, HOOK_WATCH_RANGES, HOOK_WRITE, HOOK_WRITE_AMO, HOOK_WRITE_DMA, HOOK_WRITE_STORE, HOOK_WRITE_WALK, KERNEL_ADDR, MACHINE_API_VERSION, PAGE_SIZE, PAGE_SIZE_LOG2, RAM_BASE, StopReason,
  WALK_INVALID_PTE, WALK_MISALIGNED_SUPERPAGE, WALK_NOT_CANONICAL, WALK_NO_LEAF, WALK_OK, WALK_PTE_OUTSIDE_RAM, WALK_RESERVED_BITS, WALK_SATP_MODE,
} from '../shared/machine-constants';
import type { MachineExports } from '../../wasm/exports';
import type { WriteSource } from '../shared/analysis';
import { Jit, type JitOptions, type JitStats } from './jit/jit';

export type { MachineExports };
export { MACHINE_API_VERSION, StopReason };

const STOP_NAMES = Object.fromEntries(Object.entries(StopReason).map(([k, v]) => [v, k])) as Record<number, string>;
export function stopReasonName(reason: number): string {
  return STOP_NAMES[reason] ?? `unknown(${reason})`;
}

/** Everything a boot needs; the images are given as bytes so the wrapper stays host-neutral. */
export interface BootConfig {
  ramBytes: number;
  firmware: Uint8Array;
  kernel: Uint8Array;
  initrd?: Uint8Array;
  disk?: Uint8Array;
  cmdline: string;
  /** Seeds virtio-rng and the device tree's /chosen/rng-seed (docs/design.md: entropy from a recorded seed). */
  entropySeed: bigint;
}

const MiB = 1024 * 1024;
// Physical addresses are numbers on this side (RAM ends far below 2^53).
const ramBase = Number(RAM_BASE);
const firmwareAddr = Number(FIRMWARE_ADDR);
const kernelAddr = Number(KERNEL_ADDR);

/**
 * Where QEMU virt puts the initrd and the device tree (hw/riscv/boot.c):
 * initrd at kernel + min(ram / 2, 128 MiB), the DTB 2 MiB-aligned below the top of RAM.
 */
export function bootLayout(ramBytes: number, initrdBytes: number, fdtBytes: number): { initrd: number; fdt: number } {
  const initrd = kernelAddr + Math.min(ramBytes / 2, 128 * MiB);
  const fdt = Math.floor((ramBase + ramBytes - fdtBytes) / (2 * MiB)) * 2 * MiB;
  if (initrd + initrdBytes > fdt) {
    throw new PrnrError('BOOT_LAYOUT', `initrd of ${initrdBytes} bytes does not fit below the device tree in ${ramBytes / MiB} MiB of RAM`);
  }
  return { initrd, fdt };
}

/** Where a guest virtual address lives (Machine.translate). */
export interface Translation {
  paddr: bigint;
  /** The leaf's page size: 4 KiB, 2 MiB or 1 GiB (4 KiB in Bare mode). */
  pageBytes: bigint;
  /** The leaf PTE (flags in bits 7..0); 0 in Bare mode. */
  pte: bigint;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

function translateError(status: number, vaddr: bigint, satp: bigint, level: number, pteAddr: bigint, pte: bigint): PrnrError {
  const entry = `level ${level} PTE 0x${pte.toString(16)} at ${hex(pteAddr)}`;
  switch (status) {
    case WALK_SATP_MODE: return new PrnrError('SATP_MODE', `satp ${hex(satp)} names mode ${satp >> 60n}, neither Bare nor Sv39`);
    case WALK_NOT_CANONICAL: return new PrnrError('PAGE_FAULT', `${hex(vaddr)} is not a canonical Sv39 address`);
    case WALK_PTE_OUTSIDE_RAM: return new PrnrError('ACCESS_FAULT', `the level ${level} page-table entry for ${hex(vaddr)} would be at ${hex(pteAddr)}, outside RAM`);
    case WALK_INVALID_PTE: return new PrnrError('PAGE_FAULT', `${hex(vaddr)} is not mapped (${entry} is not valid)`);
    case WALK_RESERVED_BITS: return new PrnrError('PAGE_FAULT', `${hex(vaddr)} is not mapped (${entry} sets reserved bits)`);
    case WALK_NO_LEAF: return new PrnrError('PAGE_FAULT', `${hex(vaddr)} is not mapped (${entry} points to a fourth level)`);
    case WALK_MISALIGNED_SUPERPAGE: return new PrnrError('PAGE_FAULT', `${hex(vaddr)} is not mapped (${entry} is a misaligned superpage)`);
    default: return new PrnrError('PAGE_FAULT', `${hex(vaddr)} does not translate (walk status ${status})`);
  }
}

/** A hook event (wasm/assembly/hooks.ts), at the tick it happened. */
export type HookEvent =
  /** ecall from U-mode, as the trap is entered: the syscall number (a7), its arguments (a0..a5), satp and sscratch (Linux: the task). */
  | { kind: 'syscall'; tick: bigint; pc: bigint; nr: bigint; args: bigint[]; satp: bigint; sscratch: bigint }
  /** sret to U-mode: a0 (a syscall's result). */
  | { kind: 'sysret'; tick: bigint; a0: bigint }
  /** A satp write that took effect (an address-space switch, or the same space again). */
  | { kind: 'satp'; tick: bigint; old: bigint; new: bigint }
  | MachineWrite;

/**
 * A write overlapping a watched physical range (Machine.setWatches), by the
 * instruction at `pc` that ended at `tick` (a device's DMA: the store that
 * notified it): `size` bytes at `paddr`, as they were before (unknown for DMA,
 * whose old bytes the host keeps itself) and after. `priv` is the hart's.
 */
export interface MachineWrite {
  kind: 'write';
  tick: bigint;
  pc: bigint;
  priv: number;
  paddr: bigint;
  source: WriteSource;
  old?: Uint8Array;
  new: Uint8Array;
}

/** HOOK_WRITE_* in the event's info word. */
const WRITE_SOURCES: Record<number, WriteSource> = { [HOOK_WRITE_STORE]: 'store', [HOOK_WRITE_AMO]: 'amo', [HOOK_WRITE_DMA]: 'dma', [HOOK_WRITE_WALK]: 'walk' };

/** The low `size` bytes of a little-endian word. */
function wordBytes(word: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = Number((word >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** Decodes one event; `words` counts its payload, `w(i)` its i-th word and `bytes(i, n)` n bytes from word i. */
function decodeHookEvent(kind: number, words: number, w: (i: number) => bigint, bytes: (i: number, n: number) => Uint8Array): HookEvent {
  switch (kind) {
    case HOOK_SYSCALL: return { kind: 'syscall', tick: w(0), pc: w(1), nr: w(2), args: [w(3), w(4), w(5), w(6), w(7), w(8)], satp: w(9), sscratch: w(10) };
    case HOOK_SYSRET: return { kind: 'sysret', tick: w(0), a0: w(1) };
    case HOOK_SATP: return { kind: 'satp', tick: w(0), old: w(1), new: w(2) };
    case HOOK_WRITE: {
      const info = Number(w(3));
      const size = info & 0xffff;
      const source = WRITE_SOURCES[info >>> 24];
      const dataWords = source === 'dma' ? Math.ceil(size / 8) : 2;
      if (source === undefined || size === 0 || words !== 4 + dataWords || (source !== 'dma' && size > 8)) {
        throw new PrnrError('HOOK_EVENT', `malformed write event (info 0x${info.toString(16)}, ${words} words)`);
      }
      const head = { kind: 'write' as const, tick: w(0), pc: w(1), priv: (info >> 16) & 3, paddr: w(2), source };
      return source === 'dma' ? { ...head, new: bytes(4, size) } : { ...head, old: wordBytes(w(4), size), new: wordBytes(w(5), size) };
    }
    default: throw new PrnrError('HOOK_EVENT', `unknown hook event kind ${kind}`);
  }
}

/** A guest physical range. */
export interface PhysRange {
  paddr: bigint;
  length: number;
}

/** Overlapping and adjacent ranges as one, in address order. */
export function coalesceRanges(ranges: readonly PhysRange[]): PhysRange[] {
  const sorted = [...ranges].sort((a, b) => (a.paddr < b.paddr ? -1 : a.paddr > b.paddr ? 1 : 0));
  const out: PhysRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.paddr <= last.paddr + BigInt(last.length)) {
      const end = r.paddr + BigInt(r.length);
      if (end > last.paddr + BigInt(last.length)) last.length = Number(end - last.paddr);
    } else out.push({ ...r });
  }
  return out;
}

/** How a machine runs: the JIT (docs/design.md 2) never changes what it computes, only how fast. */
export interface MachineOptions {
  /** Translate hot guest code to wasm (default: jitDefault). false runs the interpreter only. */
  jit?: boolean | JitOptions;
}

let jitDefaultSetting: boolean = ((): boolean => {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.PRNR_JIT;
  if (env === '0') return false;
  if (env === '1') return true;
  return true;
})();

/** Whether machines use the JIT when their options do not say: PRNR_JIT=0 or =1 in the environment, else on. */
export function jitDefault(): boolean {
  return jitDefaultSetting;
}

/** Sets jitDefault() for this thread (the CLI's --no-jit, an engine's option). */
export function setJitDefault(on: boolean): void {
  jitDefaultSetting = on;
}

export interface Registers {
  pc: bigint;
  priv: number;
  x: bigint[];
  f: bigint[];
}

export class Machine {
  private constructor(private readonly exports: MachineExports, private readonly jit: Jit, readonly jitEnabled: boolean) {}

  /** Instantiates a compiled machine module (compile once per host, instantiate per machine). */
  static async create(module: WebAssembly.Module, options: MachineOptions = {}): Promise<Machine> {
    const jit = new Jit();
    const instance = await WebAssembly.instantiate(module, {
      env: {
        abort(_msg: number, _file: number, line: number, column: number): never {
          throw new PrnrError('MACHINE_ABORT', `machine aborted at ${line}:${column}`);
        },
        jitCompile: jit.compileImport,
      },
    });
    const exports = instance.exports as unknown as MachineExports;
    const version = exports.apiVersion();
    if (version !== MACHINE_API_VERSION) {
      throw new PrnrError('MACHINE_VERSION', `machine.wasm has API version ${version}, expected ${MACHINE_API_VERSION}; rebuild with npm run build:wasm`);
    }
    const setting = options.jit ?? jitDefault();
    const on = setting !== false;
    jit.attach(exports, on, typeof setting === 'object' ? setting : {});
    return new Machine(exports, jit, on);
  }

  /** What the JIT translated and how long it took (all zero with the JIT off). */
  jitStats(): JitStats {
    return this.jit.stats();
  }

  /** Drops every translation: call after writing guest code into RAM other than through writePhys or loadState. */
  invalidateCode(): void {
    this.exports.jitFlush();
  }

  get apiVersion(): number {
    return this.exports.apiVersion();
  }

  /** A view of linear memory (re-read each time: memory may have grown). */
  private bytes(): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer);
  }

  private ramBytes = 0;

  /** Resets the machine and lays out firmware, kernel, initrd, disk and device tree as QEMU virt does. */
  boot(config: BootConfig): void {
    const e = this.exports;
    if (this.ramBytes === 0) {
      e.init(BigInt(config.ramBytes));
      this.ramBytes = config.ramBytes;
    } else if (this.ramBytes !== config.ramBytes) {
      throw new PrnrError('BOOT_CONFIG', `this machine has ${this.ramBytes} bytes of RAM; a boot with ${config.ramBytes} needs a new machine`);
    } else {
      e.reset();
      this.bytes().fill(0, e.ramHostPtr(), e.ramHostPtr() + this.ramBytes);
    }
    if (kernelAddr - firmwareAddr < config.firmware.length) throw new PrnrError('BOOT_LAYOUT', 'firmware overlaps the kernel');
    this.writePhys(firmwareAddr, config.firmware);
    this.writePhys(kernelAddr, config.kernel);
    const seed = new Uint8Array(32);
    const seedView = new DataView(seed.buffer);
    let s = config.entropySeed;
    for (let i = 0; i < 4; i++) {
      s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
      seedView.setBigUint64(i * 8, s, true);
    }
    e.rngSeed(seedView.getBigUint64(0, true), seedView.getBigUint64(8, true));
    const initrdBytes = config.initrd?.length ?? 0;
    const cmdline = asciiBytes(config.cmdline);
    if (cmdline.length + seed.length > e.fdtInputCapacity()) throw new PrnrError('BOOT_CONFIG', 'kernel command line too long');
    const input = e.fdtInputPtr();
    this.bytes().set(cmdline, input);
    this.bytes().set(seed, input + cmdline.length);
    // The initrd's place does not depend on the device tree; the tree names the initrd range, so it is built
    // first, then placed by its real size (the probe only checks that the initrd fits).
    const probe = bootLayout(config.ramBytes, initrdBytes, 64 * 1024);
    const initrdStart = BigInt(probe.initrd);
    const initrdEnd = BigInt(probe.initrd + initrdBytes);
    const fdtLen = e.fdtBuild(BigInt(config.ramBytes), input, cmdline.length, initrdBytes ? initrdStart : 0n, initrdBytes ? initrdEnd : 0n, input + cmdline.length, seed.length);
    if (fdtLen === 0) throw new PrnrError('BOOT_CONFIG', 'device tree does not fit');
    const layout = bootLayout(config.ramBytes, initrdBytes, fdtLen);
    if (config.initrd) this.writePhys(layout.initrd, config.initrd);
    this.writePhys(layout.fdt, this.bytes().slice(e.fdtPtr(), e.fdtPtr() + fdtLen));
    if (config.disk) {
      const ptr = e.diskAlloc(config.disk.length);
      if (ptr === 0) throw new PrnrError('BOOT_CONFIG', 'disk image too large');
      this.bytes().set(config.disk, ptr);
      e.diskClearDirty();
    }
    e.setBootRegisters(FIRMWARE_ADDR, 0n, BigInt(layout.fdt));
  }

  /** Runs until untilTick, or earlier with the reason. */
  run(untilTick: bigint): StopReason {
    return this.exports.run(untilTick) as StopReason;
  }

  get tick(): bigint {
    return u64(this.exports.getTick());
  }

  /** Instructions executed since boot: tick minus the ticks spent idle in WFI. */
  get instructions(): bigint {
    return u64(this.exports.getTick()) - u64(this.exports.getIdleTicks());
  }

  get waiting(): boolean {
    return this.exports.isWaiting() !== 0;
  }

  /** Takes the console bytes the guest wrote since the last call. */
  drainConsole(): Uint8Array {
    const e = this.exports;
    const n = e.consoleOutputLength();
    if (n === 0) return new Uint8Array(0);
    const ptr = e.consoleOutputPtr();
    const out = this.bytes().slice(ptr, ptr + n);
    e.consoleOutputClear();
    return out;
  }

  /** Queues console input bytes for the UART; returns how many were accepted. */
  typeInput(bytes: Uint8Array): number {
    let n = 0;
    for (const b of bytes) {
      if (!this.exports.consoleInput(b)) break;
      n++;
    }
    return n;
  }

  get pendingInput(): number {
    return this.exports.consoleInputPending();
  }

  get powerOffCode(): number {
    return this.exports.powerOffCode();
  }

  /** Integer register x`i`, f`i`, pc and privilege alone (a search that steps reads one per tick). */
  x(i: number): bigint {
    return u64(this.exports.getX(i));
  }

  f(i: number): bigint {
    return u64(this.exports.getF(i));
  }

  get pc(): bigint {
    return u64(this.exports.getPc());
  }

  get priv(): number {
    return this.exports.getPriv();
  }

  registers(): Registers {
    const e = this.exports;
    const x: bigint[] = [];
    const f: bigint[] = [];
    for (let i = 0; i < 32; i++) {
      x.push(u64(e.getX(i)));
      f.push(u64(e.getF(i)));
    }
    return { pc: u64(e.getPc()), priv: e.getPriv(), x, f };
  }

  /** The value of a CSR, read without access checks or side effects; undefined if the hart has no such CSR. */
  csr(num: number): bigint | undefined {
    const e = this.exports;
    return e.csrExists(num) ? u64(e.debugReadCsr(num)) : undefined;
  }

  /**
   * Guest virtual to physical under `satp` (default: the hart's), as the hart's
   * own Sv39 walk finds it but with no permission checks and no side effects.
   * Bare mode maps identically. Throws PrnrError PAGE_FAULT (no mapping),
   * ACCESS_FAULT (a page-table entry lies outside RAM) or SATP_MODE.
   */
  translate(vaddr: bigint, satp?: bigint): Translation {
    const e = this.exports;
    const satpValue = satp ?? this.csr(0x180)!;
    const paddr = u64(e.translate(vaddr, satpValue));
    const status = e.translateStatus();
    const level = e.translateLevel();
    const pte = u64(e.translatePte());
    if (status !== WALK_OK) throw translateError(status, BigInt.asUintN(64, vaddr), satpValue, level, u64(e.translatePteAddr()), pte);
    return { paddr, pageBytes: 1n << BigInt(PAGE_SIZE_LOG2 + 9 * level), pte };
  }

  /** `length` bytes of guest virtual memory at `vaddr` under `satp` (default: the hart's), page by page through translate(). */
  readVirt(vaddr: bigint, length: number, satp?: bigint): Uint8Array {
    const satpValue = satp ?? this.csr(0x180)!;
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const va = BigInt.asUintN(64, vaddr + BigInt(done));
      const { paddr } = this.translate(va, satpValue);
      const n = Math.min(Number(PAGE_SIZE - (va % PAGE_SIZE)), length - done);
      out.set(this.readPhys(Number(paddr), n), done);
      done += n;
    }
    return out;
  }

  /**
   * Records the hook events of the kinds in `mask` (HOOK_SYSCALL | HOOK_SYSRET | HOOK_SATP | HOOK_WRITE from
   * shared/machine-constants; 0, the default, records none). Hooks change no machine state; run()
   * returns StopReason.hooks when the buffer is nearly full. Drain after every run.
   */
  setHooks(mask: number): void {
    this.exports.setHookMask(mask);
  }

  /**
   * Watches these physical ranges (replacing any watched before): with HOOK_WRITE in the hook
   * mask, every store, AMO and DMA write overlapping one is a 'write' event (wasm/assembly/hooks.ts).
   * Overlapping ranges are watched as one. Throws PHYS_RANGE for a range outside RAM, HOOK_WATCH
   * for more than HOOK_WATCH_RANGES. Changes no machine state.
   */
  setWatches(ranges: readonly PhysRange[]): void {
    const merged = coalesceRanges(ranges);
    for (const r of merged) {
      if (r.length <= 0 || !Number.isInteger(r.length)) throw new PrnrError('HOOK_WATCH', `a watched range needs a positive length, got ${r.length}`);
      this.ramOffset(Number(r.paddr), r.length);
    }
    if (merged.length > HOOK_WATCH_RANGES) throw new PrnrError('HOOK_WATCH', `${merged.length} separate watched ranges; the machine watches at most ${HOOK_WATCH_RANGES}`);
    this.exports.hookWatchClear();
    for (const r of merged) {
      if (!this.exports.hookWatchAdd(r.paddr, BigInt(r.length))) throw new PrnrError('HOOK_WATCH', `the machine refused to watch 0x${r.paddr.toString(16)}+${r.length}`);
    }
  }

  /** Takes the hook events recorded since the last drain, oldest first. Throws HOOK_OVERFLOW if some were lost. */
  drainHooks(): HookEvent[] {
    const e = this.exports;
    const dropped = e.hookEventsDropped();
    const bytes = e.hookBufferLength();
    const view = new DataView(e.memory.buffer, e.hookBufferPtr(), bytes);
    const events: HookEvent[] = [];
    for (let at = 0; at < bytes; ) {
      const header = view.getUint32(at, true);
      const words = (header >> 8) & 0xff;
      if (words === 0) throw new PrnrError('HOOK_EVENT', `malformed hook event at byte ${at} of the buffer`);
      const payload = at + 8;
      const bytes = (i: number, n: number) => new Uint8Array(view.buffer.slice(view.byteOffset + payload + i * 8, view.byteOffset + payload + i * 8 + n));
      events.push(decodeHookEvent(header & 0xff, words - 1, (i) => view.getBigUint64(payload + i * 8, true), bytes));
      at += words * 8;
    }
    e.hookBufferClear();
    if (dropped > 0) throw new PrnrError('HOOK_OVERFLOW', `${dropped} hook events were lost: drain after every run (StopReason.hooks)`);
    return events;
  }

  readPhys(paddr: number, length: number): Uint8Array {
    const off = this.ramOffset(paddr, length);
    return this.bytes().slice(off, off + length);
  }

  /** Writes guest RAM from the host; the pages count as dirty, like the guest's own writes. */
  writePhys(paddr: number, data: Uint8Array): void {
    const off = this.ramOffset(paddr, data.length);
    this.bytes().set(data, off);
    this.exports.markDirtyPhys(BigInt(paddr), BigInt(data.length));
  }

  private ramOffset(paddr: number, length: number): number {
    const size = Number(this.exports.ramBytes());
    if (paddr < ramBase || paddr + length > ramBase + size) {
      throw new PrnrError('PHYS_RANGE', `physical range 0x${paddr.toString(16)}+${length} is outside RAM`);
    }
    return this.exports.ramHostPtr() + (paddr - ramBase);
  }

  /** The full CPU and device state (not RAM), as written by the machine. */
  saveState(): Uint8Array {
    const e = this.exports;
    const len = e.saveState();
    const ptr = e.stateBufferPtr();
    return this.bytes().slice(ptr, ptr + len);
  }

  loadState(state: Uint8Array): void {
    const e = this.exports;
    if (state.length > e.stateBufferCapacity()) throw new PrnrError('STATE_INVALID', 'machine state too large');
    this.bytes().set(state, e.stateBufferPtr());
    const failed = e.loadState(state.length);
    if (failed !== 0) {
      const tag = failed === 1 ? 'header' : String.fromCharCode(failed & 0xff, (failed >> 8) & 0xff, (failed >> 16) & 0xff, failed >>> 24).trim();
      throw new PrnrError('STATE_INVALID', `machine state does not load: section ${tag} is missing or malformed`);
    }
    this.jit.restored(); // cached translations of the pages RAM holds come back at their first execution
  }

  /** A 64-bit hash over CPU, devices and all of RAM (determinism checks). */
  stateHash(): bigint {
    return u64(this.exports.stateHash());
  }

  /** Guest RAM as a live view (valid until the next call into the machine that may grow memory). */
  ramView(): Uint8Array {
    const e = this.exports;
    return new Uint8Array(this.exports.memory.buffer, e.ramHostPtr(), Number(e.ramBytes()));
  }

  dirtyPages(): Uint8Array {
    const e = this.exports;
    return new Uint8Array(this.exports.memory.buffer, e.dirtyMapPtr(), e.ramPageCount());
  }

  clearDirtyPages(): void {
    this.exports.clearDirtyPages();
  }

  /** The virtio disk's in-memory copy (the image is never written) as a live view; empty without a disk. */
  diskView(): Uint8Array {
    const e = this.exports;
    return new Uint8Array(e.memory.buffer, e.diskPtr(), Number(e.diskSize()));
  }

  /** One byte per 4 KiB disk block: non-zero if written since clearDirtyDiskBlocks() (live view). */
  dirtyDiskBlocks(): Uint8Array {
    const e = this.exports;
    return new Uint8Array(e.memory.buffer, e.diskDirtyMapPtr(), e.diskBlocks());
  }

  clearDirtyDiskBlocks(): void {
    this.exports.diskClearDirty();
  }
}

/** The machine's u64 results arrive as signed bigints (raw bindings): every one the class returns goes through here. */
function u64(v: bigint): bigint {
  return BigInt.asUintN(64, v);
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e || c < 0x20) throw new PrnrError('BOOT_CONFIG', 'kernel command line must be printable ASCII');
    out[i] = c;
  }
  return out;
}

/** Runs exactly to `tick` (headless: console output is drained and dropped); stops early only at poweroff. */
export function runToTick(machine: Machine, tick: bigint): void {
  while (machine.tick < tick) {
    const reason = machine.run(tick);
    machine.drainConsole();
    if (reason === StopReason.poweroff || reason === StopReason.reboot) return;
  }
}
