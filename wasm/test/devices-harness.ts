// Loads wasm/build/machine.wasm for the device tests (wasm/assembly/api/devices.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface DeviceExports {
  memory: WebAssembly.Memory;
  init?(ramBytes: bigint): void;
  testRamInit(bytes: number): number;
  devicesResetAll(): void;
  mmioRead(paddr: bigint, size: number): bigint;
  mmioWrite(paddr: bigint, value: bigint, size: number): void;
  mmioFault(): number;
  consoleInput(byte: number): number;
  consoleInputPending(): number;
  consoleOutputPtr(): number;
  consoleOutputLength(): number;
  consoleOutputClear(): void;
  diskAlloc(sizeBytes: number): number;
  diskPtr(): number;
  diskSize(): bigint;
  diskDirtyMapPtr(): number;
  diskBlocks(): number;
  diskClearDirty(): void;
  rngSeed(lo: bigint, hi: bigint): void;
  powerOffCode(): number;
  fdtBuild(ramSize: bigint, cmdlinePtr: number, cmdlineLen: number, initrdStart: bigint, initrdEnd: bigint, rngSeedPtr: number, rngSeedLen: number): number;
  fdtPtr(): number;
  fdtInputPtr(): number;
  testSetTick(t: bigint): void;
  testSetMenvcfg(v: bigint): void;
  testSetStimecmp(v: bigint): void;
  testDevicesUpdate(): void;
  testNextTimerTick(): bigint;
  testMipLines(): bigint;
  testStopReason(): number;
  testClearStop(): void;
  testRamDirtyMapPtr(): number;
  testStateBufPtr(): number;
  testDevicesSave(): number;
  testDevicesLoad(len: number): number;
  testPlicSetLevel(irq: number, level: number): void;
}

const wasmPath = fileURLToPath(new URL('../build/machine.wasm', import.meta.url));
let compiled: WebAssembly.Module | null = null;

export const RAM_BASE = 0x8000_0000n;
export const RAM_BYTES = 1 << 20;

/** A fresh machine instance with 1 MiB of RAM and devices at power-on state. */
export function loadMachine(): Machine {
  compiled ??= new WebAssembly.Module(readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(compiled, { env: { abort() { throw new Error('wasm abort'); } } });
  const exports = instance.exports as unknown as DeviceExports & { ramHostPtr?: () => number };
  let ramHost: number;
  if (exports.init && exports.ramHostPtr) { exports.init(BigInt(RAM_BYTES)); ramHost = exports.ramHostPtr(); }
  else ramHost = exports.testRamInit(RAM_BYTES);
  exports.devicesResetAll();
  exports.testClearStop();
  return Object.assign(Object.create(null) as object, exports, { ramHost }) as Machine;
}

export type Machine = DeviceExports & { ramHost: number };

/** u64 view of a BigInt returned from wasm (i64 arrives signed). */
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/** 32-bit MMIO helpers taking plain numbers. */
export function rd(m: Machine, addr: number | bigint, size = 4): number {
  return Number(u64(m.mmioRead(BigInt(addr), size)));
}
export function wr(m: Machine, addr: number | bigint, value: number | bigint, size = 4): void {
  m.mmioWrite(BigInt(addr), BigInt(value), size);
}

/** Guest RAM as little-endian views, indexed by guest physical address - RAM_BASE. */
export function ram(m: Machine): { view: DataView; bytes: Uint8Array } {
  return { view: new DataView(m.memory.buffer, m.ramHost, RAM_BYTES), bytes: new Uint8Array(m.memory.buffer, m.ramHost, RAM_BYTES) };
}
