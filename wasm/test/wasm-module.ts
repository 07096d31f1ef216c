// One compiled wasm/build/machine.wasm for the machine, device and FPU harnesses.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MachineExports } from '../exports';

const wasmPath = fileURLToPath(new URL('../build/machine.wasm', import.meta.url));
let compiled: WebAssembly.Module | null = null;

/**
 * A fresh instance (its own memory and state) of the built machine. `env`
 * adds imports: the JIT's jitCompile (the default declines every translation,
 * so the JIT stays off).
 */
export function instantiateMachine(env: Record<string, unknown> = {}): MachineExports {
  compiled ??= new WebAssembly.Module(readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(compiled, { env: { abort() { throw new Error('wasm abort'); }, jitCompile: () => 0, ...env } });
  return instance.exports as unknown as MachineExports;
}

/** u64 view of a BigInt returned from wasm (i64 arrives signed). */
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
