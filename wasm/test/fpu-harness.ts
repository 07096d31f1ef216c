// Loads wasm/build/machine.wasm and exposes the FPU test exports (wasm/assembly/api/fpu.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface FpuExports {
  fpTestSetF(i: number, bits: bigint): void;
  fpTestGetF(i: number): bigint;
  fpTestSetX(i: number, v: bigint): void;
  fpTestGetX(i: number): bigint;
  fpTestSetFcsr(v: number): void;
  fpTestGetFcsr(): number;
  fpTestSetFs(fs: number): void;
  fpTestGetFs(): number;
  fpTestExec(insn: number): number;
  fpTestSetFastPath(on: number): void;
}

export function loadFpu(): FpuExports {
  const path = fileURLToPath(new URL('../build/machine.wasm', import.meta.url));
  const module = new WebAssembly.Module(readFileSync(path));
  const instance = new WebAssembly.Instance(module, {
    env: { abort() { throw new Error('wasm abort'); } },
  });
  return instance.exports as unknown as FpuExports;
}

/** u64 view of a BigInt returned from wasm (i64 arrives signed). */
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
