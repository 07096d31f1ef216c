// Loads wasm/build/machine.wasm for the device tests (wasm/assembly/api/devices.ts).
import type { MachineExports } from '../exports';
import { RAM_BASE } from '../build/constants';
import { instantiateMachine, u64 } from './wasm-module';

export { RAM_BASE, u64 };
export const RAM_BYTES = 1 << 20;

export type Machine = MachineExports & { ramHost: number };

/** A fresh machine instance with 1 MiB of RAM and devices at power-on state. */
export function loadMachine(): Machine {
  const exports = instantiateMachine();
  exports.init(BigInt(RAM_BYTES));
  const ramHost = exports.ramHostPtr();
  exports.devicesResetAll();
  exports.testClearStop();
  return Object.assign(Object.create(null) as object, exports, { ramHost }) as Machine;
}

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
