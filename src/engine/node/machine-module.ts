// Compiles machine.wasm from disk for Node hosts (worker_threads, CLI).
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { PrnrError } from '../../shared/errors';

/** wasm/build/machine.wasm, built by `npm run build:wasm`. */
export const defaultMachineWasmPath = fileURLToPath(new URL('../../../wasm/build/machine.wasm', import.meta.url));

/**
 * V8 first runs wasm in its baseline compiler (Liftoff) and swaps in optimised
 * code only for later calls, so a long-running interpreter loop spends its
 * first seconds 3x slower. Node hosts are batch jobs (boot, replay slices,
 * benchmarks): compile the machine with the optimising tier from the start.
 * Process-wide; set before the first wasm compile, in every thread.
 */
let tierSet = false;
function useOptimizingTier(): void {
  if (tierSet) return;
  setFlagsFromString('--no-liftoff');
  tierSet = true;
}

export async function compileMachineModule(path: string = defaultMachineWasmPath): Promise<WebAssembly.Module> {
  useOptimizingTier();
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PrnrError('WASM_MISSING', `${path} not found; run npm run build:wasm`);
    }
    throw err;
  }
  return WebAssembly.compile(bytes);
}
