// The FPU test exports (wasm/assembly/api/fpu.ts) of a fresh machine instance.
import type { MachineExports } from '../exports';
import { instantiateMachine, u64 } from './wasm-module';

export { u64 };
export type FpuExports = MachineExports;

export function loadFpu(): FpuExports {
  return instantiateMachine();
}
